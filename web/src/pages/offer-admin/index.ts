import type { PageDefinition } from "../types";
import { PercentIcon } from "../security/icons";
import { messages } from "./messages";
import { OfferAdminPage } from "./OfferAdminPage";

export const offerAdminPage: PageDefinition = {
  path: "staff/offers",
  namespace: "offerAdmin",
  messages,
  audience: "staff",
  groups: ["admins"],
  icon: PercentIcon(),
  Component: OfferAdminPage,
};
