import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, QueryView } from "../../components/states";
import { BirthdayCard, specialDatesKey, upcomingKey } from "./Birthday";
import { formatBirthday, formatCalendarDate, formatYear } from "./calendar";

/** The `status` filter's values, as the contract lists them. */
type RewardStatus = NonNullable<NonNullable<paths["/customers/{customerId}/rewards"]["get"]["parameters"]["query"]>["status"]>;
const STATUSES: RewardStatus[] = ["available", "claimed", "expired"];

/** Birthday (set once), anniversary, the occasions of the next 60 days and the rewards to claim. */
export function SpecialDatesPage() {
  const { t } = useTranslation("specialDates");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const dates = useQuery({
    queryKey: specialDatesKey(customerId),
    queryFn: () => data(api.GET("/customers/{customerId}/special-dates", { params: { path: { customerId } } })),
  });
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <QueryView query={dates}>
        {(special) => (
          <>
            <BirthdayCard birthday={special.birthday} />
            <Anniversary anniversary={special.anniversary} />
          </>
        )}
      </QueryView>
      <Upcoming />
      <Rewards />
    </div>
  );
}

function Anniversary({ anniversary }: { anniversary: Schemas["SpecialDatesOutput"]["anniversary"] }) {
  const { t } = useTranslation("specialDates");
  const format = useFormat();
  return (
    <section className="card" aria-labelledby="anniversary-title">
      <h2 id="anniversary-title">{t("anniversary")}</h2>
      <p data-testid="member-since">{t("memberSince", { date: formatCalendarDate(anniversary.since, format.locale) })}</p>
      <p className="muted">{t("anniversaryEvery", { date: formatBirthday({ month: anniversary.month, day: anniversary.day }, format.locale) })}</p>
    </section>
  );
}

function Upcoming() {
  const { t } = useTranslation("specialDates");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const upcoming = useQuery({
    queryKey: upcomingKey(customerId),
    queryFn: () => data(api.GET("/customers/{customerId}/rewards/upcoming", { params: { path: { customerId } } })),
  });
  const when = (days: number) => (days === 0 ? t("today") : days === 1 ? t("tomorrow") : t("inDays", { count: days }));
  return (
    <section className="card" aria-labelledby="upcoming-title">
      <h2 id="upcoming-title">{t("upcoming")}</h2>
      <QueryView query={upcoming}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t("noUpcoming")}</Empty>
          ) : (
            <ul className="list" data-testid="upcoming">
              {items.map((item) => (
                <li key={`${item.occasion}-${item.date}`} className="row" data-occasion={item.occasion}>
                  <div>
                    <strong>{t(`occasion.${item.occasion}`)}</strong>
                    <div className="muted">
                      <time dateTime={item.date}>{formatCalendarDate(item.date, format.locale)}</time> · {when(item.daysUntil)}
                    </div>
                  </div>
                  <span className="plus">{t("expectedPoints", { points: format.number(item.expectedPoints) })}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

function Rewards() {
  const { t } = useTranslation("specialDates");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [status, setStatus] = useState<RewardStatus | "">("");
  const [key, setKey] = useState(idempotencyKey);
  const rewards = useQuery({
    queryKey: ["rewards", customerId, status],
    queryFn: () =>
      data(api.GET("/customers/{customerId}/rewards", { params: { path: { customerId }, query: status ? { status } : {} } })),
  });
  const claim = useMutation({
    mutationFn: (rewardId: string) =>
      data(
        api.POST("/customers/{customerId}/rewards/{rewardId}/claims", {
          params: { path: { customerId, rewardId }, header: { "Idempotency-Key": key } },
          body: {},
        }),
      ),
    onSettled: () => {
      setKey(idempotencyKey()); // the next claim is another operation
      void queryClient.invalidateQueries({ queryKey: ["rewards", customerId] });
      void queryClient.invalidateQueries({ queryKey: ["loyalty", customerId] });
      void queryClient.invalidateQueries({ queryKey: ["transactions", customerId] });
    },
  });
  return (
    <section className="card" aria-labelledby="rewards-title">
      <div className="section-head">
        <h2 id="rewards-title">{t("rewards")}</h2>
        <label className="inline">
          {t("statusFilter")}
          <select value={status} onChange={(event) => setStatus(event.target.value as RewardStatus | "")} data-testid="reward-status">
            <option value="">{t("status.all")}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`status.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {claim.isSuccess && (
        <p className="voucher" role="status" data-testid="reward-claimed">
          {t("claimed", { points: format.number(claim.data.pointsAwarded) })}
        </p>
      )}
      {claim.isError && <ErrorState error={claim.error} />}
      <QueryView query={rewards}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{status ? t("noRewardsOfStatus") : t("noRewards")}</Empty>
          ) : (
            <ul className="list" data-testid="rewards">
              {items.map((reward) => (
                <li key={reward.rewardId} className="row" data-status={reward.status} data-occasion={reward.occasion}>
                  <div>
                    <strong id={`reward-${reward.rewardId}`}>
                      {t("rewardTitle", { occasion: t(`occasion.${reward.occasion}`), year: formatYear(reward.year, format.locale) })}
                    </strong>
                    <div className="plus">{t("points", { points: format.number(reward.points) })}</div>
                    {reward.status === "available" && <div className="muted">{t("claimBy", { date: format.date(reward.claimBy) })}</div>}
                  </div>
                  {reward.status === "available" ? (
                    <button
                      type="button"
                      className="button primary"
                      onClick={() => claim.mutate(reward.rewardId)}
                      disabled={claim.isPending}
                      aria-describedby={`reward-${reward.rewardId}`}
                    >
                      {t("claim")}
                    </button>
                  ) : (
                    <span className={`chip ${reward.status}`}>{t(`status.${reward.status}`)}</span>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
