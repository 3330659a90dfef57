import type { PageDefinition } from "../types";
import { ShieldIcon } from "./icons";
import { messages } from "./messages";
import { SecurityPage } from "./SecurityPage";

export const securityPage: PageDefinition = {
  path: "security",
  namespace: "security",
  messages,
  audience: "customer",
  icon: ShieldIcon(),
  Component: SecurityPage,
};
