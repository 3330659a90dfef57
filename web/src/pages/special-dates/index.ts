import type { PageDefinition } from "../types";
import { CakeIcon } from "./CakeIcon";
import { SpecialDatesPage } from "./SpecialDatesPage";
import { messages } from "./messages";

export const specialDatesPage: PageDefinition = {
  path: "special-dates",
  namespace: "specialDates",
  messages,
  audience: "customer",
  icon: CakeIcon(),
  Component: SpecialDatesPage,
};
