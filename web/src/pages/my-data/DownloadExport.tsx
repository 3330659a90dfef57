import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ErrorState, Loading } from "../../components/states";
import { exportFileName, isTooLarge, saveJson } from "./download";

/** "Download my data": the export (GET data-export) saved as a JSON file, with its states. */
export function DownloadExport() {
  const { t } = useTranslation("my-data");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const download = useMutation({
    mutationFn: async () => {
      const document = await data(
        api.GET("/customers/{customerId}/data-export", { params: { path: { customerId } } }),
      );
      const file = exportFileName(document.exportedAt, format.timeZone);
      saveJson(document, file);
      return { file, exportedAt: document.exportedAt };
    },
  });
  return (
    <section className="card" aria-labelledby="export-title" data-testid="data-export">
      <h2 id="export-title">{t("export.title")}</h2>
      <p>{t("export.text")}</p>
      <div className="actions start">
        <button type="button" className="button primary" onClick={() => download.mutate()} disabled={download.isPending}>
          {t("export.action")}
        </button>
      </div>
      {download.isPending && <Loading label={t("export.preparing")} />}
      {download.isSuccess && (
        <p className="state" role="status" data-testid="export-done">
          {t("export.done", { time: format.dateTime(download.data.exportedAt), file: download.data.file })}
        </p>
      )}
      {download.isError &&
        (isTooLarge(download.error) ? (
          <div className="state state-error" role="alert" data-problem-type={download.error.type}>
            <strong>{t("export.tooLargeTitle")}</strong>
            <p>{t("export.tooLarge")}</p>
          </div>
        ) : (
          <ErrorState error={download.error} onRetry={() => download.mutate()} />
        ))}
    </section>
  );
}
