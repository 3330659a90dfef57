// Notification settings and inbox, special dates and rewards (issue 17, pages 6 and 8), for the
// customer `settings` (USERS.settings: a new user; its profile is made below through the API).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { adminCall, apiCall, axeScan, DESKTOP, open, openMore, PHONE, shoot, signIn, USERS } from "./support.mjs";

const CUSTOMER = USERS.settings;
// UTC+14: for half of each day its calendar date is not UTC's, nor the browser's (open() uses Asia/Riyadh)
const ZONE = "Pacific/Kiritimati";
const TITLES = {
  en: { notifications: "Notifications", "special-dates": "Special dates" },
  ar: { notifications: "الإشعارات", "special-dates": "المناسبات الخاصة" },
};
const ARABIC = /[\u0600-\u06FF]/;

/** A call as the customer, to their own `/customers/{id}…` path. */
const mine = (method, path, body) => apiCall(method, `/customers/${CUSTOMER.id}${path}`, body, CUSTOMER.token);

/** Today in the customer's time zone, `YYYY-MM-DD`. */
const todayOfCustomer = () => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());

async function visit(page, area, language) {
  await page.getByRole("navigation").getByRole("link", { name: TITLES[language][area], exact: true }).click();
  await page.waitForURL(`**/${area}`);
  await page.getByRole("heading", { level: 1, name: TITLES[language][area] }).waitFor();
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

before(async () => {
  await mine("PUT", "/profile", { displayName: "Huda Nasser", email: CUSTOMER.email, language: "en", timezone: ZONE });
  // 1 000 points take the customer from Bronze to Silver: a tier change, announced in the inbox (and a
  // Silver birthday is worth 250 points)
  await adminCall("POST", `/customers/${CUSTOMER.id}/purchases`, {
    orderId: "settings-order-1",
    amount: "1000.00",
    currency: "SAR",
    category: "electronics",
    channel: "web",
  });
});

test("special dates: the birthday is set once, and the reward the admin issues on it is claimed", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await visit(page, "special-dates", "en");
  // joined today: no anniversary points before a full year, no birthday yet
  await page.getByText("No occasions in the next 60 days.").waitFor();
  await page.getByText("No rewards yet: they arrive on your birthday and on your anniversary.").waitFor();

  // the birthday is today, on the customer's own calendar (Pacific/Kiritimati)
  const today = todayOfCustomer();
  const [year, month, day] = today.split("-").map(Number);
  const monthName = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "long" }).format(new Date(Date.UTC(2000, month - 1, 1)));
  const memberSince = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "medium" }).format(new Date(`${today}T00:00:00Z`));
  await page.getByTestId("member-since").filter({ hasText: `Member since ${memberSince}` }).waitFor();
  await page.getByTestId("birthday-month").selectOption(String(month));
  await page.getByTestId("birthday-day").selectOption(String(day));
  await page.getByLabel("Year (optional)").fill("1990");
  await page.getByRole("button", { name: "Save my birthday" }).click();
  const dialog = page.getByRole("dialog", { name: `Save ${monthName} ${day}, 1990 as your birthday?` });
  await dialog.getByText("You cannot change it later").waitFor();
  await dialog.getByRole("button", { name: "Yes, save it" }).click();
  await page.getByTestId("birthday").filter({ hasText: `${monthName} ${day}, 1990` }).waitFor();
  assert.equal(await page.getByTestId("birthday-form").count(), 0);
  assert.deepEqual((await mine("GET", "/special-dates")).birthday, { month, day, year: 1990 });
  // it is today's occasion, worth a Silver birthday
  await page.getByTestId("upcoming").locator("li[data-occasion=birthday]").filter({ hasText: "Today" }).filter({ hasText: "250 points" }).waitFor();
  // set once: after a reload it is still read-only, with no form to change it
  await page.reload();
  await page.getByTestId("birthday").filter({ hasText: `${monthName} ${day}, 1990` }).waitFor();
  assert.equal(await page.getByTestId("birthday-form").count(), 0);

  // the admin runs the issuance for that day (the daily job's code path)
  const issuance = await adminCall("POST", "/rewards/issuance", { date: today });
  assert.equal(issuance.date, today);
  await page.reload();
  const reward = page.getByTestId("rewards").locator("li[data-occasion=birthday]");
  await reward.filter({ hasText: `Birthday ${year}` }).filter({ hasText: "250 points" }).waitFor();
  assert.equal(await reward.getAttribute("data-status"), "available");
  await reward.getByText(/^Claim by /).waitFor();
  await reward.getByRole("button", { name: "Claim" }).click();
  await page.getByTestId("reward-claimed").filter({ hasText: "250 points were added to your balance." }).waitFor();
  await page.getByTestId("rewards").locator("li[data-occasion=birthday][data-status=claimed]").getByText("Claimed").waitFor();
  assert.equal(await page.getByRole("button", { name: "Claim" }).count(), 0);
  assert.equal((await mine("GET", "/loyalty")).pointsBalance, 1250);

  // the status filter asks the API for that status only
  await page.getByTestId("reward-status").selectOption("available");
  await page.getByText("No rewards here.").waitFor();
  await page.getByTestId("reward-status").selectOption("claimed");
  await page.getByTestId("rewards").locator("li[data-status=claimed]").waitFor();
  await page.getByTestId("reward-status").selectOption("");
  await page.getByTestId("rewards").waitFor();
  await shoot(page, "special-dates-en");
  await axeScan(page, "special dates");
  assert.deepEqual(errors, []);
  await context.close();
});

test("notification settings are saved, security stays on, and the inbox is read item by item", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await visit(page, "notifications", "en");

  const security = page.getByRole("checkbox", { name: "Security", exact: true });
  assert.ok(await security.isChecked());
  assert.ok(await security.isDisabled());
  await page.getByText("Always on: we must tell you about your account's security.").waitFor();
  // the defaults: SMS and marketing off
  assert.equal(await page.getByRole("checkbox", { name: "SMS", exact: true }).isChecked(), false);
  await page.getByRole("checkbox", { name: "SMS", exact: true }).check();
  await page.getByText("SMS needs a phone number in your profile.").waitFor();
  await page.getByRole("checkbox", { name: "News and promotions", exact: true }).check();
  await page.getByRole("checkbox", { name: "Offers", exact: true }).uncheck();
  await page.getByRole("checkbox", { name: "Pause email and SMS during quiet hours" }).check();
  await page.getByLabel("From", { exact: true }).fill("22:30");
  await page.getByLabel("To", { exact: true }).fill("06:45");
  await page.getByTestId("quiet-summary").getByText(`From 22:30 to 06:45 (${ZONE})`).waitFor();
  await page.getByText("The quiet hours run overnight, past midnight.").waitFor();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Your settings are saved." }).waitFor();
  assert.deepEqual(await mine("GET", "/notification-preferences"), {
    channels: { email: true, sms: true, push: true, inApp: true },
    categories: { loyalty: true, offers: false, rewards: true, security: true, support: true, marketing: true },
    quietHours: { start: "22:30", end: "06:45" },
  });
  await page.reload();
  await page.getByTestId("preferences").waitFor();
  assert.ok(await page.getByRole("checkbox", { name: "SMS", exact: true }).isChecked());
  assert.equal(await page.getByRole("checkbox", { name: "Offers", exact: true }).isChecked(), false);
  assert.equal(await page.getByLabel("From", { exact: true }).inputValue(), "22:30");
  assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), "06:45");

  // the inbox: the tier change of the purchase and the birthday reward, both unread (delivered
  // through the queue; the inbox refreshes itself while it is open)
  const inbox = page.getByTestId("inbox");
  const tier = inbox.locator("li[data-category=loyalty]").filter({ hasText: "Welcome to Silver!" });
  const gift = inbox.locator("li[data-category=rewards]").filter({ hasText: "A gift for your birthday" });
  await tier.waitFor();
  await gift.waitFor();
  assert.equal(await gift.getAttribute("data-read"), "false");
  assert.equal(await tier.getAttribute("data-read"), "false");
  await gift.getByText("250 points are waiting for you.").waitFor();
  await gift.getByRole("button", { name: "Mark as read" }).click();
  await inbox.locator("li[data-category=rewards][data-read=true]").getByText(/^Sent by .*· Read /).waitFor();
  assert.equal(await gift.getByRole("button", { name: "Mark as read" }).count(), 0);
  const { items } = await mine("GET", "/notifications");
  const readAt = (category) => items.find((item) => item.category === category).readAt;
  assert.ok(readAt("rewards"));
  assert.equal(readAt("loyalty"), null);

  // unread only: the tier change stays, the read gift goes
  await page.getByTestId("unread-only").check();
  await gift.waitFor({ state: "detached" });
  await tier.waitFor();
  assert.equal(await inbox.locator("li[data-read=true]").count(), 0);
  await page.getByTestId("unread-only").uncheck();
  await gift.waitFor();
  await shoot(page, "notifications-en");
  await axeScan(page, "notifications");
  assert.deepEqual(errors, []);
  await context.close();
});

test("both pages in Arabic, right to left, on a phone", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "الولاء" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");

  await openMore(page); // on a phone both pages are behind the bottom bar's "More"
  await visit(page, "notifications", "ar");
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  const security = page.getByRole("checkbox", { name: "الأمان", exact: true });
  assert.ok(await security.isChecked());
  assert.ok(await security.isDisabled());
  await page.getByText("مفعّلة دائماً: يجب أن نبلغك بكل ما يخص أمان حسابك.").waitFor();
  await page.getByRole("heading", { name: "صندوق الوارد" }).waitFor();
  await page.getByTestId("inbox").locator("li").first().waitFor();
  // the quiet hours read from the start side: in Arabic "From" is right of "To"
  const from = await page.getByLabel("من", { exact: true }).boundingBox();
  const to = await page.getByLabel("إلى", { exact: true }).boundingBox();
  assert.ok(from.x > to.x, "the first time field is on the right in Arabic");
  await shoot(page, "notifications-ar");
  await axeScan(page, "notifications (Arabic)");

  await openMore(page);
  await visit(page, "special-dates", "ar");
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.match(await page.getByTestId("birthday").textContent(), ARABIC); // the month's Arabic name
  await page.getByText("تم تعيين تاريخ ميلادك. لتصحيحه تواصل مع الدعم.").waitFor();
  await page.getByTestId("rewards").locator("li[data-status=claimed]").getByText("تمت المطالبة").waitFor();
  await shoot(page, "special-dates-ar");
  await axeScan(page, "special dates (Arabic)");
  assert.deepEqual(errors, []);
  await context.close();
});
