import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, type Api, type Schemas } from "../api/client";
import type { Session } from "../auth/cognito";
import type { Language } from "../i18n/format";
import { ErrorState } from "../components/states";

/** A first-time customer's profile (GET profile was 404): PUT opens the loyalty account. */
export function CreateProfile({
  api,
  session,
  language,
  onCreated,
}: {
  api: Api;
  session: Session;
  language: Language;
  onCreated: (profile: Schemas["ProfileOutput"]) => void;
}) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState("");
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const create = useMutation({
    mutationFn: () =>
      data(
        api.PUT("/customers/{customerId}/profile", {
          params: { path: { customerId: session.customerId } },
          body: { displayName: displayName.trim(), email: session.email, language, timezone },
        }),
      ),
    onSuccess: onCreated,
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <main id="main" className="signin">
      <form className="card form" onSubmit={submit} aria-labelledby="profile-title">
        <h1 id="profile-title">{t("profile.createTitle")}</h1>
        <p>{t("profile.createIntro")}</p>
        <label>
          {t("profile.displayName")}
          <input required maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" />
        </label>
        <label>
          {t("profile.timezone")}
          <input required value={timezone} onChange={(e) => setTimezone(e.target.value)} dir="ltr" />
        </label>
        {create.isError && <ErrorState error={create.error} />}
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t("profile.create")}
        </button>
      </form>
    </main>
  );
}
