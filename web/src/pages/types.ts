import type { ComponentType, ReactNode } from "react";
import type { Messages } from "../i18n/i18n";

/** One page of the app, as its folder exports it (`pages/<area>/index.ts`) and the route list names it. */
export interface PageDefinition {
  /** The URL path under the app ("loyalty"); sub-routes are the page's own (e.g. "offers/:offerId"). */
  path: string;
  /** The i18next namespace of its messages; `title` is its navigation label and heading. */
  namespace: string;
  messages: Messages;
  /** Who sees it in the navigation: every customer, or staff (by `cognito:groups`). */
  audience: "customer" | "staff";
  /** For a staff page that only some staff may use (API.md's `admins` routes): the groups that see it. */
  groups?: ("agents" | "admins")[];
  icon: ReactNode;
  Component: ComponentType;
  /** Further routes of the page ("offers/:offerId"), each rendered by its own component. */
  children?: { path: string; Component: ComponentType }[];
}
