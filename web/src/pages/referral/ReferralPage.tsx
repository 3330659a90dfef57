import { useState, type FormEvent } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";

export function ReferralPage() {
  const { t } = useTranslation("referral");
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <MyCode />
      <ApplyCode />
      <MyReferrals />
    </div>
  );
}

function MyCode() {
  const { t } = useTranslation("referral");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const [copied, setCopied] = useState(false);
  // POST is the only read of one's code: 201 the first time, 200 after (the same code), so it is safe to repeat
  const code = useQuery({
    queryKey: ["referral-code", customerId],
    queryFn: () =>
      data(api.POST("/customers/{customerId}/referral-code", { params: { path: { customerId } }, body: {} })),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <section className="card" aria-labelledby="code-title">
      <h2 id="code-title">{t("myCode")}</h2>
      <p className="muted">{t("intro")}</p>
      <QueryView query={code}>
        {(mine) => {
          const shareText = t("shareText", { code: mine.code, points: 250 });
          return (
            <>
              <p className="code" dir="ltr" data-testid="my-code">
                {mine.code}
              </p>
              <label className="block">
                {t("shareLink")}
                <input readOnly value={mine.shareUrl} dir="ltr" onFocus={(event) => event.target.select()} />
              </label>
              <div className="actions">
                <button
                  type="button"
                  className="button secondary"
                  onClick={() =>
                    void navigator.clipboard?.writeText(mine.shareUrl).then(
                      () => setCopied(true),
                      () => setCopied(false),
                    )
                  }
                >
                  {copied ? t("copied") : t("copy")}
                </button>
                {typeof navigator.share === "function" && (
                  <button
                    type="button"
                    className="button primary"
                    onClick={() => void navigator.share({ title: t("myCode"), text: shareText, url: mine.shareUrl }).catch(() => undefined)}
                  >
                    {t("share")}
                  </button>
                )}
              </div>
              <p className="muted" role="status">
                {copied ? t("copied") : ""}
              </p>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function ApplyCode() {
  const { t } = useTranslation("referral");
  const { api, session } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const customerId = session.customerId;
  const [code, setCode] = useState("");
  const [key] = useState(idempotencyKey);
  const normalized = code.trim().toUpperCase();
  const preview = useQuery({
    queryKey: ["referral-lookup", normalized],
    queryFn: () => data(api.GET("/referrals/{code}", { params: { path: { code: normalized } } })),
    enabled: normalized.length === 8,
    retry: false,
  });
  const apply = useMutation({
    mutationFn: () =>
      data(
        api.POST("/customers/{customerId}/referrals", {
          params: { path: { customerId }, header: { "Idempotency-Key": `${key}-${normalized}` } },
          body: { code: normalized },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["engagement", customerId] }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    apply.mutate();
  }
  return (
    <section className="card" aria-labelledby="apply-title">
      <h2 id="apply-title">{t("apply")}</h2>
      {apply.isSuccess ? (
        <p role="status" data-testid="referral-applied">
          {t("applied")}
        </p>
      ) : (
        <form className="form" onSubmit={submit}>
          <label>
            {t("codeLabel")}
            <input
              value={code}
              onChange={(event) => setCode(event.target.value)}
              required
              minLength={8}
              maxLength={8}
              autoCapitalize="characters"
              autoComplete="off"
              dir="ltr"
            />
          </label>
          {preview.data && (
            <p className="muted">
              {t("referrerPreview", { name: preview.data.referrerName, points: format.number(preview.data.refereeRewardPoints) })}
            </p>
          )}
          {apply.isError && <ErrorState error={apply.error} />}
          <button type="submit" className="button primary" disabled={apply.isPending}>
            {t("applyButton")}
          </button>
        </form>
      )}
    </section>
  );
}

function MyReferrals() {
  const { t } = useTranslation("referral");
  const { api, session } = useApp();
  const format = useFormat();
  const customerId = session.customerId;
  const referrals = useInfiniteQuery({
    queryKey: ["referrals", customerId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/customers/{customerId}/referrals", {
          params: { path: { customerId }, query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const first = referrals.data?.pages[0];
  const items = referrals.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="referrals-title">
      <h2 id="referrals-title">{t("myReferrals")}</h2>
      {referrals.isPending ? (
        <Loading />
      ) : referrals.isError || !first ? (
        <ErrorState error={referrals.error} onRetry={() => void referrals.refetch()} />
      ) : (
        <>
          <dl className="stats">
            {(["total", "pending", "qualified", "pointsEarned"] as const).map((key) => (
              <div key={key}>
                <dt>{t(`stats.${key}`)}</dt>
                <dd>{format.number(first.stats[key])}</dd>
              </div>
            ))}
          </dl>
          {items.length === 0 ? (
            <Empty>{t("noReferrals")}</Empty>
          ) : (
            <ul className="list">
              {items.map((referral) => (
                <li key={referral.referralId} className="row">
                  <div>
                    <strong>{referral.refereeName}</strong>
                    <div className="muted">{format.date(referral.createdAt)}</div>
                  </div>
                  <div className="figure">
                    <span className={`chip ${referral.status}`}>{t(`status.${referral.status}`)}</span>
                    {referral.pointsAwarded > 0 && (
                      <div className="plus">{t("pointsAwarded", { points: format.number(referral.pointsAwarded) })}</div>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {referrals.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void referrals.fetchNextPage()}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
