import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Schemas } from "../../api/client";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import { LoyaltyPage } from "./LoyaltyPage";

type Entry = Schemas["TransactionOutput"];
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const entry = (transactionId: string, type: Entry["type"], points: number, minutes: number, source: Entry["source"]): Entry => ({
  transactionId,
  type,
  points,
  balanceAfter: 0,
  reason: `${type} ${transactionId}`,
  source,
  createdAt: minutesAgo(minutes),
});

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The page against a fake API: a fresh redemption (10 minutes ago), an old one (40), one already
 * cancelled, and a return's reversal that left a debt; a cancellation adds its refund. */
function renderPage() {
  const ledger: Entry[] = [
    entry("t-fresh", "redeem", -300, 10, { kind: "redemption", id: "r-fresh" }),
    entry("t-refund", "refund", 500, 20, { kind: "redemption", id: "r-cancelled" }),
    entry("t-reverse", "reverse", -800, 25, { kind: "return", id: "ret-1" }),
    entry("t-cancelled", "redeem", -500, 28, { kind: "redemption", id: "r-cancelled" }),
    entry("t-old", "redeem", -200, 40, { kind: "redemption", id: "r-old" }),
  ];
  const account = { customerId: "customer-1", tier: "bronze", pointsBalance: 0, lifetimePoints: 0, nextTier: null, expiringPoints: [], redemptionHold: false, pointsDebt: 100 };
  const requests: { method: string; path: string; key: string | null }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      requests.push({ method: request.method, path: `${url.pathname}${url.search}`, key: request.headers.get("Idempotency-Key") });
      const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { "Content-Type": "application/json" } });
      if (url.pathname.endsWith("/cancellation")) {
        ledger.unshift(entry("t-new-refund", "refund", 300, 0, { kind: "redemption", id: "r-fresh" }));
        account.pointsDebt = 0;
        account.pointsBalance = 200;
        return json({ redemptionId: "r-fresh", status: "cancelled", pointsRefunded: 300, balanceAfter: 200, transactionId: "t-new-refund" });
      }
      if (url.pathname.endsWith("/loyalty/transactions")) {
        const type = url.searchParams.get("type");
        return json({ items: ledger.filter((item) => !type || item.type === type), nextCursor: null });
      }
      if (url.pathname.endsWith("/loyalty/tiers")) {
        return json({ items: [{ tierId: "bronze", name: "Bronze", minPoints: 0, earnMultiplier: 1, benefits: [] }] });
      }
      if (url.pathname.endsWith("/loyalty/catalog")) {
        return json({ items: [] });
      }
      return json(account);
    }),
  );
  renderInApp(
    <QueryClientProvider client={new QueryClient()}>
      <LoyaltyPage />
    </QueryClientProvider>,
  );
  return requests;
}

const row = (type: string, reason: string) =>
  screen.getAllByRole("listitem").find((item) => item.getAttribute("data-type") === type && item.textContent?.includes(reason))!;

describe("the loyalty page after issue 18", () => {
  it("offers Cancel on a fresh redemption only, marks a cancelled one, and shows reversals and the debt", async () => {
    renderPage();
    await screen.findByText("reverse t-reverse");
    expect(await within(row("redeem", "t-fresh")).findByRole("button", { name: "Cancel redemption" })).toBeTruthy();
    expect(within(row("redeem", "t-old")).queryByRole("button")).toBeNull(); // its 30 minutes are over
    expect(within(row("redeem", "t-cancelled")).queryByRole("button")).toBeNull();
    expect(within(row("redeem", "t-cancelled")).getByText("Cancelled")).toBeTruthy();
    expect(within(row("reverse", "t-reverse")).getByText("-800")).toBeTruthy();
    expect((await screen.findByTestId("debt-points")).textContent).toBe("100");
    const filter = screen.getByTestId("type-filter");
    expect(within(filter).getByRole("option", { name: "Reversed" }).getAttribute("value")).toBe("reverse");
    expect(within(filter).getByRole("option", { name: "Refunded" }).getAttribute("value")).toBe("refund");
  });

  it("cancels after a confirmation, with an Idempotency-Key, then shows it cancelled and the new balance", async () => {
    const requests = renderPage();
    await screen.findByText("reverse t-reverse");
    fireEvent.click(await within(row("redeem", "t-fresh")).findByRole("button", { name: "Cancel redemption" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel this redemption?" });
    expect(within(dialog).getByText("300 points go back to your balance and the voucher stops working.")).toBeTruthy();
    expect(requests.some((request) => request.method === "POST")).toBe(false); // nothing before the confirmation
    fireEvent.click(within(dialog).getByRole("button", { name: "Yes, cancel it" }));
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const posted = requests.filter((request) => request.method === "POST");
    expect(posted.map((request) => request.path)).toEqual(["/customers/customer-1/loyalty/redemptions/r-fresh/cancellation"]);
    expect(posted[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(() => expect(within(row("redeem", "t-fresh")).getByText("Cancelled")).toBeTruthy());
    expect(screen.queryByRole("button", { name: "Cancel redemption" })).toBeNull();
    await vi.waitFor(() => expect(screen.getByTestId("balance").textContent).toBe("200"));
    expect(screen.queryByTestId("points-debt")).toBeNull();
  });
});
