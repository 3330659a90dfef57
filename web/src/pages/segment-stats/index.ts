import type { PageDefinition } from "../types";
import { GroupsIcon } from "../security/icons";
import { messages } from "./messages";
import { SegmentStatsPage } from "./SegmentStatsPage";

export const segmentStatsPage: PageDefinition = {
  path: "staff/segments",
  namespace: "segmentStats",
  messages,
  audience: "staff",
  groups: ["admins"],
  icon: GroupsIcon(),
  Component: SegmentStatsPage,
};
