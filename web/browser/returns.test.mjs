// Issue 18 on the loyalty page: a fresh redemption cancelled by the customer (points back, voucher void),
// and an order returned after the customer spent its points (the `reverse` entry and the debt), in English
// and Arabic. The customer `returns` (USERS.returns; its profile is made below through the API); the
// admin plays the order service. Run by tests/e2e/test_web.py.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { adminCall, apiCall, axeScan, DESKTOP, open, PHONE, shoot, signIn, USERS } from "./support.mjs";

const CUSTOMER = USERS.returns;
let purchaseId;

/** A call as the customer, to their own `/customers/{id}…` path. */
const mine = (method, path, body) => apiCall(method, `/customers/${CUSTOMER.id}${path}`, body, CUSTOMER.token);
const fitsThePhone = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

before(async () => {
  await mine("PUT", "/profile", { displayName: "Nadia Karim", email: CUSTOMER.email, language: "en", timezone: "Asia/Riyadh" });
  // the order service records an 800 SAR order: 800 points
  ({ purchaseId } = await adminCall("POST", `/customers/${CUSTOMER.id}/purchases`, {
    orderId: "returns-order-1",
    amount: "800.00",
    currency: "SAR",
    category: "home",
    channel: "web",
  }));
});

async function redeem(page, item, points, balance) {
  await page.locator("li", { hasText: item }).getByRole("button", { name: "Redeem" }).click();
  const dialog = page.getByRole("dialog", { name: `Redeem ${item}?` });
  await dialog.getByText(`${points} points will be taken from your balance of ${balance}.`).waitFor();
  await dialog.getByRole("button", { name: "Yes, redeem" }).click();
  await page.getByTestId("voucher").waitFor();
}

test("a fresh redemption cancelled: confirmed, the points back in the balance, the voucher void", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, CUSTOMER);
  await page.getByTestId("balance").filter({ hasText: "800" }).waitFor();
  await redeem(page, "Coffee voucher", "300", "800");
  await page.getByTestId("balance").filter({ hasText: "500" }).waitFor();
  const voucher = page.locator("[data-testid=voucher][data-status=active]");
  await voucher.getByText(/You can cancel until/).waitFor();
  // the same redemption in the history offers it too
  const redemption = page.locator("li[data-type=redeem]").first();
  await redemption.getByRole("button", { name: "Cancel redemption" }).waitFor();

  // asked first; "Keep it" keeps it
  await voucher.getByRole("button", { name: "Cancel redemption" }).click();
  let dialog = page.getByRole("dialog", { name: "Cancel this redemption?" });
  await dialog.getByText("300 points go back to your balance and the voucher stops working.").waitFor();
  await axeScan(page, "cancel a redemption (dialog)");
  await dialog.getByRole("button", { name: "Keep it" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.locator("[data-testid=voucher][data-status=active]").waitFor();

  await voucher.getByRole("button", { name: "Cancel redemption" }).click();
  dialog = page.getByRole("dialog", { name: "Cancel this redemption?" });
  const sent = page.waitForRequest((request) => request.method() === "POST" && request.url().endsWith("/cancellation"));
  await dialog.getByRole("button", { name: "Yes, cancel it" }).click();
  const request = await sent;
  assert.match(request.headers()["idempotency-key"] ?? "", /^[0-9a-f-]{36}$/, "the cancellation is an operation");
  const answer = await (await request.response()).json();
  assert.equal(answer.status, "cancelled");
  assert.equal(answer.pointsRefunded, 300);

  // the voucher shows it void, the balance and the history refresh
  const cancelled = page.locator("[data-testid=voucher][data-status=cancelled]");
  await cancelled.getByText("Voucher cancelled").waitFor();
  await cancelled.getByText("This voucher no longer works, and 300 points are back in your balance.").waitFor();
  await page.getByTestId("balance").filter({ hasText: "800" }).waitFor();
  const refund = page.locator("li[data-type=refund]").first();
  await refund.getByText("Refunded").waitFor();
  await refund.getByText("+300").waitFor();
  const voided = page.locator("li[data-type=redeem][data-cancelled=true]").first();
  await voided.getByText("Cancelled", { exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel redemption" }).count(), 0);
  const { items } = await mine("GET", "/loyalty/transactions?type=refund");
  assert.deepEqual(
    items.map((item) => [item.points, item.source.kind]),
    [[300, "redemption"]],
  );

  // the type filter offers the new types and asks the API for them
  await page.getByTestId("type-filter").selectOption("refund");
  await page.locator("li[data-type=redeem]").first().waitFor({ state: "detached" });
  await page.locator("li[data-type=refund]").first().waitFor();
  await page.getByTestId("type-filter").selectOption("");
  await page.locator("li[data-type=redeem]").first().waitFor();
  await shoot(page, "loyalty-cancel-en");
  await axeScan(page, "loyalty after a cancellation");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the order comes back after its points were spent: the reverse entry and the debt, in English and Arabic, on a phone", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, CUSTOMER);
  await page.getByTestId("balance").filter({ hasText: "800" }).waitFor();
  await redeem(page, "Free shipping on one order", "500", "800");
  await page.getByTestId("balance").filter({ hasText: "300" }).waitFor();
  assert.equal(await page.getByTestId("points-debt").count(), 0);

  // the whole order is returned: 800 points taken back, 300 from the balance, 500 owed
  const returned = await adminCall("POST", `/customers/${CUSTOMER.id}/purchases/${purchaseId}/returns`, {
    returnId: "returns-ret-1",
    amount: "800.00",
    reason: "damaged in transit",
  });
  assert.deepEqual([returned.pointsReversed, returned.balanceAfter, returned.pointsDebt], [800, 0, 500]);
  await page.reload();
  await page.getByTestId("balance").filter({ hasText: /^0$/ }).waitFor();
  const debt = page.getByTestId("points-debt");
  await debt.getByText("Points owed").waitFor();
  assert.equal(await page.getByTestId("debt-points").textContent(), "500");
  await debt.getByText("A returned order took back points your balance could not cover: the points you earn next pay it off first.").waitFor();
  const reverse = page.locator("li[data-type=reverse]").first();
  await reverse.getByText("Reversed").waitFor();
  await reverse.getByText("-800").waitFor();
  await page.getByTestId("type-filter").selectOption("reverse");
  await page.locator("li[data-type=redeem]").first().waitFor({ state: "detached" });
  await page.locator("li[data-type=reverse]").first().waitFor();
  assert.equal(await page.locator("li[data-type=reverse]").count(), 1);
  await page.getByTestId("type-filter").selectOption("");
  await page.locator("li[data-type=redeem]").first().waitFor();
  assert.ok(await fitsThePhone(page), "the loyalty page with a debt fits the phone");
  await shoot(page, "loyalty-returns-en");
  await axeScan(page, "loyalty with a debt");

  // in Arabic, right to left
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "الولاء" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  await debt.getByText("نقاط مستحقة عليك").waitFor();
  await page.locator("li[data-type=reverse]").first().getByText("مستردة").waitFor();
  await page.locator("li[data-type=refund]").first().getByText("معادة").waitFor();
  await page.locator("li[data-type=redeem][data-cancelled=true]").first().getByText("ملغى", { exact: true }).waitFor();
  // the fresh redemption (free shipping) can still be cancelled, in Arabic too
  await page.locator("li[data-type=redeem]").first().getByRole("button", { name: "إلغاء الاستبدال" }).waitFor();
  assert.ok(await fitsThePhone(page), "the Arabic loyalty page with a debt fits the phone");
  await shoot(page, "loyalty-returns-ar");
  await axeScan(page, "loyalty with a debt (Arabic)");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Cancel goes away by itself when the 30 minutes are over", async () => {
  await mine("PUT", "/profile", { displayName: "Nadia Karim", email: CUSTOMER.email, language: "en", timezone: "Asia/Riyadh" });
  const { context, page, errors } = await open(DESKTOP);
  await page.clock.install(); // the page's own clock, from its first script on
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  const fresh = page.locator("li[data-type=redeem]:not([data-cancelled])").first();
  await fresh.getByRole("button", { name: "Cancel redemption" }).waitFor(); // the free shipping, redeemed above
  await page.clock.fastForward("30:01");
  await fresh.getByRole("button", { name: "Cancel redemption" }).waitFor({ state: "detached" });
  assert.equal(await page.getByRole("button", { name: "Cancel redemption" }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
