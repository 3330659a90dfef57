// The security page (risk, two-factor enrolment with a real TOTP code, alerts answered, a report, the
// sign-in log) and the staff pages (fraud review, offer and FAQ creation, segment stats), in real
// Chromium against the local stack. Run by tests/e2e/test_web.py (USERS.security is this file's
// customer; USERS.agent and USERS.admin are the staff).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import { URI } from "otpauth";
import { API, apiCall, adminCall, axeScan, DESKTOP, open, PHONE, shoot, signIn, USERS } from "./support.mjs";

const CUSTOMER = USERS.security;
const STAFF = { agent: USERS.agent, admin: USERS.admin };
const TITLES = {
  en: { security: "Security", fraud: "Fraud review", offers: "New offer", faq: "New FAQ", segments: "Segment stats" },
  ar: { security: "الأمان", fraud: "مراجعة الاحتيال", offers: "عرض جديد", faq: "سؤال شائع جديد", segments: "إحصاءات الشرائح" },
};
const PATHS = { security: "security", fraud: "staff/fraud", offers: "staff/offers", faq: "staff/faq", segments: "staff/segments" };

/** Polls `check` (an API read: the fraud scorer works off a queue) until it answers something truthy. */
async function until(what, check, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A staff user's own profile (the app asks a user with none to create one), in English. */
async function staffProfile(name) {
  const user = STAFF[name];
  const profile = { displayName: `Staff ${name}`, email: user.email, language: "en", timezone: "Asia/Riyadh" };
  await apiCall("PUT", `/customers/${user.id}/profile`, profile, user.token);
}

before(async () => {
  // the customer's profile, through the API with its own token
  await apiCall(
    "PUT",
    `/customers/${CUSTOMER.id}/profile`,
    { displayName: "Layla Hassan", email: CUSTOMER.email, language: "en", timezone: "Asia/Riyadh" },
    CUSTOMER.token,
  );
  await staffProfile("agent");
  await staffProfile("admin");
  // the auth service reports a sign-in and then five failed ones (a `failed_logins` alert, weight 30)
  const events = `/customers/${CUSTOMER.id}/security/events`;
  await adminCall("POST", events, { type: "login", ipAddress: "203.0.113.10", deviceId: "laptop-layla", country: "SA" });
  for (let attempt = 0; attempt < 5; attempt++) {
    await adminCall("POST", events, { type: "login_failed", ipAddress: "198.51.100.7", deviceId: "unknown-device", country: "SA" });
  }
  // the order service records a usual purchase, then one over 1 000 and 5x the average (`large_purchase`, 35)
  const purchases = `/customers/${CUSTOMER.id}/purchases`;
  await adminCall("POST", purchases, { orderId: "sec-order-1", amount: "100.00", currency: "SAR", category: "books", channel: "web" });
  await adminCall("POST", purchases, { orderId: "sec-order-2", amount: "2000.00", currency: "SAR", category: "electronics", channel: "web" });
  await until("the two alerts of the fraud scorer", async () => {
    const { items } = await apiCall("GET", `/customers/${CUSTOMER.id}/security/alerts?status=open`, undefined, CUSTOMER.token);
    return items.length === 2;
  });
});

after(async () => {
  // the staff users are shared by the suite's files: leave them in English
  await staffProfile("agent");
  await staffProfile("admin");
});

async function visit(page, area, language) {
  await page.getByRole("navigation").getByRole("link", { name: TITLES[language][area], exact: true }).click();
  await page.waitForURL(`**/${PATHS[area]}`);
  await page.getByRole("heading", { level: 1, name: TITLES[language][area] }).waitFor();
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

/** Switches the app's language and waits for the page's heading in it. */
async function switchTo(page, language, heading) {
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), language === "ar" ? "rtl" : "ltr");
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

/** The text the QR code on the page encodes, read from its pixels. */
async function readQrCode(page) {
  const size = 320;
  const pixels = await page.getByTestId("qr-code").evaluate(async (image, side) => {
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = side;
    canvas.height = side;
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = false;
    context.drawImage(image, 0, 0, side, side);
    return Array.from(context.getImageData(0, 0, side, side).data);
  }, size);
  const decoded = jsQR(Uint8ClampedArray.from(pixels), size, size);
  assert.ok(decoded, "the QR code could not be read");
  return decoded.data;
}

async function confirmIn(page, item, label) {
  await item.getByRole("button", { name: label }).click();
  const dialog = page.getByRole("dialog", { name: label });
  await dialog.getByRole("button", { name: label }).click();
  await dialog.waitFor({ state: "detached" });
}

test("the customer reads the risk, turns on 2FA with a real TOTP code, answers the alerts and reports a problem", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await visit(page, "security", "en");

  // failed sign-ins (30) and a large purchase (35): high risk, two open alerts
  await page.locator('[data-testid=risk-level][data-level="high"]').waitFor();
  assert.equal(await page.getByTestId("risk-level").textContent(), "High risk");
  assert.equal(await page.getByTestId("open-alerts").textContent(), "2");
  assert.equal(await page.getByRole("meter").getAttribute("value"), "65");
  await page.getByTestId("recommendations").getByText("Turn on two-factor authentication.").waitFor();
  // the sign-in log: the sign-in and the five failed ones, with the country's name
  const events = page.getByTestId("events");
  await events.locator("li[data-type=login]").getByText("Saudi Arabia").waitFor();
  assert.equal(await events.locator("li[data-type=login_failed]").count(), 5);
  await events.locator("li[data-type=login]").getByText("laptop-layla").waitFor();

  // 2FA: the QR code drawn in the page encodes the API's otpauthUri; a wrong code is refused
  const enrolled = page.waitForResponse((response) => response.url().endsWith("/security/two-factor") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const enrolment = await (await enrolled).json();
  assert.match(enrolment.otpauthUri, /^otpauth:\/\/totp\//);
  await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
  assert.equal(await readQrCode(page), enrolment.otpauthUri);
  const totp = URI.parse(enrolment.otpauthUri);
  assert.equal((await page.getByTestId("manual-key").textContent()).replace(/ /g, ""), totp.secret.base32);

  const code = page.getByLabel("6-digit code");
  const good = totp.generate();
  await code.fill(good === "000000" ? "111111" : "000000");
  const refused = page.waitForResponse((response) => response.url().endsWith("/security/two-factor"));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  assert.equal((await refused).status(), 400);
  const problem = page.getByTestId("enrolment").getByRole("alert");
  assert.equal(await problem.getAttribute("data-problem-type"), "/problems/invalid-code");
  await problem.getByText("The code is wrong or was already used.").waitFor();

  await code.fill(totp.generate());
  const accepted = page.waitForResponse((response) => response.url().endsWith("/security/two-factor"));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  assert.equal((await accepted).status(), 200);
  await page.getByRole("status").getByText("Two-factor authentication is now on.").waitFor();
  await page.locator('[data-testid=two-factor-state][data-enabled="true"]').waitFor();
  assert.equal((await apiCall("GET", `/customers/${CUSTOMER.id}/security`, undefined, CUSTOMER.token)).twoFactorEnabled, true);

  // "this was me" on the purchase: resolved, its weight off the risk, redemptions still allowed
  const alerts = page.getByTestId("alerts");
  await confirmIn(page, alerts.locator("li[data-type=large_purchase]"), "This was me");
  await alerts.locator("li[data-type=large_purchase]").waitFor({ state: "detached" });
  await page.locator('[data-testid=risk-level][data-level="medium"]').waitFor();
  assert.equal(await page.getByTestId("hold-state").textContent(), "Allowed");

  // "this was not me" on the failed sign-ins: fraud, so redemptions go on hold
  await confirmIn(page, alerts.locator("li[data-type=failed_logins]"), "This was not me");
  await page.getByText("No open alerts: nothing needs your attention.").waitFor();
  await page.getByTestId("hold-notice").waitFor();
  assert.equal(await page.getByTestId("hold-state").textContent(), "On hold");
  await page.locator('[data-testid=risk-level][data-level="low"]').waitFor();
  assert.equal((await apiCall("GET", `/customers/${CUSTOMER.id}/loyalty`, undefined, CUSTOMER.token)).redemptionHold, true);
  await page.getByTestId("alert-status").selectOption("resolved");
  await page.locator('li[data-testid=alert][data-status="resolved"]').nth(1).waitFor();
  assert.equal(await page.locator('li[data-testid=alert][data-status="open"]').count(), 0);
  await page.getByTestId("alert-status").selectOption("open");

  // a report raises an alert (someone else used the account: 60, high)
  await page.getByLabel("What happened").selectOption({ label: "Someone else used my account" });
  await page.getByLabel("Details").fill("I got a sign-in email I did not ask for.");
  await page.getByRole("button", { name: "Send report" }).click();
  await page.getByTestId("report-sent").getByText("You reported that someone else used your account.").waitFor();
  await alerts.locator("li[data-type=customer_report_account_takeover]").waitFor();
  await page.locator('[data-testid=risk-level][data-level="high"]').waitFor();

  await shoot(page, "security-en");
  await axeScan(page, "security");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the security page in Arabic on a phone, right to left", async () => {
  const { context, page, errors } = await open(PHONE);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await page.goto(new URL("/security", page.url()).href);
  await page.getByRole("heading", { level: 1, name: "Security" }).waitFor();
  await switchTo(page, "ar", "الأمان");
  assert.equal(await page.locator("html").getAttribute("lang"), "ar");
  await page.getByRole("heading", { name: "مستوى الخطر" }).waitFor();
  assert.equal(await page.getByTestId("risk-level").textContent(), "خطر مرتفع");
  await page.locator('[data-testid=two-factor-state][data-enabled="true"]').getByText("المصادقة الثنائية مفعّلة.").waitFor();
  // the API's own texts in Arabic (Accept-Language): the alert's reason and the recommendations
  await page.getByTestId("alerts").getByText("أبلغت أن شخصًا آخر استخدم حسابك.").waitFor();
  await page.getByTestId("events").locator("li[data-type=login]").getByText(/السعودية/).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await shoot(page, "security-ar");
  await axeScan(page, "security (Arabic)");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an agent reviews the customer's alerts and lifts the redemption hold", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, STAFF.agent);
  await page.getByRole("navigation").getByRole("link", { name: "Fraud review" }).waitFor();
  // the admins' pages are not an agent's
  for (const area of ["offers", "faq", "segments"]) {
    assert.equal(await page.getByRole("navigation").getByRole("link", { name: TITLES.en[area] }).count(), 0);
  }
  await visit(page, "fraud", "en");
  await page.getByText("Enter a customer ID to review.").waitFor();
  await page.getByLabel("Customer ID").fill(CUSTOMER.id);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByRole("heading", { name: "Layla Hassan" }).waitFor();
  await page.getByTestId("hold-notice").waitFor();
  assert.equal(await page.getByTestId("hold-state").textContent(), "On hold");
  const report = page.getByTestId("alerts").locator("li[data-type=customer_report_account_takeover]");
  await report.waitFor();
  await shoot(page, "fraud-review-en");
  await axeScan(page, "fraud review");

  await confirmIn(page, report, "Legitimate: lift the hold");
  await page.getByText("No open alerts: nothing needs your attention.").waitFor();
  await page.getByTestId("hold-notice").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("hold-state").textContent(), "Allowed");
  assert.equal((await adminCall("GET", `/customers/${CUSTOMER.id}/loyalty`)).redemptionHold, false);

  await switchTo(page, "ar", "مراجعة الاحتيال");
  await page.getByRole("heading", { name: "Layla Hassan" }).waitFor();
  await page.getByText("التنبيهات الأمنية").waitFor();
  await shoot(page, "fraud-review-ar");
  await axeScan(page, "fraud review (Arabic)");
  await switchTo(page, "en", "Fraud review");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an admin creates an offer and a FAQ item in both languages and reads the segment stats", async () => {
  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, STAFF.admin);
  await page.getByRole("navigation").getByRole("link", { name: "Fraud review" }).waitFor();

  // an offer for everyone: the customer can use it
  await visit(page, "offers", "en");
  await page.getByLabel("Title (English)").fill("Security week: 15% off");
  await page.getByLabel("Title (Arabic)").fill("أسبوع الأمان: خصم 15٪");
  await page.getByLabel("Description (English)").fill("For customers who turned on two-factor authentication.");
  await page.getByLabel("Description (Arabic)").fill("للعملاء الذين فعّلوا المصادقة الثنائية.");
  await page.getByLabel("Percentage off").fill("150");
  await page.getByTestId("offer-problems").getByText("A percentage is at most 100.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Create offer" }).isDisabled(), true);
  await page.getByLabel("Percentage off").fill("15");
  await page.getByLabel("Largest discount (optional)").fill("50");
  await page.getByRole("checkbox", { name: "Bronze" }).waitFor();
  await shoot(page, "offer-admin-en");
  await axeScan(page, "offer creation");
  const created = page.waitForResponse((response) => response.url().endsWith("/offers") && response.request().method() === "POST");
  await page.getByRole("button", { name: "Create offer" }).click();
  const offer = await (await created).json();
  await page.getByTestId("offer-created").getByText("Security week: 15% off").waitFor();
  assert.equal(offer.maxDiscount, "50.00");
  const visible = await apiCall("GET", `/customers/${CUSTOMER.id}/offers/${offer.offerId}`, undefined, CUSTOMER.token);
  assert.equal(visible.title, "Security week: 15% off");
  assert.equal(visible.eligibility.eligible, true);

  // a FAQ item: the question and answer in both languages, found by the public search in Arabic
  await visit(page, "faq", "en");
  await page.getByLabel("Question (English)").fill("How do I turn on two-factor authentication?");
  await page.getByLabel("Question (Arabic)").fill("كيف أفعّل المصادقة الثنائية؟");
  await page.getByLabel("Answer (English)").fill("Open Security, choose Set up, scan the QR code and enter the code.");
  await page.getByLabel("Answer (Arabic)").fill("افتح الأمان واختر الإعداد وامسح رمز QR ثم أدخل الرمز.");
  await page.getByRole("button", { name: "Add to the FAQ" }).click();
  await page.getByTestId("faq-created").getByText("Added: How do I turn on two-factor authentication?").waitFor();
  await page.getByTestId("faq-items").getByText("How do I turn on two-factor authentication?").waitFor();
  await shoot(page, "faq-admin-en");
  await axeScan(page, "faq creation");
  await until("the new item in the Arabic search", async () => {
    const search = await fetch(`${API}/support/faq/search?q=${encodeURIComponent("المصادقه الثنائيه")}`, { headers: { "Accept-Language": "ar" } });
    assert.equal(search.status, 200);
    return (await search.json()).items.some((hit) => hit.question === "كيف أفعّل المصادقة الثنائية؟");
  });

  // segment stats: every segment with its count; the new customers include this file's
  await visit(page, "segments", "en");
  const table = page.getByTestId("segment-stats");
  await page.getByTestId("total-customers").waitFor();
  assert.equal(await table.locator("tbody tr").count(), 10);
  assert.match(await table.locator("tr[data-segment=new] [data-testid=count]").textContent(), /^\d[\d,]*$/);
  await shoot(page, "segment-stats-en");
  await axeScan(page, "segment stats");

  // in Arabic
  await switchTo(page, "ar", TITLES.ar.segments);
  assert.match(await table.locator("thead").textContent(), /العملاء/);
  await shoot(page, "segment-stats-ar");
  await axeScan(page, "segment stats (Arabic)");
  await visit(page, "offers", "ar");
  await page.getByLabel("العنوان (بالعربية)").waitFor();
  await shoot(page, "offer-admin-ar");
  await axeScan(page, "offer creation (Arabic)");
  await visit(page, "faq", "ar");
  await page.getByTestId("faq-items").getByText("كيف أفعّل المصادقة الثنائية؟").waitFor();
  await shoot(page, "faq-admin-ar");
  await axeScan(page, "faq creation (Arabic)");
  await switchTo(page, "en", TITLES.en.faq);
  assert.deepEqual(errors, []);
  await context.close();
});
