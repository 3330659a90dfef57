import { useTranslation } from "react-i18next";
import { DeleteAccount } from "./DeleteAccount";
import { DownloadExport } from "./DownloadExport";

/** The customer's data rights (API.md "Data rights"): a copy of their data, and erasure. */
export function MyDataPage() {
  const { t } = useTranslation("my-data");
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <DownloadExport />
      <DeleteAccount />
    </div>
  );
}
