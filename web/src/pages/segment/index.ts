import { PieIcon } from "../../components/icons";
import type { PageDefinition } from "../types";
import { SegmentPage } from "./SegmentPage";
import { messages } from "./messages";

export const segmentPage: PageDefinition = {
  path: "segment",
  namespace: "segment",
  messages,
  audience: "customer",
  icon: PieIcon(),
  Component: SegmentPage,
};
