/** Renders a component inside the signed-in app's context, with a given language and time zone. */
import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { AppContext, type AppState } from "../app/context";
import { createApi } from "../api/client";
import type { Language } from "../i18n/format";

export function renderInApp(
  ui: ReactNode,
  {
    language = "en",
    arabicDigits = false,
    timezone = "UTC",
    leave = () => undefined,
    groups = [],
  }: {
    language?: Language;
    arabicDigits?: boolean;
    timezone?: string;
    leave?: AppState["leave"];
    groups?: string[];
  } = {},
) {
  const state: AppState = {
    settings: { ApiUrl: "http://api.invalid", Region: "us-east-1", UserPoolId: "pool", UserPoolClientId: "client" },
    session: { idToken: "token", customerId: "customer-1", email: "sara@example.com", groups, expiresAt: Date.now() + 3_600_000 },
    api: createApi("http://api.invalid", () => "token", () => language),
    profile: {
      customerId: "customer-1",
      displayName: "Sara Haddad",
      email: "sara@example.com",
      phone: null,
      language,
      timezone,
      country: null,
      joinedAt: "2026-01-01T00:00:00Z",
    },
    language,
    setLanguage: () => undefined,
    arabicDigits,
    setArabicDigits: () => undefined,
    signOut: () => undefined,
    leave,
  };
  return render(<AppContext.Provider value={state}>{ui}</AppContext.Provider>);
}
