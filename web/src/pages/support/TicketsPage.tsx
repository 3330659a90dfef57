import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { data, idempotencyKey } from "../../api/client";
import { useApp } from "../../app/context";
import { ErrorState, QueryView } from "../../components/states";
import { useSupportCategories } from "./categories";
import { TicketList } from "./TicketParts";
import { PRIORITIES, type Priority } from "./tickets";

export function TicketsPage() {
  const { t } = useTranslation("support");
  const { session } = useApp();
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <NewTicket />
      <TicketList customerId={session.customerId} viewer="customer" linkTo={(ticketId) => `/support/${encodeURIComponent(ticketId)}`} />
    </div>
  );
}

function NewTicket() {
  const { t } = useTranslation("support");
  const { api, session } = useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { categories } = useSupportCategories();
  const customerId = session.customerId;
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [priority, setPriority] = useState<Priority>("normal");
  const [key] = useState(idempotencyKey); // one ticket per form: a retried submit is the same operation
  const open = useMutation({
    mutationFn: () =>
      data(
        api.POST("/customers/{customerId}/tickets", {
          params: { path: { customerId }, header: { "Idempotency-Key": key } },
          body: { subject: subject.trim(), description: description.trim(), categoryId, priority },
        }),
      ),
    onSuccess: (ticket) => {
      queryClient.setQueryData(["ticket", ticket.ticketId], ticket);
      void queryClient.invalidateQueries({ queryKey: ["tickets", customerId] });
      void navigate(`/support/${encodeURIComponent(ticket.ticketId)}`);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    open.mutate();
  }
  return (
    <section className="card" aria-labelledby="new-ticket-title">
      <h2 id="new-ticket-title">{t("newTicket")}</h2>
      <QueryView query={categories}>
        {({ items }) => (
          <form className="form" onSubmit={submit}>
            <label>
              {t("subject")}
              <input required maxLength={200} value={subject} onChange={(event) => setSubject(event.target.value)} />
            </label>
            <label>
              {t("category")}
              <select required value={categoryId} onChange={(event) => setCategoryId(event.target.value)}>
                <option value="" disabled>
                  {t("chooseCategory")}
                </option>
                {items.map((category) => (
                  <option key={category.categoryId} value={category.categoryId}>
                    {category.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("priority")}
              <select value={priority} onChange={(event) => setPriority(event.target.value as Priority)}>
                {PRIORITIES.map((value) => (
                  <option key={value} value={value}>
                    {t(`priority.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("description")}
              <textarea required maxLength={5000} rows={4} value={description} onChange={(event) => setDescription(event.target.value)} />
            </label>
            {open.isError && <ErrorState error={open.error} />}
            <button type="submit" className="button primary" disabled={open.isPending}>
              {t("openTicket")}
            </button>
          </form>
        )}
      </QueryView>
    </section>
  );
}
