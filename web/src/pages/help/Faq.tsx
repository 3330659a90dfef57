import { useState } from "react";
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";
import { useSupportCategories } from "../support/categories";
import { useDebounced } from "./useDebounced";

/** The FAQ: by category, or the search's best answers as the customer types (in either language: the
 * API matches Arabic without diacritics and letter variants, English without case and plurals). */
export function Faq() {
  const { t } = useTranslation("help");
  const [typed, setTyped] = useState("");
  const query = useDebounced(typed.trim().slice(0, 200), 300);
  return (
    <section className="card" aria-labelledby="faq-title">
      <h2 id="faq-title">{t("faq")}</h2>
      <label className="block">
        {t("search")}
        <input type="search" value={typed} onChange={(event) => setTyped(event.target.value)} maxLength={200} placeholder={t("searchHint")} />
      </label>
      {query ? <SearchResults query={query} /> : <ByCategory />}
    </section>
  );
}

function SearchResults({ query }: { query: string }) {
  const { t } = useTranslation("help");
  const { api } = useApp();
  const results = useQuery({
    queryKey: ["faq-search", query],
    queryFn: () => data(api.GET("/support/faq/search", { params: { query: { q: query } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <div aria-live="polite">
      <QueryView query={results}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t("noResults", { query })}</Empty>
          ) : (
            <ul className="list" data-testid="faq-results">
              {items.map((hit) => (
                <li key={hit.faqId}>
                  <FaqEntry faqId={hit.faqId} question={hit.question} answer={hit.answer} />
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}

function ByCategory() {
  const { t } = useTranslation("help");
  const { api } = useApp();
  const { categories } = useSupportCategories();
  const [categoryId, setCategoryId] = useState("");
  const faq = useInfiniteQuery({
    queryKey: ["faq", categoryId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api.GET("/support/faq", {
          params: { query: { limit: 20, ...(categoryId ? { categoryId } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = faq.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <QueryView query={categories}>
        {({ items: all }) => (
          <div className="chips" role="group" aria-label={t("categories")} data-testid="faq-categories">
            <button type="button" className="chip" aria-pressed={categoryId === ""} onClick={() => setCategoryId("")}>
              {t("allCategories")}
            </button>
            {all.map((category) => (
              <button
                key={category.categoryId}
                type="button"
                className="chip"
                aria-pressed={categoryId === category.categoryId}
                title={category.description}
                onClick={() => setCategoryId(category.categoryId)}
              >
                {category.name}
              </button>
            ))}
          </div>
        )}
      </QueryView>
      {faq.isPending ? (
        <Loading />
      ) : faq.isError ? (
        <ErrorState error={faq.error} onRetry={() => void faq.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t("noFaq")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="faq-list">
            {items.map((item) => (
              <li key={item.faqId} data-category={item.categoryId}>
                <FaqEntry faqId={item.faqId} question={item.question} answer={item.answer} helpfulCount={item.helpfulCount} />
              </li>
            ))}
          </ul>
          {faq.hasNextPage && (
            <button type="button" className="button secondary" onClick={() => void faq.fetchNextPage()} disabled={faq.isFetchingNextPage}>
              {t("loadMore", { ns: "common" })}
            </button>
          )}
        </>
      )}
    </>
  );
}

/** A question that opens on its answer, with the helpful vote (one per customer: a second replaces it). */
function FaqEntry({ faqId, question, answer, helpfulCount }: { faqId: string; question: string; answer: string; helpfulCount?: number }) {
  const { t } = useTranslation("help");
  const { api } = useApp();
  const format = useFormat();
  const queryClient = useQueryClient();
  const vote = useMutation({
    mutationFn: (helpful: boolean) =>
      data(api.POST("/support/faq/{faqId}/feedback", { params: { path: { faqId } }, body: { helpful } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["faq"] }),
  });
  const voted = vote.isSuccess ? vote.data.helpful : undefined;
  return (
    <details className="faq" data-faq={faqId}>
      <summary>{question}</summary>
      <p className="pre" dir="auto">{answer}</p>
      <div className="vote" role="group" aria-label={t("wasHelpful")}>
        <span>{t("wasHelpful")}</span>
        <button type="button" className="chip" aria-pressed={voted === true} onClick={() => vote.mutate(true)} disabled={vote.isPending}>
          {t("yes")}
        </button>
        <button type="button" className="chip" aria-pressed={voted === false} onClick={() => vote.mutate(false)} disabled={vote.isPending}>
          {t("no")}
        </button>
        {helpfulCount !== undefined && (
          <span className="muted" data-testid="helpful-count">
            {t("helpfulCount", { count: helpfulCount, formatted: format.number(helpfulCount) })}
          </span>
        )}
      </div>
      <p className="muted" role="status">
        {voted !== undefined ? t("thanks") : ""}
      </p>
      {vote.isError && <ErrorState error={vote.error} />}
    </details>
  );
}
