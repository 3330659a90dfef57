/** Loading, empty and error states, the same on every page. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("loading")}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="state state-empty" role="status">
      {children}
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ApiError ? error : undefined;
  const message =
    problem && problem.status === 0 ? t("offline") : problem ? problem.detail || problem.title : String(error);
  return (
    <div className="state state-error" role="alert" data-problem-type={problem?.type}>
      <strong>{problem && problem.status !== 0 ? problem.title : t("errorTitle")}</strong>
      {message !== problem?.title && <p>{message}</p>}
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}

/** A query's three states around its content. */
export function QueryView<T>({
  query,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return <Loading />;
  }
  if (query.isError || query.data === undefined) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <>{children(query.data)}</>;
}
