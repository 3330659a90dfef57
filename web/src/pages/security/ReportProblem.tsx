import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey, type Schemas } from "../../api/client";
import { useApp } from "../../app/context";
import { ErrorState } from "../../components/states";
import { invalidateSecurity } from "./AlertList";

type Category = Schemas["ReportInput"]["category"];
const CATEGORIES: Category[] = ["account_takeover", "unrecognized_transaction", "phishing", "other"];

/** A customer reports a security problem: the API raises an alert for it. */
export function ReportProblem() {
  const { t } = useTranslation("security");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [category, setCategory] = useState<Category>("account_takeover");
  const [description, setDescription] = useState("");
  const [transactionId, setTransactionId] = useState("");
  const [key, setKey] = useState(idempotencyKey);
  const report = useMutation({
    mutationFn: () =>
      data(
        api.POST("/customers/{customerId}/security/reports", {
          params: { path: { customerId }, header: { "Idempotency-Key": key } },
          body: {
            category,
            description: description.trim(),
            ...(transactionId.trim() ? { transactionId: transactionId.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setKey(idempotencyKey());
      setDescription("");
      setTransactionId("");
      invalidateSecurity(queryClient, customerId);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    report.mutate();
  }
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t("reportTitle")}</h2>
      <p className="muted">{t("reportIntro")}</p>
      {report.isSuccess && (
        <p className="notice" role="status" data-testid="report-sent">
          {t("reportSent", { reason: report.data.reason })}
        </p>
      )}
      <form className="form" onSubmit={submit}>
        <label>
          {t("reportCategory")}
          <select value={category} onChange={(event) => setCategory(event.target.value as Category)}>
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {t(`report.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reportDescription")}
          <textarea required maxLength={2000} rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label>
          {t("reportTransaction")}
          <input maxLength={128} value={transactionId} onChange={(event) => setTransactionId(event.target.value)} dir="ltr" />
        </label>
        {report.isError && <ErrorState error={report.error} />}
        <button type="submit" className="button primary" disabled={report.isPending || !description.trim()}>
          {t("reportSend")}
        </button>
      </form>
    </section>
  );
}
