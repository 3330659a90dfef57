/** The one route list. A new page is a folder under pages/ exporting a PageDefinition (index.ts) and
 * one line here; nothing else changes (see web/README.md). */
import type { PageDefinition } from "./pages/types";
import { registerMessages } from "./i18n/i18n";
import { loyaltyPage } from "./pages/loyalty";
import { referralPage } from "./pages/referral";
import { segmentPage } from "./pages/segment";
import { offersPage } from "./pages/offers";
import { analyticsPage } from "./pages/analytics";
import { securityPage } from "./pages/security";
import { fraudReviewPage } from "./pages/fraud-review";
import { offerAdminPage } from "./pages/offer-admin";
import { faqAdminPage } from "./pages/faq-admin";
import { segmentStatsPage } from "./pages/segment-stats";
import { supportPage } from "./pages/support";
import { helpPage } from "./pages/help";
import { staffChatsPage } from "./pages/staff-chats";
import { staffTicketsPage } from "./pages/staff-tickets";
import { notificationsPage } from "./pages/notifications";
import { specialDatesPage } from "./pages/special-dates";
import { myDataPage } from "./pages/my-data";

// The order is the navigation's; a phone's bottom bar holds the first four (staff: their pages first),
// the others are behind its "More" button (app/navigation.ts).
export const pages: PageDefinition[] = [
  loyaltyPage,
  offersPage,
  analyticsPage,
  helpPage,
  referralPage,
  segmentPage,
  notificationsPage,
  supportPage,
  specialDatesPage,
  securityPage,
  myDataPage,
  staffChatsPage,
  staffTicketsPage,
  fraudReviewPage,
  offerAdminPage,
  faqAdminPage,
  segmentStatsPage,
];

export function registerPageMessages(): void {
  for (const page of pages) {
    registerMessages(page.namespace, page.messages);
  }
}
