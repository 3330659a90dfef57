// What every browser test file shares: the variables tests/e2e/test_web.py sets, one Chromium for
// the file, contexts whose page errors the test reads, the admin's API calls, signing in, the
// axe-core scan and screenshots. A test file imports what it needs and signs in its own users
// (USERS: one new customer per file, see tests/e2e/test_web.py), so files never share state.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser suite through tests/e2e/test_web.py`);
  }
  return value;
}

export const WEB = env("WEB_URL");
export const API = env("API_URL");
/** Users made for the suite: `{name: {email, password, id, token}}`, each name used by one file only
 * (`customer`: app.test.mjs; the others as named in tests/e2e/test_web.py). */
export const USERS = JSON.parse(env("USERS"));
export const ADMIN_TOKEN = USERS.admin.token;
export const SHOTS = env("SCREENSHOTS");
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 860 } };

let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
});

/** A context whose page errors fail the test that reads them. */
export async function open(options) {
  const context = await browser.newContext({ ...options, locale: "en-US", timezoneId: "Asia/Riyadh" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000); // generous: CI shares two cores with the other end-to-end stacks
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

/** An API call with `token` (the admin's by default), which must succeed: its JSON answer. */
export async function apiCall(method, path, body, token = ADMIN_TOKEN) {
  const response = await fetch(API + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": crypto.randomUUID(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

export const adminCall = (method, path, body) => apiCall(method, path, body);

/** Signs `user` in on the app's sign-in page (with an axe-core scan of it when `scan`). */
export async function signIn(page, user, scan = false) {
  await page.goto(WEB);
  if (scan) {
    await page.getByRole("heading", { name: "Sign in to your account" }).waitFor();
    await axeScan(page, "sign-in");
  }
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** On a phone the navigation's bottom bar holds the first four links: the others are behind its "More"
 * button, which this opens (then `getByRole("navigation").getByRole("link", {name})` finds them). */
export async function openMore(page) {
  const more = page.getByRole("navigation").getByTestId("nav-more");
  await more.click();
  await page.locator("[data-testid=nav-more][aria-expanded=true]").waitFor();
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function axeScan(page, name) {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(" ")) }));
  });
  assert.deepEqual(violations, [], `${name}: axe-core found ${JSON.stringify(violations, null, 2)}`);
}

/** A full-page screenshot in SCREENSHOTS, named `<page>-<language>[-phone]`. */
export async function shoot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0)); // a sticky header stays on top of a full-page capture
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
