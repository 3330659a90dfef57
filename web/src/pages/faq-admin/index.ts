import type { PageDefinition } from "../types";
import { QuestionIcon } from "../security/icons";
import { FaqAdminPage } from "./FaqAdminPage";
import { messages } from "./messages";

export const faqAdminPage: PageDefinition = {
  path: "staff/faq",
  namespace: "faqAdmin",
  messages,
  audience: "staff",
  groups: ["admins"],
  icon: QuestionIcon(),
  Component: FaqAdminPage,
};
