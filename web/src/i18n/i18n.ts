/** i18next with one namespace per page: the app's common texts are `common`, each page registers its
 * own messages (en + ar) from its folder through the route list (routes.tsx). */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { common } from "./common";
import { directionOf, type Language } from "./format";

export const LANGUAGES: Language[] = ["en", "ar"];
const STORED = "customer-id.language";

export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (stored === "en" || stored === "ar") {
    return stored;
  }
  return navigator.language.toLowerCase().startsWith("ar") ? "ar" : "en";
}

export function applyDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
}

export type Messages = Record<Language, Record<string, string>>;

/** Arabic-Indic digits in the texts too (numbers in messages are written 0-9), when the customer
 * asked for them; the figures themselves follow through Intl (`localeOf`). */
let arabicDigits = false;

export function setArabicDigitsInTexts(on: boolean): void {
  arabicDigits = on;
}

const ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

export function toArabicDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => ARABIC_INDIC[Number(digit)]!);
}

export function registerMessages(namespace: string, messages: Messages): void {
  for (const language of LANGUAGES) {
    i18next.addResourceBundle(language, namespace, messages[language], true, true);
  }
}

export async function setupI18n(language: Language = initialLanguage()): Promise<typeof i18next> {
  if (!i18next.isInitialized) {
    await i18next
      .use(initReactI18next)
      .use({
        type: "postProcessor",
        name: "digits",
        process: (value: string) => (arabicDigits && i18next.language === "ar" ? toArabicDigits(value) : value),
      })
      .init({
        lng: language,
        fallbackLng: "en",
        defaultNS: "common",
        ns: ["common"],
        resources: { en: { common: common.en }, ar: { common: common.ar } },
        interpolation: { escapeValue: false },
        postProcess: ["digits"],
        keySeparator: false,
        nsSeparator: false,
      });
    i18next.on("languageChanged", (changed) => {
      const next = changed === "ar" ? "ar" : "en";
      localStorage.setItem(STORED, next);
      applyDocumentLanguage(next);
    });
  }
  applyDocumentLanguage(language);
  return i18next;
}

export { i18next };
