import { useTranslation } from "react-i18next";
import { Inbox } from "./Inbox";
import { Preferences } from "./Preferences";

/** Notification settings (channels, topics with security locked on, quiet hours) and the inbox. */
export function NotificationsPage() {
  const { t } = useTranslation("notifications");
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <Preferences />
      <Inbox />
    </div>
  );
}
