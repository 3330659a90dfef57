/** What every page reads: the settings, the signed-in customer, the API client, the profile, and how
 * to show numbers, money and dates for them. */
import { createContext, useContext, useMemo } from "react";
import type { Session } from "../auth/cognito";
import type { Api, Schemas } from "../api/client";
import type { AppConfig } from "../config";
import type { Farewell } from "../pages/my-data/confirmation";
import { formatDate, formatMoney, formatMonth, formatNumber, localeOf, type Language, type Money } from "../i18n/format";

export interface AppState {
  settings: AppConfig;
  session: Session;
  api: Api;
  profile: Schemas["ProfileOutput"];
  language: Language;
  setLanguage: (language: Language) => void;
  arabicDigits: boolean;
  setArabicDigits: (on: boolean) => void;
  signOut: () => void;
  /** Signs out to the goodbye state: the account was erased (or found erased). */
  leave: (farewell: Farewell) => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) {
    throw new Error("useApp outside the signed-in app");
  }
  return state;
}

export interface Format {
  locale: string;
  timeZone: string;
  number: (value: number) => string;
  money: (money: Money) => string;
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
  month: (month: string, withYear?: boolean) => string;
}

export function makeFormat(language: Language, arabicDigits: boolean, timeZone: string): Format {
  const locale = localeOf(language, arabicDigits);
  return {
    locale,
    timeZone,
    number: (value) => formatNumber(value, locale),
    money: (money) => formatMoney(money, locale),
    date: (iso) => formatDate(iso, locale, timeZone),
    dateTime: (iso) => formatDate(iso, locale, timeZone, true),
    month: (month, withYear) => formatMonth(month, locale, withYear),
  };
}

export function useFormat(): Format {
  const { language, arabicDigits, profile } = useApp();
  return useMemo(() => makeFormat(language, arabicDigits, profile.timezone), [language, arabicDigits, profile.timezone]);
}
