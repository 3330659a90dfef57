import { ChartIcon } from "../../components/icons";
import type { PageDefinition } from "../types";
import { AnalyticsPage } from "./AnalyticsPage";
import { messages } from "./messages";

export const analyticsPage: PageDefinition = {
  path: "analytics",
  namespace: "analytics",
  messages,
  audience: "customer",
  icon: ChartIcon(),
  Component: AnalyticsPage,
};
