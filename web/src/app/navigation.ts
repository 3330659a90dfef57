/** Which pages a user's navigation shows, in which order, and which of them fit the phone's bottom bar. */
import { useCallback, useSyncExternalStore } from "react";
import type { PageDefinition } from "../pages/types";

export const STAFF_GROUPS = ["agents", "admins"];
/** Links in the phone's bottom bar next to "More" (five targets of about 78 px at 390 px). */
export const BAR_LINKS = 4;
/** Where the layout turns from a phone's bottom bar into a wide screen's side column (styles.css). */
export const WIDE = "(min-width: 48rem)";

export interface Navigation {
  /** Every page the user may open, in navigation order. */
  links: PageDefinition[];
  /** The phone bar's links: the first `BAR_LINKS` of `links`, or all of them when they fit without "More". */
  bar: PageDefinition[];
  /** The rest, behind the phone's "More" button (empty when everything fits the bar). */
  more: PageDefinition[];
}

/** The pages the user's groups may see, in the route list's order, staff pages first for staff (their
 * work comes first on a phone's bar); then the split between the phone's bar and its "More" sheet. */
export function navigationFor(pages: PageDefinition[], groups: string[]): Navigation {
  const isStaff = groups.some((group) => STAFF_GROUPS.includes(group));
  const staffPages = isStaff
    ? pages.filter((page) => page.audience === "staff" && (!page.groups || page.groups.some((group) => groups.includes(group))))
    : [];
  const links = [...staffPages, ...pages.filter((page) => page.audience === "customer")];
  // a "More" that would hold one link takes that link's place: five links fit the bar
  const fits = links.length <= BAR_LINKS + 1;
  return { links, bar: fits ? links : links.slice(0, BAR_LINKS), more: fits ? [] : links.slice(BAR_LINKS) };
}

/** Whether `path` (the location's pathname) is `page` or one of its sub-routes ("/offers/o-1" is offers). */
export function isWithin(page: PageDefinition, path: string): boolean {
  return path === `/${page.path}` || path.startsWith(`/${page.path}/`);
}

/** Whether the media query matches now, following its changes. */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
