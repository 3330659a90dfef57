// The customer's data rights (issue 18) on the My data page, in real Chromium against the local
// stack: the page in Arabic on a phone, then the export downloaded as a JSON file and the account
// deleted for good. Run by tests/e2e/test_web.py (USERS.rights is this file's customer, used by no
// other file: its account does not survive this file).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { API, adminCall, apiCall, axeScan, DESKTOP, open, PHONE, shoot, signIn, USERS, WEB } from "./support.mjs";

const CUSTOMER = USERS.rights;
const PROFILE = { displayName: "Rana Khalil", email: CUSTOMER.email, language: "en", timezone: "Asia/Riyadh" };

/** Polls `check` until it answers something truthy (the erasure's sweep works off a queue). */
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

/** A GET of the API as `token`: its status and problem type. */
async function answerTo(path, token) {
  const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token}` } });
  const body = await response.json();
  return { status: response.status, type: body.type };
}

/** Whether the customer can still sign in (Cognito's InitiateAuth, as the app asks it). */
async function canSignIn() {
  const settings = await (await fetch(new URL("/config.json", WEB))).json();
  const endpoint = settings.CognitoEndpoint || `https://cognito-idp.${settings.Region}.amazonaws.com/`;
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth" },
    body: JSON.stringify({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: settings.UserPoolClientId,
      AuthParameters: { USERNAME: CUSTOMER.email, PASSWORD: CUSTOMER.password },
    }),
  });
  return response.ok;
}

/** Signs in and opens My data (by its address: the phone's navigation may scroll). */
async function openMyData(page) {
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await page.goto(new URL("/my-data", page.url()).href);
  await page.getByRole("heading", { level: 1, name: "My data" }).waitFor();
}

before(async () => {
  await apiCall("PUT", `/customers/${CUSTOMER.id}/profile`, PROFILE, CUSTOMER.token);
  // the order service records a purchase: the export holds it and the points it earned
  await adminCall("POST", `/customers/${CUSTOMER.id}/purchases`, {
    orderId: "rights-order-1",
    amount: "120.00",
    currency: "SAR",
    category: "books",
    channel: "web",
  });
});

test("the My data page in Arabic on a phone, right to left, with the confirmation dialog", async () => {
  const { context, page, errors } = await open(PHONE);
  await openMyData(page);
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "بياناتي" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await page.locator("html").getAttribute("lang"), "ar");
  await page.getByRole("heading", { level: 2, name: "تنزيل بياناتي" }).waitFor();
  await shoot(page, "my-data-ar");
  await axeScan(page, "my-data-ar");

  // the dialog asks for the Arabic word: the English one does not enable the erasure
  await page.getByRole("button", { name: "حذف حسابي" }).click();
  const dialog = page.getByRole("dialog", { name: "هل تريد حذف حسابك؟" });
  const word = dialog.getByLabel("اكتب حذف للتأكيد");
  const confirm = dialog.getByRole("button", { name: "احذف نهائيًا" });
  assert.equal(await confirm.isDisabled(), true);
  await word.fill("DELETE");
  assert.equal(await confirm.isDisabled(), true);
  await word.fill("حذف");
  assert.equal(await confirm.isEnabled(), true);
  await shoot(page, "my-data-dialog-ar");
  await axeScan(page, "my-data-dialog-ar");
  await dialog.getByRole("button", { name: "إلغاء" }).click();
  await dialog.waitFor({ state: "detached" });

  // back to English (the language is saved to the profile, and the next test reads it)
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: "My data" }).waitFor();
  await until("the profile back in English", async () => {
    const profile = await apiCall("GET", `/customers/${CUSTOMER.id}/profile`, undefined, CUSTOMER.token);
    return profile.language === "en";
  });
  assert.equal((await answerTo(`/customers/${CUSTOMER.id}/profile`, CUSTOMER.token)).status, 200);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the customer downloads their data, then deletes their account for good", async () => {
  // a second tab, signed in before the erasure: it finds the account gone when it next reads it
  const other = await open(DESKTOP);
  await signIn(other.page, CUSTOMER);
  await other.page.getByTestId("tier-card").waitFor();

  const { context, page, errors } = await open(DESKTOP);
  await signIn(page, CUSTOMER);
  await page.getByTestId("tier-card").waitFor();
  await page.getByRole("navigation").getByRole("link", { name: "My data", exact: true }).click();
  await page.waitForURL("**/my-data");
  await page.getByRole("heading", { level: 1, name: "My data" }).waitFor();

  // the export: a JSON file with the profile and the purchase's points
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /^customer-id-data-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(exported.profile.customerId, CUSTOMER.id);
  assert.equal(exported.profile.displayName, PROFILE.displayName);
  assert.equal(exported.profile.email, CUSTOMER.email);
  assert.equal(exported.purchases.length, 1);
  assert.equal(exported.purchases[0].orderId, "rights-order-1");
  assert.ok(exported.loyalty.transactions.some((transaction) => transaction.type === "earn" && transaction.points > 0));
  await page.getByTestId("export-done").getByText(download.suggestedFilename()).waitFor();
  await shoot(page, "my-data-en");
  await axeScan(page, "my-data-en");

  // the erasure: only the typed word enables it
  await page.getByRole("button", { name: "Delete my account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  const confirm = dialog.getByRole("button", { name: "Delete for good" });
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByLabel("Type DELETE to confirm").fill("DELET");
  assert.equal(await confirm.isDisabled(), true);
  await dialog.getByLabel("Type DELETE to confirm").fill("DELETE");
  const erased = page.waitForResponse((response) => response.url().endsWith(`/customers/${CUSTOMER.id}`) && response.request().method() === "DELETE");
  await confirm.click();
  assert.equal((await erased).status(), 202);

  // signed out, to the goodbye
  const goodbye = page.locator('[data-testid=goodbye][data-farewell="erased"]');
  await goodbye.getByRole("heading", { level: 1, name: "Your account is being deleted" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("customer-id.session")), null);
  await shoot(page, "my-data-goodbye-en");
  await axeScan(page, "goodbye");

  // every route of theirs is gone, to them and to staff: 404 customer-not-found
  for (const token of [CUSTOMER.token, USERS.admin.token]) {
    assert.deepEqual(await answerTo(`/customers/${CUSTOMER.id}/profile`, token), { status: 404, type: "/problems/customer-not-found" });
    assert.deepEqual(await answerTo(`/customers/${CUSTOMER.id}/data-export`, token), { status: 404, type: "/problems/customer-not-found" });
  }

  // the other tab, reloaded: its token still signs the request, but the account is gone
  await other.page.reload();
  await other.page.locator('[data-testid=goodbye][data-farewell="alreadyErased"]').getByRole("heading", { name: "This account has been deleted" }).waitFor();
  assert.equal(await other.page.evaluate(() => sessionStorage.getItem("customer-id.session")), null);
  assert.deepEqual(other.errors, []);
  await other.context.close();

  // the sweep deletes the sign-in too: signing in again fails
  await until("the Cognito user deleted by the erasure's sweep", async () => !(await canSignIn()));
  await page.getByRole("button", { name: "Back to sign in" }).click();
  await page.getByRole("heading", { name: "Sign in to your account" }).waitFor();
  await page.getByLabel("Email").fill(CUSTOMER.email);
  await page.getByLabel("Password").fill(CUSTOMER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").getByText("Wrong email or password.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
