import { useState, type FormEvent, type ReactNode } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ErrorState, QueryView } from "../../components/states";
import { addDays, offerBody, problems, today, type OfferForm } from "./offerBody";

/** Admins create an offer: texts in both languages, the discount, who may use it, when, how often. */
export function OfferAdminPage() {
  const { t } = useTranslation("offerAdmin");
  const { api, profile } = useApp();
  const format = useFormat();
  const start = today(profile.timezone);
  const blank: OfferForm = {
    titleEn: "",
    titleAr: "",
    descriptionEn: "",
    descriptionAr: "",
    discountType: "percent",
    discountValue: "",
    minPurchase: "",
    maxDiscount: "",
    segments: [],
    tiers: [],
    newCustomersOnly: false,
    validFrom: start,
    validThrough: addDays(start, 30),
    perCustomerLimit: "1",
    totalLimit: "",
  };
  const [form, setForm] = useState<OfferForm>(blank);
  const [key, setKey] = useState(idempotencyKey);
  const segments = useQuery({ queryKey: ["segments"], queryFn: () => data(api.GET("/segments")) });
  const tiers = useQuery({ queryKey: ["tiers"], queryFn: () => data(api.GET("/loyalty/tiers")) });
  const create = useMutation({
    mutationFn: () =>
      data(api.POST("/offers", { params: { header: { "Idempotency-Key": key } }, body: offerBody(form, profile.timezone) })),
    onSuccess: () => {
      setKey(idempotencyKey());
      setForm(blank);
    },
  });
  const found = problems(form);
  const set = <K extends keyof OfferForm>(field: K, value: OfferForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const toggle = <T extends string>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((item) => item !== value));
  function submit(event: FormEvent) {
    event.preventDefault();
    if (found.length === 0) {
      create.mutate();
    }
  }
  const text = (field: keyof OfferForm, label: string, language: "en" | "ar", long = false, max = 120): ReactNode => {
    const props = {
      value: form[field] as string,
      onChange: (event: { target: { value: string } }) => set(field, event.target.value as never),
      required: true,
      maxLength: max,
      dir: language === "ar" ? "rtl" : "ltr",
      lang: language,
    } as const;
    return (
      <label>
        {label}
        {long ? <textarea rows={2} {...props} /> : <input {...props} />}
      </label>
    );
  };
  const created = create.data;
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {created && (
        <section className="card voucher" role="status" data-testid="offer-created" aria-labelledby="created-title">
          <h2 id="created-title">{t("created")}</h2>
          <p>
            <strong>{created.title}</strong>
          </p>
          <p>
            {created.discountType === "percent"
              ? t("percentOff", { value: format.number(Number(created.discountValue)) })
              : t("amountOff", { amount: format.money({ amount: created.discountValue, currency: created.currency }) })}
          </p>
          <p className="muted">{t("validity", { from: format.dateTime(created.validFrom), until: format.dateTime(created.validUntil) })}</p>
        </section>
      )}
      <form className="card form" onSubmit={submit} aria-labelledby="offer-form-title" noValidate={false}>
        <h2 id="offer-form-title">{t("newOffer")}</h2>
        {text("titleEn", t("titleEn"), "en")}
        {text("titleAr", t("titleAr"), "ar")}
        {text("descriptionEn", t("descriptionEn"), "en", true, 1000)}
        {text("descriptionAr", t("descriptionAr"), "ar", true, 1000)}
        <fieldset className="choices">
          <legend>{t("discountType")}</legend>
          {(["percent", "fixed"] as const).map((type) => (
            <label key={type} className="inline">
              <input type="radio" name="discountType" checked={form.discountType === type} onChange={() => set("discountType", type)} />
              {t(`type.${type}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {form.discountType === "percent" ? t("percentValue") : t("fixedValue")}
          <input required inputMode="decimal" value={form.discountValue} onChange={(event) => set("discountValue", event.target.value)} dir="ltr" />
        </label>
        <label>
          {t("minPurchase")}
          <input inputMode="decimal" value={form.minPurchase} onChange={(event) => set("minPurchase", event.target.value)} dir="ltr" />
        </label>
        {form.discountType === "percent" && (
          <label>
            {t("maxDiscount")}
            <input inputMode="decimal" value={form.maxDiscount} onChange={(event) => set("maxDiscount", event.target.value)} dir="ltr" />
          </label>
        )}
        <fieldset className="choices">
          <legend>{t("segments")}</legend>
          <QueryView query={segments}>
            {({ items }) =>
              items.map((segment) => (
                <label key={segment.segmentId} className="inline">
                  <input
                    type="checkbox"
                    checked={form.segments.includes(segment.segmentId)}
                    onChange={(event) => set("segments", toggle(form.segments, segment.segmentId, event.target.checked))}
                  />
                  {segment.name}
                </label>
              ))
            }
          </QueryView>
        </fieldset>
        <fieldset className="choices">
          <legend>{t("tiers")}</legend>
          <QueryView query={tiers}>
            {({ items }) =>
              items.map((tier) => (
                <label key={tier.tierId} className="inline">
                  <input
                    type="checkbox"
                    checked={form.tiers.includes(tier.tierId)}
                    onChange={(event) => set("tiers", toggle(form.tiers, tier.tierId, event.target.checked))}
                  />
                  {tier.name}
                </label>
              ))
            }
          </QueryView>
          <label className="inline">
            <input type="checkbox" checked={form.newCustomersOnly} onChange={(event) => set("newCustomersOnly", event.target.checked)} />
            {t("newCustomersOnly")}
          </label>
        </fieldset>
        <p className="muted">{t("targetingHelp")}</p>
        <div className="filters">
          <label>
            {t("validFrom")}
            <input type="date" required value={form.validFrom} onChange={(event) => set("validFrom", event.target.value)} />
          </label>
          <label>
            {t("validThrough")}
            <input type="date" required value={form.validThrough} onChange={(event) => set("validThrough", event.target.value)} />
          </label>
        </div>
        <p className="muted">{t("timeZone", { zone: profile.timezone })}</p>
        <div className="filters">
          <label>
            {t("perCustomerLimit")}
            <input inputMode="numeric" value={form.perCustomerLimit} onChange={(event) => set("perCustomerLimit", event.target.value)} dir="ltr" />
          </label>
          <label>
            {t("totalLimit")}
            <input inputMode="numeric" value={form.totalLimit} onChange={(event) => set("totalLimit", event.target.value)} dir="ltr" />
          </label>
        </div>
        {found.length > 0 && form.discountValue !== "" && (
          <ul className="form-error" data-testid="offer-problems">
            {found.map((problem) => (
              <li key={problem}>{t(problem)}</li>
            ))}
          </ul>
        )}
        {create.isError && <ErrorState error={create.error} />}
        <button type="submit" className="button primary" disabled={create.isPending || found.length > 0}>
          {t("create")}
        </button>
      </form>
    </div>
  );
}
