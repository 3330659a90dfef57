import type { PageDefinition } from "../types";
import { SearchShieldIcon } from "../security/icons";
import { FraudReviewPage } from "./FraudReviewPage";
import { messages } from "./messages";

export const fraudReviewPage: PageDefinition = {
  path: "staff/fraud",
  namespace: "fraudReview",
  messages,
  audience: "staff",
  icon: SearchShieldIcon(),
  Component: FraudReviewPage,
};
