import { useTranslation } from "react-i18next";
import { Empty } from "../components/states";

export function NotFound() {
  const { t } = useTranslation();
  return <Empty>{t("notFound")}</Empty>;
}
