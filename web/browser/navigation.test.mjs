// The app's navigation on a phone (390x844): four links in the bottom bar and "More", a disclosure button
// whose sheet holds the other pages (focus moves in, Escape and a tap outside close it), in English and in
// Arabic (right to left); every page reachable through it and none wider than the phone. The customer
// `navigation` (USERS.navigation; its profile is made below) and the admin. Run by tests/e2e/test_web.py.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { apiCall, axeScan, DESKTOP, open, openMore, PHONE, shoot, signIn, USERS } from "./support.mjs";

const CUSTOMER = USERS.navigation;
const ADMIN = USERS.admin;
// in navigation order (src/routes.tsx): the bar's four, then the sheet's
const CUSTOMER_PAGES = [
  ["Loyalty", "loyalty"],
  ["Offers", "offers"],
  ["Spending", "analytics"],
  ["Help", "help"],
  ["Referral", "referral"],
  ["My segment", "segment"],
  ["Notifications", "notifications"],
  ["Support", "support"],
  ["Special dates", "special-dates"],
  ["Security", "security"],
  ["My data", "my-data"],
];
const STAFF_PAGES = [
  ["Chat queue", "staff/chats"],
  ["Ticket triage", "staff/tickets"],
  ["Fraud review", "staff/fraud"],
  ["New offer", "staff/offers"],
  ["New FAQ", "staff/faq"],
  ["Segment stats", "staff/segments"],
];

const profile = (user, displayName) =>
  apiCall("PUT", `/customers/${user.id}/profile`, { displayName, email: user.email, language: "en", timezone: "Asia/Riyadh" }, user.token);

before(async () => {
  await profile(CUSTOMER, "Yousef Amin");
  await profile(ADMIN, "Staff admin"); // as security.test.mjs names it: the files may run in any order
});

const navigation = (page) => page.getByRole("navigation");
const names = (page) => navigation(page).getByRole("link").allTextContents();
const fitsThePhone = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Opens every page through the navigation (the sheet's through "More"), checking each fits the phone. */
async function walk(page, list) {
  for (const [index, [name, path]] of list.entries()) {
    if (index >= 4) {
      await openMore(page);
    }
    await navigation(page).getByRole("link", { name, exact: true }).click();
    await page.waitForURL(`**/${path}`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.locator(".state-loading").first().waitFor({ state: "detached" });
    assert.ok(await fitsThePhone(page), `${path} fits the phone`);
    if (index >= 4) {
      // the page is behind More: More shows where the customer is
      assert.match(await navigation(page).getByTestId("nav-more").getAttribute("class"), /\bactive\b/);
    }
  }
}

test("on a phone: four links and More, whose sheet opens with the focus in it and closes with Escape or a tap outside", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  assert.deepEqual(await names(page), ["Loyalty", "Offers", "Spending", "Help"]);
  const more = navigation(page).getByRole("button", { name: "More" });
  assert.equal(await more.getAttribute("aria-expanded"), "false");
  // the bar is one row at the bottom of the screen, More at its end
  const bar = await navigation(page).boundingBox();
  assert.ok(bar.y + bar.height <= 844 && bar.y > 844 - 100, "the bar is at the bottom");
  assert.ok((await more.boundingBox()).x > (await navigation(page).getByRole("link", { name: "Help" }).boundingBox()).x);

  await more.click();
  await page.locator("[data-testid=nav-more][aria-expanded=true]").waitFor();
  assert.deepEqual(
    await names(page),
    CUSTOMER_PAGES.map(([name]) => name),
  );
  const sheet = page.locator(`#${await more.getAttribute("aria-controls")}`);
  assert.ok(await sheet.isVisible());
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Referral");
  // the sheet stands above the bar, inside the screen
  const box = await sheet.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= bar.y + 1, "the sheet is above the bar");
  await shoot(page, "navigation-en");
  await axeScan(page, "navigation (More open)");

  await page.keyboard.press("Escape");
  await page.locator("[data-testid=nav-more][aria-expanded=false]").waitFor();
  assert.ok(await sheet.isHidden());
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "nav-more");
  // the keyboard opens it too, and a tap outside closes it
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=nav-more][aria-expanded=true]").waitFor();
  await page.mouse.click(195, 120);
  await page.locator("[data-testid=nav-more][aria-expanded=false]").waitFor();

  // every customer page through the navigation, none wider than the phone
  await walk(page, CUSTOMER_PAGES);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone in Arabic: the bar and the sheet read from the right", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "الولاء" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  const more = navigation(page).getByRole("button", { name: "المزيد" });
  // More is at the bar's end: on the left
  assert.ok((await more.boundingBox()).x < (await navigation(page).getByRole("link", { name: "الولاء" }).boundingBox()).x);
  await more.click();
  await page.locator("[data-testid=nav-more][aria-expanded=true]").waitFor();
  const first = await navigation(page).getByRole("link", { name: "الإحالة" }).boundingBox();
  const second = await navigation(page).getByRole("link", { name: "شريحتي" }).boundingBox();
  assert.ok(first.x > second.x, "the sheet's first link is on the right");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "الإحالة");
  await shoot(page, "navigation-ar");
  await axeScan(page, "navigation (More open, Arabic)");
  await page.keyboard.press("Escape");
  await page.locator("[data-testid=nav-more][aria-expanded=false]").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "nav-more");

  await openMore(page);
  await navigation(page).getByRole("link", { name: "الأمان", exact: true }).click();
  await page.waitForURL("**/security");
  await page.getByRole("heading", { level: 1, name: "الأمان" }).waitFor();
  assert.equal(await more.getAttribute("aria-expanded"), "false"); // a new page starts with the sheet closed
  assert.ok(await fitsThePhone(page));
  await page.getByTestId("language-switch").click(); // the customer's profile back in English
  await page.locator("html[lang=en]").waitFor({ state: "attached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("staff on a phone: their pages in the bar, the rest behind More, every one fitting the phone", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, ADMIN);
  await page.getByRole("navigation").waitFor();
  assert.deepEqual(await names(page), ["Chat queue", "Ticket triage", "Fraud review", "New offer"]);
  await walk(page, [...STAFF_PAGES, ...CUSTOMER_PAGES]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a wide screen every page is in the side column, with no More", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, ADMIN);
  await page.getByRole("navigation").waitFor();
  assert.deepEqual(await names(page), [...STAFF_PAGES, ...CUSTOMER_PAGES].map(([name]) => name));
  assert.equal(await navigation(page).getByRole("button").count(), 0);
  const column = await navigation(page).boundingBox();
  const main = await page.locator("main").boundingBox();
  assert.ok(column.x < main.x, "the column is at the start");
  assert.deepEqual(errors, []);
  await context.close();
});
