import type { PageDefinition } from "../types";
import { BellIcon } from "./BellIcon";
import { NotificationsPage } from "./NotificationsPage";
import { messages } from "./messages";

export const notificationsPage: PageDefinition = {
  path: "notifications",
  namespace: "notifications",
  messages,
  audience: "customer",
  icon: BellIcon(),
  Component: NotificationsPage,
};
