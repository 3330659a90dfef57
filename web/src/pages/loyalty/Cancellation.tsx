/** Cancelling a fresh redemption (the customer may within 30 minutes, see cancelWindow.ts): which
 * redemptions are cancelled (the `refund` entries), a clock that takes the buttons away when their window
 * closes, and the confirmation that POSTs the cancellation. */
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, data, idempotencyKey } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/states";
import { cancelledRedemptions, nextClosing } from "./cancelWindow";

export interface Cancellations {
  /** The redemptions known to be cancelled; null until the refunds are read (no button before then). */
  cancelled: ReadonlySet<string> | null;
  /** Asks the customer to confirm cancelling a redemption of `points`, whose window closes at `deadline`. */
  ask: (redemption: { redemptionId: string; points: number; deadline: number }) => void;
  /** The confirmation, while one is asked. */
  dialog: ReactNode;
}

/** A redemption cancelled in the last 30 minutes has a `refund` newer than 30 minutes: the newest
 * refunds name every redemption whose window can still be open. */
const REFUNDS_READ = 50;

export function useCancellations(): Cancellations {
  const { t } = useTranslation("loyalty");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const refunds = useQuery({
    queryKey: ["refunds", customerId],
    queryFn: () =>
      data(
        api.GET("/customers/{customerId}/loyalty/transactions", {
          params: { path: { customerId }, query: { type: "refund", limit: REFUNDS_READ } },
        }),
      ),
  });
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const cancelled = useMemo(
    () => (refunds.data ? new Set([...cancelledRedemptions(refunds.data.items), ...done]) : null),
    [refunds.data, done],
  );
  const [asked, setAsked] = useState<{ redemptionId: string; points: number; deadline: number; key: string } | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["loyalty", customerId] });
    void queryClient.invalidateQueries({ queryKey: ["transactions", customerId] });
    void queryClient.invalidateQueries({ queryKey: ["refunds", customerId] });
  };
  const cancel = useMutation({
    mutationFn: ({ redemptionId, key }: { redemptionId: string; key: string }) =>
      data(
        api.POST("/customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation", {
          params: { path: { customerId, redemptionId } },
          // the route is an operation like every POST that changes a balance: a retry has one effect
          // (openapi.json declares the header on 201 routes only; the API takes it here too)
          headers: { "Idempotency-Key": key },
          body: {},
        }),
      ),
    onSuccess: (answer) => {
      setAsked(null);
      setDone((was) => new Set([...was, answer.redemptionId]));
      refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409) {
        refresh(); // cancelled meanwhile, or the window closed: the page shows what is true now
      }
    },
  });
  const dialog = asked && (
    <ConfirmDialog
      title={t("cancelTitle")}
      confirmLabel={t("confirmCancel")}
      cancelLabel={t("keep")}
      busy={cancel.isPending}
      onCancel={() => {
        setAsked(null);
        cancel.reset();
      }}
      onConfirm={() => cancel.mutate({ redemptionId: asked.redemptionId, key: asked.key })}
    >
      <p>{t("cancelBody", { points: format.number(asked.points) })}</p>
      <p className="muted">{t("cancelUntil", { time: format.dateTime(new Date(asked.deadline).toISOString()) })}</p>
      {cancel.isError && <ErrorState error={cancel.error} />}
    </ConfirmDialog>
  );
  return {
    cancelled,
    ask: (redemption) => {
      cancel.reset();
      setAsked({ ...redemption, key: idempotencyKey() }); // a new operation; a retry in the dialog keeps it
    },
    dialog,
  };
}

/** Now, re-rendering when the next of these windows closes (so its button goes away on time). */
export function useNow(deadlines: readonly number[]): number {
  const [now, setNow] = useState(() => Date.now());
  const next = nextClosing(deadlines, now);
  useEffect(() => {
    if (next === null) {
      return;
    }
    const timer = window.setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 50);
    return () => window.clearTimeout(timer);
  }, [next]);
  return now;
}

/** The "Cancel redemption" button of a fresh redemption, with until when. */
export function CancelButton({ deadline, onClick }: { deadline: number; onClick: () => void }) {
  const { t } = useTranslation("loyalty");
  const format = useFormat();
  return (
    <div className="cancel-redemption">
      <button type="button" className="button secondary" onClick={onClick}>
        {t("cancel")}
      </button>
      <span className="muted">{t("cancelUntil", { time: format.dateTime(new Date(deadline).toISOString()) })}</span>
    </div>
  );
}
