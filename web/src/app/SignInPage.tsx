import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { signIn, SignInError, type Session } from "../auth/cognito";
import type { AppConfig } from "../config";
import { LanguageSwitch } from "./LanguageSwitch";

export function SignInPage({ settings, onSignedIn }: { settings: AppConfig; onSignedIn: (session: Session) => void }) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onSignedIn(await signIn(settings, email.trim(), password));
    } catch (error) {
      setFailure(
        error instanceof SignInError && ["NotAuthorizedException", "UserNotFoundException"].includes(error.code)
          ? t("signInFailed")
          : t("signInUnavailable"),
      );
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <header className="signin-header">
        <h1>{t("appName")}</h1>
        <LanguageSwitch language={i18n.language === "ar" ? "ar" : "en"} onChange={(next) => void i18n.changeLanguage(next)} />
      </header>
      <main id="main">
        <form className="card form" onSubmit={submit} aria-labelledby="signin-title">
          <h2 id="signin-title">{t("signInTitle")}</h2>
          <label>
            {t("email")}
            <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} dir="ltr" />
          </label>
          <label>
            {t("password")}
            <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} dir="ltr" />
          </label>
          {failure && (
            <p className="form-error" role="alert">
              {failure}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {t("signIn")}
          </button>
        </form>
      </main>
    </div>
  );
}
