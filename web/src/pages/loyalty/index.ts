import { StarIcon } from "../../components/icons";
import type { PageDefinition } from "../types";
import { LoyaltyPage } from "./LoyaltyPage";
import { messages } from "./messages";

export const loyaltyPage: PageDefinition = {
  path: "loyalty",
  namespace: "loyalty",
  messages,
  audience: "customer",
  icon: StarIcon(),
  Component: LoyaltyPage,
};
