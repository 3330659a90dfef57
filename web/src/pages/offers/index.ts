import { TagIcon } from "../../components/icons";
import type { PageDefinition } from "../types";
import { OfferDetailPage } from "./OfferDetailPage";
import { OffersPage } from "./OffersPage";
import { messages } from "./messages";

export const offersPage: PageDefinition = {
  path: "offers",
  namespace: "offers",
  messages,
  audience: "customer",
  icon: TagIcon(),
  Component: OffersPage,
  children: [{ path: "offers/:offerId", Component: OfferDetailPage }],
};
