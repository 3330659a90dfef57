import { useId, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Schemas } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ErrorState, QueryView } from "../../components/states";
import { crossesMidnight, formatClockTime, isQuietAt, quietHoursProblem, type QuietHours } from "./quietHours";

type Preferences = Schemas["NotificationPreferences"];
type Channel = keyof Preferences["channels"];
type Category = keyof Preferences["categories"];

const CHANNELS: Channel[] = ["email", "sms", "push", "inApp"];
const CATEGORIES: Category[] = ["loyalty", "offers", "rewards", "security", "support", "marketing"];
const DEFAULT_QUIET: QuietHours = { start: "22:00", end: "07:00" };

export function preferencesKey(customerId: string) {
  return ["notification-preferences", customerId];
}

/** The customer's channels, topics and quiet hours: the whole document, saved with one PUT. */
export function Preferences() {
  const { t } = useTranslation("notifications");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const preferences = useQuery({
    queryKey: preferencesKey(customerId),
    queryFn: () => data(api.GET("/customers/{customerId}/notification-preferences", { params: { path: { customerId } } })),
  });
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t("settings")}</h2>
      <QueryView query={preferences}>{(saved) => <PreferencesForm saved={saved} />}</QueryView>
    </section>
  );
}

export function PreferencesForm({ saved }: { saved: Preferences }) {
  const { t } = useTranslation("notifications");
  const { api, session, profile } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [channels, setChannels] = useState(saved.channels);
  const [categories, setCategories] = useState(saved.categories);
  const [quietOn, setQuietOn] = useState(Boolean(saved.quietHours));
  const [quiet, setQuiet] = useState<QuietHours>(saved.quietHours ?? DEFAULT_QUIET);
  const lockedId = useId();
  const smsId = useId();
  const pushId = useId();
  const problem = quietOn ? quietHoursProblem(quiet) : null;
  const save = useMutation({
    mutationFn: (body: Preferences) =>
      data(api.PUT("/customers/{customerId}/notification-preferences", { params: { path: { customerId } }, body })),
    onSuccess: (answer) => queryClient.setQueryData(preferencesKey(customerId), answer),
  });
  // a change after a save is not saved yet
  const edited = <T,>(set: (value: T) => void) => (value: T) => {
    save.reset();
    set(value);
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ channels, categories: { ...categories, security: true }, quietHours: quietOn ? quiet : null });
  }
  const time = (value: string) => formatClockTime(value, format.locale);
  return (
    <form className="form" onSubmit={submit} data-testid="preferences">
      <fieldset className="choices">
        <legend>{t("channels")}</legend>
        {CHANNELS.map((channel) => (
          <label key={channel} className="choice">
            <input
              type="checkbox"
              checked={channels[channel]}
              onChange={(event) => edited(setChannels)({ ...channels, [channel]: event.target.checked })}
              aria-describedby={channel === "sms" && !profile.phone ? smsId : channel === "push" ? pushId : undefined}
            />
            <span>{t(`channel.${channel}`)}</span>
          </label>
        ))}
        {!profile.phone && channels.sms && (
          <p className="muted" id={smsId}>
            {t("smsNeedsPhone")}
          </p>
        )}
        {channels.push && (
          <p className="muted" id={pushId}>
            {t("pushLater")}
          </p>
        )}
      </fieldset>

      <fieldset className="choices">
        <legend>{t("categories")}</legend>
        {CATEGORIES.map((category) =>
          category === "security" ? (
            <label key={category} className="choice locked">
              <input type="checkbox" checked disabled aria-describedby={lockedId} />
              <span>
                {t("category.security")} <LockIcon />
              </span>
            </label>
          ) : (
            <label key={category} className="choice">
              <input
                type="checkbox"
                checked={categories[category]}
                onChange={(event) => edited(setCategories)({ ...categories, [category]: event.target.checked })}
              />
              <span>{t(`category.${category}`)}</span>
            </label>
          ),
        )}
        <p className="muted" id={lockedId}>
          {t("securityLocked")}
        </p>
      </fieldset>

      <fieldset className="choices">
        <legend>{t("quietHours")}</legend>
        <label className="choice">
          <input type="checkbox" checked={quietOn} onChange={(event) => edited(setQuietOn)(event.target.checked)} />
          <span>{t("quietHoursOn")}</span>
        </label>
        {quietOn && (
          <>
            <div className="time-range">
              <label className="block">
                {t("quietFrom")}
                <input type="time" required value={quiet.start} onChange={(event) => edited(setQuiet)({ ...quiet, start: event.target.value })} dir="ltr" />
              </label>
              <label className="block">
                {t("quietTo")}
                <input type="time" required value={quiet.end} onChange={(event) => edited(setQuiet)({ ...quiet, end: event.target.value })} dir="ltr" />
              </label>
            </div>
            <div aria-live="polite" data-testid="quiet-summary">
              {problem === "same" ? (
                <p className="form-error">{t("quietSame")}</p>
              ) : problem === "invalid" ? (
                <p className="form-error">{t("quietInvalid")}</p>
              ) : (
                <>
                  <p>{t("quietSummary", { start: time(quiet.start), end: time(quiet.end), zone: format.timeZone })}</p>
                  {crossesMidnight(quiet) && <p className="muted">{t("quietOvernight")}</p>}
                  {isQuietAt(quiet, new Date(), format.timeZone) && <p className="notice">{t("quietNow")}</p>}
                </>
              )}
            </div>
          </>
        )}
      </fieldset>

      {save.isError && <ErrorState error={save.error} />}
      {save.isSuccess && (
        <p className="notice saved" role="status">
          {t("saved")}
        </p>
      )}
      <button type="submit" className="button primary" disabled={save.isPending || problem !== null}>
        {t("save")}
      </button>
    </form>
  );
}

function LockIcon() {
  return (
    <svg className="icon inline-icon" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" focusable="false">
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V8a4 4 0 018 0v3" />
    </svg>
  );
}
