import { useTranslation } from "react-i18next";
import { Faq } from "./Faq";
import { LiveChat } from "./LiveChat";

export function HelpPage() {
  const { t } = useTranslation("help");
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <Faq />
      <LiveChat />
    </div>
  );
}
