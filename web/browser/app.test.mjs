// The web app in real Chromium against a running local stack. Run by tests/e2e/test_web.py, which
// builds the app, starts the stack serving it, prepares the users and sets the variables read below.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adminCall, axeScan, DESKTOP, open, PHONE, shoot, signIn as signInAs, USERS } from "./support.mjs";

const CUSTOMER = USERS.customer;
const FRIEND_CODE = USERS.friend.referralCode;
const PAGES = ["loyalty", "referral", "segment", "offers", "analytics"];
const TITLES = {
  en: { loyalty: "Loyalty", referral: "Referral", segment: "My segment", offers: "Offers", analytics: "Spending" },
  ar: { loyalty: "الولاء", referral: "الإحالة", segment: "شريحتي", offers: "العروض", analytics: "الإنفاق" },
};

const signIn = (page, scan = false) => signInAs(page, CUSTOMER, scan);

async function visit(page, area, language) {
  await page.getByRole("navigation").getByRole("link", { name: TITLES[language][area] }).click();
  await page.waitForURL(`**/${area}`);
  await page.getByRole("heading", { level: 1, name: TITLES[language][area] }).waitFor();
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

test("a new customer signs in, opens the account and redeems on a phone (390x844)", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, true);
  // first time: GET profile is 404, so the app asks for the profile and PUTs it
  await page.getByRole("heading", { name: "Welcome! Tell us about you" }).waitFor();
  await axeScan(page, "profile creation");
  await page.getByLabel("Your name").fill("Sara Haddad");
  await page.getByLabel("Time zone").fill("Asia/Riyadh");
  await page.getByRole("button", { name: "Open my account" }).click();
  await page.getByTestId("tier-card").waitFor();
  assert.equal(await page.getByTestId("balance").textContent(), "0");
  assert.equal(await page.getByRole("progressbar").getAttribute("aria-valuenow"), "0");
  await page.getByText("Nothing you can redeem yet").waitFor();

  // the order service records a purchase: 800 points, 200 short of Silver
  await adminCall("POST", `/customers/${CUSTOMER.id}/purchases`, {
    orderId: "web-order-1",
    amount: "800.00",
    currency: "SAR",
    category: "electronics",
    channel: "web",
  });
  await page.reload();
  await page.getByTestId("balance").filter({ hasText: "800" }).waitFor();
  const progress = page.getByRole("progressbar", { name: "Progress to Silver" });
  assert.equal(await progress.getAttribute("aria-valuenow"), "80");
  await page.getByText("200 more points to Silver").waitFor();
  // the page fits the phone: nothing wider than the viewport
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));

  const coffee = page.locator("li", { hasText: "Coffee voucher" });
  await coffee.getByRole("button", { name: "Redeem" }).click();
  const dialog = page.getByRole("dialog", { name: "Redeem Coffee voucher?" });
  await dialog.getByText("300 points will be taken from your balance of 800.").waitFor();
  await dialog.getByRole("button", { name: "Yes, redeem" }).click();
  const voucher = page.getByTestId("voucher");
  await voucher.waitFor();
  assert.match((await voucher.locator(".code").textContent()).trim(), /^\S{4,}$/);
  await page.getByTestId("balance").filter({ hasText: "500" }).waitFor();
  await page.locator("li[data-type=redeem]").first().waitFor();
  await shoot(page, "loyalty-en-phone");
  await axeScan(page, "loyalty (phone)");
  assert.deepEqual(errors, []);
  await context.close();
});

test("every page in English, each doing its main action", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page);
  await page.getByTestId("tier-card").waitFor();

  // Loyalty: the type filter asks the API for that type only
  await page.getByTestId("type-filter").selectOption("earn");
  await page.locator("li[data-type=earn]").first().waitFor();
  assert.equal(await page.locator("li[data-type=redeem]").count(), 0);
  await page.getByTestId("type-filter").selectOption("");
  await page.locator("li[data-type=redeem]").first().waitFor();
  await shoot(page, "loyalty-en");
  await axeScan(page, "loyalty");

  // Referral: my code, and a friend's code applied
  await visit(page, "referral", "en");
  assert.match((await page.getByTestId("my-code").textContent()).trim(), /^[A-Z0-9]{8}$/);
  await page.getByRole("textbox", { name: "Friend's code" }).fill(FRIEND_CODE.toLowerCase());
  await page.getByText(/invited you: 250 points for you/).waitFor();
  await page.getByRole("button", { name: "Apply code" }).click();
  await page.getByTestId("referral-applied").waitFor();
  await shoot(page, "referral-en");
  await axeScan(page, "referral");

  // Segment: the segment, what it means, the benefits
  await visit(page, "segment", "en");
  await page.getByRole("heading", { name: "What it means" }).waitFor();
  assert.ok((await page.locator("#segment-name").textContent()).trim().length > 0);
  await page.getByRole("heading", { name: "Your benefits" }).waitFor();
  await shoot(page, "segment-en");
  await axeScan(page, "segment");

  // Offers: best first, the detail with its eligibility, applied to an order with a preview
  await visit(page, "offers", "en");
  await page.getByTestId("offers").waitFor();
  await shoot(page, "offers-en");
  await axeScan(page, "offers");
  await page.getByRole("link", { name: /10% off your order/ }).click();
  await page.getByTestId("eligibility").filter({ hasText: "You can use this offer" }).waitFor();
  await page.getByLabel("Order number").fill("web-order-2");
  await page.getByLabel("Order amount (SAR)").fill("200");
  const preview = page.getByTestId("preview");
  await preview.getByText(/SAR\s20\.00/).waitFor();
  await preview.getByText(/SAR\s180\.00/).waitFor();
  await page.getByRole("button", { name: "Apply offer" }).click();
  await page.getByTestId("offer-applied").filter({ hasText: /Discount SAR\s20\.00: you pay SAR\s180\.00\./ }).waitFor();
  await shoot(page, "offer-detail-en");
  await axeScan(page, "offer detail");

  // Analytics: the figures, both charts, the engagement score, the purchases and their date filter
  await visit(page, "analytics", "en");
  await page.getByTestId("summary").getByText(/SAR\s800\.00/).first().waitFor();
  assert.equal(await page.locator("svg.chart rect.bar").count(), 12);
  await page.getByTestId("categories").getByText("electronics").waitFor();
  await page.getByTestId("engagement-score").waitFor();
  assert.equal(await page.getByTestId("purchases").locator("li").count(), 1);
  // the date pickers are the customer's calendar days (the profile's Asia/Riyadh), whatever UTC's date is
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Riyadh" }).format(new Date());
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId("from").fill(today);
  const bounded = page.waitForResponse((response) => /\/purchases\?.*from=.*to=/.test(response.url()));
  await page.getByTestId("to").fill(today);
  await bounded;
  await page.getByTestId("purchases").locator("li").first().waitFor();
  assert.equal(await page.getByTestId("purchases").locator("li").count(), 1);
  await page.getByTestId("to").fill("");
  await page.getByTestId("from").fill(tomorrow);
  await page.getByText("No purchases in this period.").waitFor();
  await page.getByRole("button", { name: "Clear dates" }).click();
  await page.getByTestId("purchases").locator("li").first().waitFor();
  await shoot(page, "analytics-en");
  await axeScan(page, "analytics");
  assert.deepEqual(errors, []);
  await context.close();
});

test("in Arabic every page is right to left, in Arabic, and the language is saved to the profile", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page);
  await page.getByTestId("tier-card").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "الولاء" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await page.locator("html").getAttribute("lang"), "ar");
  // the side navigation is at the start, on the right
  const navigation = await page.getByRole("navigation").boundingBox();
  const main = await page.locator("main").boundingBox();
  assert.ok(navigation.x > main.x, "the navigation column is on the right in Arabic");
  // the API's own texts come in Arabic too (Accept-Language): the tier's name
  await page.getByTestId("tier-card").getByText("برونزي").waitFor();

  for (const area of PAGES) {
    if (area !== "loyalty") {
      await visit(page, area, "ar");
    }
    assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    await shoot(page, `${area}-ar`);
    await axeScan(page, `${area} (Arabic)`);
  }

  // Arabic-Indic digits, optional
  await visit(page, "loyalty", "ar");
  await page.getByLabel("أرقام عربية هندية").check();
  await page.getByTestId("balance").filter({ hasText: "٥٠٠" }).waitFor();
  await page.getByRole("heading", { name: "تنتهي خلال ٣٠ يوماً" }).waitFor(); // the texts' own digits too
  await page.getByLabel("أرقام عربية هندية").uncheck();

  const profile = await adminCall("GET", `/customers/${CUSTOMER.id}/profile`);
  assert.equal(profile.language, "ar");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Arabic loyalty journey on a phone, then sign-out", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page);
  // the profile's saved language is taken on sign-in
  await page.getByRole("heading", { level: 1, name: "الولاء" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  await page.getByTestId("tier-card").waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  // the bottom navigation reads from the right: its first link is right of its last
  const links = page.getByRole("navigation").getByRole("link");
  assert.ok((await links.first().boundingBox()).x > (await links.last().boundingBox()).x);
  await shoot(page, "loyalty-ar-phone");

  // an expired ID token is renewed with the refresh token (Cognito's REFRESH_TOKEN_AUTH) before a
  // request carries it: were it sent, the API would refuse it and the app would sign out
  const expired = await page.evaluate(() => {
    const key = "customer-id.session";
    const stored = JSON.parse(sessionStorage.getItem(key));
    const [header, payload, signature] = stored.idToken.split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    claims.exp = Math.floor(Date.now() / 1000) - 10;
    const forged = btoa(JSON.stringify(claims)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    sessionStorage.setItem(key, JSON.stringify({ ...stored, idToken: `${header}.${forged}.${signature}` }));
    return `${header}.${forged}.${signature}`;
  });
  await page.reload();
  await page.getByTestId("tier-card").waitFor();
  const renewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem("customer-id.session")).idToken);
  assert.notEqual(renewed, expired);

  await page.getByRole("button", { name: "تسجيل الخروج" }).click();
  await page.getByRole("button", { name: "تسجيل الدخول" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
