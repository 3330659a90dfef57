import { useState, type FormEvent } from "react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp, useFormat } from "../../app/context";
import { Empty, ErrorState, Loading, QueryView } from "../../components/states";

/** Admins add a FAQ item: its category, and the question and answer in both languages; the
 * category's items follow (in the app's language, as customers read them). */
export function FaqAdminPage() {
  const { t } = useTranslation("faqAdmin");
  const { api } = useApp();
  const queryClient = useQueryClient();
  const categories = useQuery({ queryKey: ["support-categories"], queryFn: () => data(api.GET("/support/categories")) });
  const [categoryId, setCategoryId] = useState("");
  const [text, setText] = useState({ questionEn: "", questionAr: "", answerEn: "", answerAr: "" });
  const [key, setKey] = useState(idempotencyKey);
  const chosen = categoryId || categories.data?.items[0]?.categoryId || "";
  const create = useMutation({
    mutationFn: () =>
      data(
        api.POST("/support/faq", {
          params: { header: { "Idempotency-Key": key } },
          body: {
            categoryId: chosen,
            question: { en: text.questionEn.trim(), ar: text.questionAr.trim() },
            answer: { en: text.answerEn.trim(), ar: text.answerAr.trim() },
          },
        }),
      ),
    onSuccess: () => {
      setKey(idempotencyKey());
      setText({ questionEn: "", questionAr: "", answerEn: "", answerAr: "" });
      void queryClient.invalidateQueries({ queryKey: ["faq"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  const field = (name: keyof typeof text, language: "en" | "ar", long: boolean) => {
    const props = {
      value: text[name],
      onChange: (event: { target: { value: string } }) => setText((current) => ({ ...current, [name]: event.target.value })),
      required: true,
      maxLength: long ? 5000 : 300,
      dir: language === "ar" ? "rtl" : "ltr",
      lang: language,
    } as const;
    return (
      <label>
        {t(name)}
        {long ? <textarea rows={4} {...props} /> : <input {...props} />}
      </label>
    );
  };
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <QueryView query={categories}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t("noCategories")}</Empty>
          ) : (
            <>
              {create.isSuccess && (
                <p className="notice" role="status" data-testid="faq-created">
                  {t("created", { question: create.data.question })}
                </p>
              )}
              <form className="card form" onSubmit={submit} aria-labelledby="faq-form-title">
                <h2 id="faq-form-title">{t("newItem")}</h2>
                <label>
                  {t("category")}
                  <select value={chosen} onChange={(event) => setCategoryId(event.target.value)}>
                    {items.map((category) => (
                      <option key={category.categoryId} value={category.categoryId}>
                        {category.name}
                      </option>
                    ))}
                  </select>
                </label>
                {field("questionEn", "en", false)}
                {field("questionAr", "ar", false)}
                {field("answerEn", "en", true)}
                {field("answerAr", "ar", true)}
                {create.isError && <ErrorState error={create.error} />}
                <button type="submit" className="button primary" disabled={create.isPending}>
                  {t("create")}
                </button>
              </form>
              <CategoryItems categoryId={chosen} name={items.find((category) => category.categoryId === chosen)?.name ?? ""} />
            </>
          )
        }
      </QueryView>
    </div>
  );
}

function CategoryItems({ categoryId, name }: { categoryId: string; name: string }) {
  const { t } = useTranslation("faqAdmin");
  const { api } = useApp();
  const format = useFormat();
  const faq = useInfiniteQuery({
    queryKey: ["faq", categoryId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(api.GET("/support/faq", { params: { query: { categoryId, limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = faq.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="faq-list-title">
      <h2 id="faq-list-title">{t("inCategory", { category: name })}</h2>
      {faq.isPending ? (
        <Loading />
      ) : faq.isError ? (
        <ErrorState error={faq.error} onRetry={() => void faq.refetch()} />
      ) : items.length === 0 ? (
        <Empty>{t("noItems")}</Empty>
      ) : (
        <>
          <ul className="list" data-testid="faq-items">
            {items.map((item) => (
              <li key={item.faqId}>
                <strong>{item.question}</strong>
                <p className="muted">{item.answer}</p>
                <p className="muted">{t("helpful", { count: item.helpfulCount, formatted: format.number(item.helpfulCount) })}</p>
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
    </section>
  );
}
