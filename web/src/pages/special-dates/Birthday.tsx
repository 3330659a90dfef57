import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/states";
import { birthdayProblem, daysInMonth, FIRST_YEAR, formatBirthday, monthNames, todayIn, type Birthday } from "./calendar";

export const specialDatesKey = (customerId: string) => ["special-dates", customerId];
export const upcomingKey = (customerId: string) => ["upcoming-occasions", customerId];

/** The birthday: a form while it is not set, read-only once it is (a customer sets it once; staff
 * correct it). */
export function BirthdayCard({ birthday }: { birthday: Schemas["SpecialDatesOutput"]["birthday"] }) {
  const { t } = useTranslation("specialDates");
  const format = useFormat();
  return (
    <section className="card" aria-labelledby="birthday-title">
      <h2 id="birthday-title">{t("birthday")}</h2>
      {birthday ? (
        <>
          <dl className="fact">
            <dt>{t("birthdayIs")}</dt>
            <dd data-testid="birthday">{formatBirthday(birthday, format.locale)}</dd>
          </dl>
          <p className="muted">{t("birthdayLocked")}</p>
        </>
      ) : (
        <BirthdayForm />
      )}
      <p className="muted">{t("birthdayPoints")}</p>
    </section>
  );
}

export function BirthdayForm() {
  const { t } = useTranslation("specialDates");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [year, setYear] = useState("");
  const [confirming, setConfirming] = useState(false);
  const today = todayIn(format.timeZone);
  const birthday: Birthday | null =
    month && day ? { month: Number(month), day: Number(day), year: year.trim() ? Number(year.trim()) : null } : null;
  const problem = birthday ? birthdayProblem(birthday, today) : null;
  // every day the month can have (29 February too: a year that rules it out is a problem shown below)
  const days = month ? daysInMonth(Number(month)) : 31;
  const save = useMutation({
    mutationFn: (chosen: Birthday) =>
      data(
        api.PUT("/customers/{customerId}/special-dates", {
          params: { path: { customerId } },
          body: { birthday: { month: chosen.month, day: chosen.day, ...(chosen.year != null ? { year: chosen.year } : {}) } },
        }),
      ),
    onSuccess: (answer) => {
      setConfirming(false);
      queryClient.setQueryData(specialDatesKey(customerId), answer);
      void queryClient.invalidateQueries({ queryKey: upcomingKey(customerId) });
    },
    onError: () => {
      // set meanwhile (another tab, or staff): show what is kept
      void queryClient.invalidateQueries({ queryKey: specialDatesKey(customerId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (birthday && !problem) {
      save.reset();
      setConfirming(true);
    }
  }
  return (
    <form className="form" onSubmit={submit} data-testid="birthday-form">
      <p className="notice">{t("birthdayOnce")}</p>
      <div className="filters">
        <label className="block">
          {t("month")}
          <select required value={month} onChange={(event) => {
              const next = event.target.value;
              setMonth(next);
              if (next && Number(day) > daysInMonth(Number(next))) {
                setDay("");
              }
            }} data-testid="birthday-month">
            <option value="">{t("chooseMonth")}</option>
            {monthNames(format.locale).map((name, index) => (
              <option key={name} value={String(index + 1)}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          {t("day")}
          <select required value={day} onChange={(event) => setDay(event.target.value)} data-testid="birthday-day">
            <option value="">{t("chooseDay")}</option>
            {Array.from({ length: days }, (_, index) => (
              <option key={index + 1} value={String(index + 1)}>
                {format.number(index + 1)}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          {t("year")}
          <input
            type="number"
            inputMode="numeric"
            min={FIRST_YEAR}
            max={today.slice(0, 4)}
            value={year}
            onChange={(event) => setYear(event.target.value)}
            dir="ltr"
            size={6}
            autoComplete="bday-year"
          />
        </label>
      </div>
      <div aria-live="polite">{problem && <p className="form-error">{t(`problem.${problem}`)}</p>}</div>
      {!confirming && save.isError && <ErrorState error={save.error} />}
      <button type="submit" className="button primary" disabled={!birthday || problem !== null}>
        {t("saveBirthday")}
      </button>
      {confirming && birthday && (
        <ConfirmDialog
          title={t("confirmTitle", { date: formatBirthday(birthday, format.locale) })}
          confirmLabel={t("confirmSave")}
          busy={save.isPending}
          onCancel={() => {
            setConfirming(false);
            save.reset();
          }}
          onConfirm={() => save.mutate(birthday)}
        >
          <p>{t("confirmBody")}</p>
          {save.isError && <ErrorState error={save.error} />}
        </ConfirmDialog>
      )}
    </form>
  );
}
