import type { PageDefinition } from "../types";
import { HelpIcon } from "../support/icons";
import { HelpPage } from "./HelpPage";
import { messages } from "./messages";

export const helpPage: PageDefinition = {
  path: "help",
  namespace: "help",
  messages,
  audience: "customer",
  icon: HelpIcon(),
  Component: HelpPage,
};
