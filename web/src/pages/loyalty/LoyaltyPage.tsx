import { useState } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";
import { useApp, useFormat } from "../../app/context";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";
import { TierCard } from "./TierCard";
import { affordability } from "./tierProgress";
import { CancelButton, useCancellations, useNow, type Cancellations } from "./Cancellation";
import { cancelDeadline, cancellable, redemptionOf } from "./cancelWindow";

/** The `type` filter's values, as the contract lists them (a type it adds or drops breaks this line). */
type TransactionType = NonNullable<
  NonNullable<paths["/customers/{customerId}/loyalty/transactions"]["get"]["parameters"]["query"]>["type"]
>;
const TYPES: TransactionType[] = ["earn", "redeem", "expire", "adjust", "bonus", "reverse", "refund"];

export function LoyaltyPage() {
  const { t } = useTranslation("loyalty");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const account = useQuery({
    queryKey: ["loyalty", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/loyalty", { params: { path: { customerId } } })),
  });
  const tiers = useQuery({
    queryKey: ["tiers"],
    queryFn: () => data(api.GET("/loyalty/tiers")),
    staleTime: 3_600_000,
  });
  const cancellations = useCancellations();
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <QueryView query={account}>
        {(loyalty) =>
          tiers.data ? (
            <>
              <TierCard account={loyalty} tiers={tiers.data.items} />
              <Expiring account={loyalty} />
              <Catalog account={loyalty} tiers={tiers.data.items} cancellations={cancellations} />
            </>
          ) : tiers.isError ? (
            <ErrorState error={tiers.error} onRetry={() => void tiers.refetch()} />
          ) : (
            <Loading />
          )
        }
      </QueryView>
      <History cancellations={cancellations} />
      {cancellations.dialog}
    </div>
  );
}

function Expiring({ account }: { account: Schemas["LoyaltyAccountOutput"] }) {
  const { t } = useTranslation("loyalty");
  const format = useFormat();
  return (
    <section className="card" aria-labelledby="expiring-title">
      <h2 id="expiring-title">{t("expiring")}</h2>
      {account.expiringPoints.length === 0 ? (
        <Empty>{t("expiringNone")}</Empty>
      ) : (
        <ul className="list">
          {account.expiringPoints.map((lot) => (
            <li key={lot.expiresAt}>
              {t("expiringItem", { points: format.number(lot.points), date: format.date(lot.expiresAt) })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History({ cancellations }: { cancellations: Cancellations }) {
  const { t } = useTranslation("loyalty");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const [type, setType] = useState<TransactionType | "">("");
  const history = useInfiniteQuery({
    queryKey: ["transactions", customerId, type],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/loyalty/transactions", {
          params: {
            path: { customerId },
            query: { limit: 10, ...(type ? { type } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  const { cancelled } = cancellations;
  // every redemption not cancelled: the clock ticks when the next of their windows closes
  const now = useNow(
    cancelled ? items.flatMap((entry) => cancellable(entry, cancelled, -Infinity)?.deadline ?? []) : [],
  );
  return (
    <section className="card" aria-labelledby="history-title">
      <div className="section-head">
        <h2 id="history-title">{t("history")}</h2>
        <label className="inline">
          {t("typeFilter")}
          <select value={type} onChange={(event) => setType(event.target.value as TransactionType | "")} data-testid="type-filter">
            <option value="">{t("type.all")}</option>
            {TYPES.map((value) => (
              <option key={value} value={value}>
                {t(`type.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t("noTransactions")}</Empty>
      ) : (
        <>
          <ul className="list transactions">
            {items.map((entry) => (
              <HistoryEntry key={entry.transactionId} entry={entry} cancellations={cancellations} now={now} />
            ))}
          </ul>
          {history.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** One transaction; a redemption shows "Cancelled" once cancelled, or its "Cancel" while it may be. */
function HistoryEntry({ entry, cancellations, now }: { entry: Schemas["TransactionOutput"]; cancellations: Cancellations; now: number }) {
  const { t } = useTranslation("loyalty");
  const format = useFormat();
  const { cancelled } = cancellations;
  const open = cancelled && cancellable(entry, cancelled, now);
  const redemptionId = entry.type === "redeem" ? redemptionOf(entry) : null;
  const wasCancelled = redemptionId !== null && (cancelled?.has(redemptionId) ?? false);
  return (
    <li className="row" data-type={entry.type} data-cancelled={wasCancelled ? "true" : undefined}>
      <div>
        <strong>{t(`type.${entry.type}`, { defaultValue: entry.type })}</strong>
        {wasCancelled && <span className="chip cancelled-chip">{t("cancelled")}</span>}
        <div className="muted">{entry.reason}</div>
        <div className="muted">{format.dateTime(entry.createdAt)}</div>
        {open && (
          <CancelButton
            deadline={open.deadline}
            onClick={() => cancellations.ask({ redemptionId: open.redemptionId, points: -entry.points, deadline: open.deadline })}
          />
        )}
      </div>
      <div className="figure">
        <span className={entry.points >= 0 ? "plus" : "minus"} dir="ltr">
          {entry.points > 0 ? "+" : ""}
          {format.number(entry.points)}
        </span>
        <div className="muted">{t("balanceAfter", { points: format.number(entry.balanceAfter) })}</div>
      </div>
    </li>
  );
}

function Catalog({
  account,
  tiers,
  cancellations,
}: {
  account: Schemas["LoyaltyAccountOutput"];
  tiers: Schemas["TierOutput"][];
  cancellations: Cancellations;
}) {
  const { t } = useTranslation("loyalty");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const catalog = useQuery({ queryKey: ["catalog"], queryFn: () => data(api.GET("/loyalty/catalog")) });
  const [chosen, setChosen] = useState<Schemas["CatalogItemOutput"] | null>(null);
  const [key, setKey] = useState(idempotencyKey);
  const redeem = useMutation({
    mutationFn: (item: Schemas["CatalogItemOutput"]) =>
      data(
        api.POST("/customers/{customerId}/loyalty/redemptions", {
          params: { path: { customerId }, header: { "Idempotency-Key": key } },
          body: { itemId: item.itemId },
        }),
      ),
    onSuccess: () => {
      setChosen(null);
      setKey(idempotencyKey()); // the next redemption is another operation
      void queryClient.invalidateQueries({ queryKey: ["loyalty", customerId] });
      void queryClient.invalidateQueries({ queryKey: ["transactions", customerId] });
    },
  });
  const tierName = (id: string) => tiers.find((tier) => tier.tierId === id)?.name ?? id;
  return (
    <section className="card" aria-labelledby="catalog-title">
      <h2 id="catalog-title">{t("catalog")}</h2>
      {account.redemptionHold && (
        <p className="notice" role="status">
          {t("hold")}
        </p>
      )}
      {redeem.isSuccess && (
        <Voucher
          redemption={redeem.data}
          item={redeem.variables.name}
          // the API's redemption time is a little later than the request's: the window is not overstated
          deadline={cancelDeadline(redeem.submittedAt)}
          cancellations={cancellations}
        />
      )}
      <QueryView query={catalog}>
        {({ items }) => {
          if (items.length === 0) {
            return <Empty>{t("noCatalog")}</Empty>;
          }
          const rated = items
            .map((item) => ({ item, state: affordability(item, account, tiers) }))
            .sort((a, b) => a.item.pointsCost - b.item.pointsCost);
          const redeemable = rated.filter((entry) => entry.state === "redeemable");
          const others = rated.filter((entry) => entry.state !== "redeemable");
          return (
            <>
              <h3>{t("canRedeem")}</h3>
              {redeemable.length === 0 ? (
                <Empty>{t("nothingAffordable")}</Empty>
              ) : (
                <ul className="list catalog">
                  {redeemable.map(({ item }) => (
                    <li key={item.itemId} className="row">
                      <div>
                        <strong>{item.name}</strong>
                        <div className="muted">{t("cost", { points: format.number(item.pointsCost) })}</div>
                      </div>
                      <button type="button" className="button primary" onClick={() => setChosen(item)}>
                        {t("redeem")}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {others.length > 0 && (
                <>
                  <h3>{t("moreRewards")}</h3>
                  <ul className="list catalog">
                    {others.map(({ item, state }) => (
                      <li key={item.itemId} className="row unavailable">
                        <div>
                          <strong>{item.name}</strong>
                          <div className="muted">{t("cost", { points: format.number(item.pointsCost) })}</div>
                        </div>
                        <span className="muted">
                          {state === "needs-tier"
                            ? t("needsTier", { tier: tierName(item.minTier) })
                            : state === "needs-points"
                              ? t("needsPoints", { points: format.number(item.pointsCost - account.pointsBalance) })
                              : t("onHold")}
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </QueryView>
      {chosen && (
        <ConfirmDialog
          title={t("confirmTitle", { item: chosen.name })}
          confirmLabel={t("confirmRedeem")}
          busy={redeem.isPending}
          onCancel={() => {
            setChosen(null);
            redeem.reset();
          }}
          onConfirm={() => redeem.mutate(chosen)}
        >
          <p>
            {t("confirmBody", { points: format.number(chosen.pointsCost), balance: format.number(account.pointsBalance) })}
          </p>
          {redeem.isError && <ErrorState error={redeem.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The voucher of the redemption just made, with its "Cancel" while the window is open; void once cancelled. */
function Voucher({
  redemption,
  item,
  deadline,
  cancellations,
}: {
  redemption: Schemas["RedemptionOutput"];
  item: string;
  deadline: number;
  cancellations: Cancellations;
}) {
  const { t } = useTranslation("loyalty");
  const format = useFormat();
  const now = useNow([deadline]);
  const cancelled = cancellations.cancelled?.has(redemption.redemptionId) ?? false;
  return (
    <div className={cancelled ? "voucher cancelled" : "voucher"} role="status" data-testid="voucher" data-status={cancelled ? "cancelled" : "active"}>
      <h3>{cancelled ? t("voucherCancelledTitle") : t("voucherTitle")}</h3>
      <p className="code" dir="ltr">
        {cancelled ? <s>{redemption.voucherCode}</s> : redemption.voucherCode}
      </p>
      {cancelled ? (
        <p>{t("voucherCancelledBody", { points: format.number(redemption.pointsSpent) })}</p>
      ) : (
        <>
          <p>{t("voucherBody", { item, balance: format.number(redemption.balanceAfter) })}</p>
          {cancellations.cancelled && now < deadline && (
            <CancelButton
              deadline={deadline}
              onClick={() => cancellations.ask({ redemptionId: redemption.redemptionId, points: redemption.pointsSpent, deadline })}
            />
          )}
        </>
      )}
    </div>
  );
}
