import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Schemas } from "../../api/client";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import { Inbox } from "./Inbox";

const GIFT: Schemas["NotificationOutput"] = {
  notificationId: "n-1",
  category: "rewards",
  title: "A gift for your birthday",
  body: "250 points are waiting for you.",
  channels: ["email", "inApp"],
  createdAt: "2026-03-01T21:30:00Z",
  readAt: null,
};
const TIER: Schemas["NotificationOutput"] = { ...GIFT, notificationId: "n-2", category: "loyalty", title: "Welcome to Silver!", readAt: "2026-03-01T22:00:00Z" };

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The inbox against a fake API: GETs answer the items (unread only when asked), a read marks one. */
function renderInbox() {
  const items = [GIFT, TIER].map((item) => ({ ...item }));
  const requests: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      requests.push(`${request.method} ${url.pathname}${url.search}`);
      const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { "Content-Type": "application/json" } });
      const read = /\/notifications\/([^/]+)\/read$/.exec(url.pathname);
      if (read) {
        const item = items.find((entry) => entry.notificationId === read[1])!;
        item.readAt = "2026-03-02T08:00:00Z";
        return json({ notificationId: item.notificationId, readAt: item.readAt });
      }
      const unreadOnly = url.searchParams.get("unreadOnly") === "true";
      return json({ items: items.filter((item) => !unreadOnly || item.readAt === null), nextCursor: null });
    }),
  );
  renderInApp(
    <QueryClientProvider client={new QueryClient()}>
      <Inbox />
    </QueryClientProvider>,
    { timezone: "Asia/Riyadh" },
  );
  return requests;
}

describe("the inbox", () => {
  it("shows each item unread or read, in the customer's time zone", async () => {
    renderInbox();
    const list = await screen.findByTestId("inbox");
    const [gift, tier] = within(list).getAllByRole("listitem");
    expect(gift!.getAttribute("data-read")).toBe("false");
    expect(within(gift!).getByText("Unread")).toBeTruthy();
    expect(within(gift!).getByText("Mar 2, 2026, 12:30 AM")).toBeTruthy(); // 21:30 UTC is the next day in Riyadh
    expect(within(gift!).getByText("Sent by email and in-app message")).toBeTruthy();
    expect(tier!.getAttribute("data-read")).toBe("true");
    expect(within(tier!).queryByRole("button")).toBeNull();
  });

  it("marks an item read, and asks the API for unread items only when filtered", async () => {
    const requests = renderInbox();
    const list = await screen.findByTestId("inbox");
    fireEvent.click(within(list).getByRole("button", { name: "Mark as read" }));
    await vi.waitFor(() => expect(within(screen.getByTestId("inbox")).queryByRole("button", { name: "Mark as read" })).toBeNull());
    expect(requests).toContain("POST /customers/customer-1/notifications/n-1/read");
    fireEvent.click(screen.getByRole("checkbox", { name: "Unread only" }));
    await screen.findByText("You have read everything.");
    expect(requests.at(-1)).toBe("GET /customers/customer-1/notifications?limit=20&unreadOnly=true");
  });
});
