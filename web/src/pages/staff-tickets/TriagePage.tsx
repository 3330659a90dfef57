import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { TicketList } from "../support/TicketParts";

/** Ticket triage: a customer's tickets (by the customer ID a chat or the customer gives), or a ticket
 * by its number. The contract has no ticket list across customers (see the report of issue 17). */
export function TriagePage() {
  const { t } = useTranslation("staffTickets");
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const customerId = params.get("customer") ?? "";
  const [typedCustomer, setTypedCustomer] = useState(customerId);
  const [ticketId, setTicketId] = useState("");
  function findCustomer(event: FormEvent) {
    event.preventDefault();
    setParams(typedCustomer.trim() ? { customer: typedCustomer.trim() } : {});
  }
  function openTicket(event: FormEvent) {
    event.preventDefault();
    void navigate(`/staff/tickets/${encodeURIComponent(ticketId.trim())}`);
  }
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <section className="card" aria-labelledby="find-title">
        <h2 id="find-title">{t("find")}</h2>
        <form className="filters" onSubmit={findCustomer}>
          <label className="block grow">
            {t("customerId")}
            <input required value={typedCustomer} onChange={(event) => setTypedCustomer(event.target.value)} dir="ltr" />
          </label>
          <button type="submit" className="button primary">
            {t("showTickets")}
          </button>
        </form>
        <form className="filters" onSubmit={openTicket}>
          <label className="block grow">
            {t("ticketNumber")}
            <input required value={ticketId} onChange={(event) => setTicketId(event.target.value)} dir="ltr" />
          </label>
          <button type="submit" className="button secondary">
            {t("openTicket")}
          </button>
        </form>
      </section>
      {customerId && (
        <TicketList
          key={customerId}
          customerId={customerId}
          viewer="staff"
          linkTo={(id) => `/staff/tickets/${encodeURIComponent(id)}`}
        />
      )}
    </div>
  );
}
