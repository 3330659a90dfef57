import type { PageDefinition } from "../types";
import { TicketIcon } from "./icons";
import { messages } from "./messages";
import { TicketPage } from "./TicketPage";
import { TicketsPage } from "./TicketsPage";

export const supportPage: PageDefinition = {
  path: "support",
  namespace: "support",
  messages,
  audience: "customer",
  icon: TicketIcon(),
  Component: TicketsPage,
  children: [{ path: "support/:ticketId", Component: TicketPage }],
};
