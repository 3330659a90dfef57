import type { PageDefinition } from "../types";
import { TriageIcon } from "../support/icons";
import { messages } from "./messages";
import { TriagePage } from "./TriagePage";
import { TriageTicketPage } from "./TriageTicketPage";

export const staffTicketsPage: PageDefinition = {
  path: "staff/tickets",
  namespace: "staffTickets",
  messages,
  audience: "staff",
  icon: TriageIcon(),
  Component: TriagePage,
  children: [{ path: "staff/tickets/:ticketId", Component: TriageTicketPage }],
};
