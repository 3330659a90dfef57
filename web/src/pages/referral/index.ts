import { UsersIcon } from "../../components/icons";
import type { PageDefinition } from "../types";
import { ReferralPage } from "./ReferralPage";
import { messages } from "./messages";

export const referralPage: PageDefinition = {
  path: "referral",
  namespace: "referral",
  messages,
  audience: "customer",
  icon: UsersIcon(),
  Component: ReferralPage,
};
