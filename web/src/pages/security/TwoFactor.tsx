import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { ErrorState } from "../../components/states";
import { groupKey, parseOtpAuth } from "./otpauth";
import { QrCode } from "./QrCode";

const CODE = /^\d{6}$/;

/** TOTP two-factor authentication: enrol (a QR code of `otpauthUri` for an authenticator app, and the
 * key to type by hand), then verify a code to turn it on; with a code, turn it off. */
export function TwoFactor({ enabled: read }: { enabled: boolean }) {
  const { t } = useTranslation("security");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [code, setCode] = useState("");
  const call = (body: Schemas["EnrollInput"] | Schemas["VerifyInput"]) =>
    data(api.POST("/customers/{customerId}/security/two-factor", { params: { path: { customerId } }, body }));
  const enroll = useMutation({
    mutationFn: async () => (await call({ action: "enroll" })) as Schemas["Enrolment"],
  });
  const change = useMutation({
    mutationFn: async (action: "verify" | "disable") => (await call({ action, code })) as Schemas["TwoFactorState"],
    onSuccess: () => {
      setCode("");
      enroll.reset();
      void queryClient.invalidateQueries({ queryKey: ["security", customerId] });
    },
  });
  // what the last change answered, until the security overview is read again
  const enabled = change.isSuccess ? change.data.twoFactorEnabled : read;
  const enrolment = enroll.data;
  const details = enrolment ? parseOtpAuth(enrolment.otpauthUri) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate(enabled ? "disable" : "verify");
  }

  const codeForm = (label: string) => (
    <form className="form" onSubmit={submit}>
      <label>
        {t("code")}
        <input
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, 6))}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          required
          dir="ltr"
          aria-describedby="code-help"
        />
      </label>
      <p id="code-help" className="muted">
        {t("codeHelp")}
      </p>
      {change.isError && <ErrorState error={change.error} />}
      <button type="submit" className="button primary" disabled={change.isPending || !CODE.test(code)}>
        {label}
      </button>
    </form>
  );

  return (
    <section className="card" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t("twoFactorTitle")}</h2>
      <p data-testid="two-factor-state" data-enabled={enabled}>
        <strong>{enabled ? t("twoFactorOn") : t("twoFactorOff")}</strong>
      </p>
      {change.isSuccess && (
        <p className="notice" role="status">
          {change.data.twoFactorEnabled ? t("turnedOn") : t("turnedOff")}
        </p>
      )}
      {enabled ? (
        <>
          <p className="muted">{t("disableIntro")}</p>
          {codeForm(t("disable"))}
        </>
      ) : enrolment ? (
        <div className="enrolment" data-testid="enrolment">
          <ol className="steps">
            <li>{t("stepScan")}</li>
            <li>{t("stepCode")}</li>
          </ol>
          <QrCode value={enrolment.otpauthUri} label={t("qrLabel")} />
          {details && (
            <p className="muted">
              {t("account")} <bdi dir="ltr">{details.issuer ? `${details.issuer} (${details.account})` : details.account}</bdi>
            </p>
          )}
          <p>
            {t("manualKey")} <code className="code" dir="ltr" data-testid="manual-key">{groupKey(enrolment.secret)}</code>
          </p>
          {codeForm(t("verify"))}
        </div>
      ) : (
        <>
          <p className="muted">{t("twoFactorIntro")}</p>
          {enroll.isError && <ErrorState error={enroll.error} />}
          <button type="button" className="button primary" disabled={enroll.isPending} onClick={() => enroll.mutate()}>
            {t("setUp")}
          </button>
        </>
      )}
    </section>
  );
}
