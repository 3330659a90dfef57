import { useTranslation } from "react-i18next";
import type { Language } from "../i18n/format";

/** Switches to the other language; labelled in the language it switches to. */
export function LanguageSwitch({ language, onChange }: { language: Language; onChange: (language: Language) => void }) {
  const { t } = useTranslation();
  const other: Language = language === "ar" ? "en" : "ar";
  return (
    <button type="button" className="button ghost" lang={other} onClick={() => onChange(other)} data-testid="language-switch">
      {t(`language.${other}`)}
    </button>
  );
}
