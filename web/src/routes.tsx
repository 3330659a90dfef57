/** The one route list. A new page is a folder under pages/ exporting a PageDefinition (index.ts) and
 * one line here; nothing else changes (see web/README.md). */
import type { PageDefinition } from "./pages/types";
import { registerMessages } from "./i18n/i18n";
import { loyaltyPage } from "./pages/loyalty";
import { referralPage } from "./pages/referral";
import { segmentPage } from "./pages/segment";
import { offersPage } from "./pages/offers";
import { analyticsPage } from "./pages/analytics";
import { notificationsPage } from "./pages/notifications";
import { specialDatesPage } from "./pages/special-dates";

export const pages: PageDefinition[] = [
  loyaltyPage,
  referralPage,
  segmentPage,
  offersPage,
  analyticsPage,
  notificationsPage,
  specialDatesPage,
];

export function registerPageMessages(): void {
  for (const page of pages) {
    registerMessages(page.namespace, page.messages);
  }
}
