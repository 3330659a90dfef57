// Support tickets, help and live chat in real Chromium: the customer's pages (USERS.support opens and
// follows a ticket, USERS.help reads the FAQ and chats) and the staff's (USERS.agent triages the ticket
// and answers the chat from a second browser context). Run by tests/e2e/test_web.py.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { apiCall, axeScan, DESKTOP, open, PHONE, shoot, signIn, USERS } from "./support.mjs";

const CUSTOMER = USERS.support;
const HELP = USERS.help;
const AGENT = USERS.agent;
const TITLES = {
  en: { support: "Support", help: "Help", "staff/chats": "Chat queue", "staff/tickets": "Ticket triage" },
  ar: { support: "الدعم", help: "المساعدة", "staff/chats": "قائمة المحادثات", "staff/tickets": "فرز التذاكر" },
};

/** A profile made through the API with the user's own token (PUT is `self` only). */
const createProfile = (user, displayName) =>
  apiCall("PUT", `/customers/${user.id}/profile`, { displayName, email: user.email, language: "en", timezone: "Asia/Riyadh" }, user.token);

before(async () => {
  await createProfile(CUSTOMER, "Layla Hassan");
  await createProfile(HELP, "Omar Nasser");
  await createProfile(AGENT, "Agent Rana");
});

async function signedIn(options, user) {
  const session = await open(options);
  await signIn(session.page, user);
  await session.page.getByRole("navigation").waitFor();
  return session;
}

async function visit(page, area, language = "en") {
  await page.getByRole("navigation").getByRole("link", { name: TITLES[language][area], exact: true }).click();
  await page.waitForURL(`**/${area}`);
  await page.getByRole("heading", { level: 1, name: TITLES[language][area] }).waitFor();
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

async function toArabic(page, heading) {
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await page.locator("html").getAttribute("lang"), "ar");
  await page.locator(".state-loading").first().waitFor({ state: "detached" });
}

async function toEnglish(page) {
  await page.getByTestId("language-switch").click();
  await page.locator("html[dir=ltr][lang=en]").waitFor({ state: "attached" });
}

const fitsThePhone = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("a ticket: the customer opens and comments it, the agent triages it with an internal note the customer never sees, close and reopen", async () => {
  const customer = await signedIn(DESKTOP, CUSTOMER);
  const page = customer.page;
  await visit(page, "support");
  await page.getByText("You have no tickets.").waitFor();

  // open a ticket: category and priority
  await page.getByLabel("Subject").fill("My order arrived damaged");
  await page.getByLabel("Category").selectOption({ label: "Orders" });
  await page.getByLabel("Priority").selectOption("high");
  await page.getByLabel("Describe the problem").fill("The box was crushed and the mug is broken.");
  await shoot(page, "support-en");
  await axeScan(page, "support");
  await page.getByRole("button", { name: "Open ticket" }).click();
  await page.waitForURL(/\/support\/[^/]+$/);
  const ticketId = decodeURIComponent(page.url().split("/").pop());
  await page.getByRole("heading", { level: 1, name: "My order arrived damaged" }).waitFor();
  assert.equal(await page.getByTestId("ticket-status").getAttribute("data-status"), "open");
  assert.equal(await page.getByTestId("ticket-priority").textContent(), "High");
  await page.getByTestId("conversation").getByText("The box was crushed and the mug is broken.").waitFor();

  // a comment
  await page.getByLabel("Your comment").fill("I have photos of the box if you need them.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByTestId("conversation").getByText("I have photos of the box if you need them.").waitFor();
  await shoot(page, "support-ticket-en");
  await axeScan(page, "support ticket");

  // the list, with its status filter
  await page.getByRole("link", { name: "All tickets" }).click();
  await page.getByTestId("tickets").getByText("My order arrived damaged").waitFor();
  await page.getByTestId("status-filter").selectOption("closed");
  await page.getByText("No tickets with the status “Closed”.").waitFor();
  await page.getByTestId("status-filter").selectOption("open");
  await page.getByTestId("tickets").getByText("My order arrived damaged").waitFor();

  // the agent, in a second browser context: finds the customer's tickets and triages the ticket
  const agent = await signedIn(DESKTOP, AGENT);
  const desk = agent.page;
  await visit(desk, "staff/tickets");
  await desk.getByLabel("Customer ID").fill(CUSTOMER.id);
  await desk.getByRole("button", { name: "Show tickets" }).click();
  await desk.getByTestId("tickets").getByRole("link", { name: /My order arrived damaged/ }).click();
  await desk.getByRole("heading", { level: 1, name: "My order arrived damaged" }).waitFor();
  await desk.getByText("From Layla Hassan").waitFor();
  await shoot(desk, "staff-tickets-en");
  const moves = desk.getByTestId("status-moves");
  await moves.getByRole("button", { name: "In progress" }).click();
  await desk.locator("[data-testid=ticket-status][data-status=in_progress]").waitFor();
  await desk.getByTestId("assignee").filter({ hasText: "You" }).waitFor(); // taking it in hand assigns it
  await desk.getByTestId("priority").selectOption("urgent");
  await desk.getByTestId("ticket-priority").filter({ hasText: "Urgent" }).waitFor();
  // an internal note, then a reply the customer sees
  await desk.getByLabel("Your comment").fill("Courier damage: claim it with the carrier.");
  await desk.getByLabel("Internal note (the customer does not see it)").check();
  await desk.getByRole("button", { name: "Send" }).click();
  await desk.locator("li[data-internal=true]", { hasText: "Courier damage: claim it with the carrier." }).waitFor();
  await desk.getByLabel("Your comment").fill("Sorry about that: a replacement is on its way.");
  await desk.getByRole("button", { name: "Send" }).click();
  await desk.locator("li[data-internal=false]", { hasText: "Sorry about that: a replacement is on its way." }).waitFor();
  await moves.getByRole("button", { name: "Waiting on the customer" }).click();
  await desk.locator("[data-testid=ticket-status][data-status=waiting_on_customer]").waitFor();
  await shoot(desk, "staff-ticket-en");
  await axeScan(desk, "staff ticket");

  // the customer sees the reply and the new status, never the internal note (nor does the API give it)
  await page.goto(new URL(`/support/${encodeURIComponent(ticketId)}`, page.url()).href);
  await page.getByTestId("conversation").getByText("Sorry about that: a replacement is on its way.").waitFor();
  assert.equal(await page.getByTestId("ticket-status").getAttribute("data-status"), "waiting_on_customer");
  assert.equal(await page.getByText("Courier damage").count(), 0);
  const seen = await apiCall("GET", `/tickets/${ticketId}`, undefined, CUSTOMER.token);
  assert.deepEqual(seen.comments.map((comment) => comment.internal), [false, false]);
  // the customer's answer puts the ticket back in the team's hands
  await page.getByLabel("Your comment").fill("Thank you!");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator("[data-testid=ticket-status][data-status=in_progress]").waitFor();

  // resolved by the agent, reopened by the customer, then closed by the customer
  await desk.reload();
  await moves.getByRole("button", { name: "Resolved" }).click();
  await desk.locator("[data-testid=ticket-status][data-status=resolved]").waitFor();
  await page.reload();
  await page.getByRole("button", { name: "Reopen ticket" }).click();
  await page.locator("[data-testid=ticket-status][data-status=open]").waitFor();
  await page.getByRole("button", { name: "Close ticket" }).click();
  const dialog = page.getByRole("dialog", { name: "Close this ticket?" });
  await dialog.getByRole("button", { name: "Yes, close it" }).click();
  await page.locator("[data-testid=ticket-status][data-status=closed]").waitFor();
  await page.getByText("This ticket is closed.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Reopen ticket" }).count(), 0);
  assert.equal(await page.getByLabel("Your comment").count(), 0);

  // in Arabic, right to left: the ticket, the list, and the agent's pages
  await toArabic(page, "My order arrived damaged");
  await page.getByRole("heading", { name: "المحادثة" }).waitFor();
  await page.getByTestId("ticket-status").filter({ hasText: "مغلقة" }).waitFor();
  await page.getByText("الطلبات", { exact: true }).waitFor(); // the category's name, from the API in Arabic
  await shoot(page, "support-ticket-ar");
  await axeScan(page, "support ticket (Arabic)");
  await visit(page, "support", "ar");
  await page.getByRole("heading", { name: "افتح تذكرة" }).waitFor();
  await shoot(page, "support-ar");
  await axeScan(page, "support (Arabic)");
  await toEnglish(page);

  await desk.reload();
  await toArabic(desk, "My order arrived damaged");
  await desk.getByText("ملاحظة داخلية", { exact: true }).waitFor();
  await desk.getByTestId("ticket-status").filter({ hasText: "مغلقة" }).waitFor();
  await desk.getByText("الطلبات", { exact: true }).waitFor();
  await shoot(desk, "staff-ticket-ar");
  await axeScan(desk, "staff ticket (Arabic)");
  await visit(desk, "staff/tickets", "ar");
  await shoot(desk, "staff-tickets-ar");
  await axeScan(desk, "staff tickets (Arabic)");
  await toEnglish(desk);

  assert.deepEqual(customer.errors, []);
  assert.deepEqual(agent.errors, []);
  await customer.context.close();
  await agent.context.close();
});

/** The customer opens a chat on the help page, the agent answers it from the queue in another browser
 * context, and the customer sees the answer without reloading (the thread polls while it is open). */
async function chatJourney(options, label, shots) {
  const customer = await signedIn(options, HELP);
  const page = customer.page;
  await visit(page, "help");
  const opening = `Where is my order ${label}?`;
  await page.getByLabel("Topic").selectOption({ label: "Orders" });
  await page.getByLabel("How can we help?").fill(opening);
  await page.getByRole("button", { name: "Start chat" }).click();
  await page.locator("[data-testid=chat-status][data-status=waiting]").waitFor();
  await page.getByTestId("chat-thread").getByText(opening).waitFor();
  // nothing below reloads the customer's page: this mark would be gone
  await page.evaluate(() => {
    window.__sameDocument = true;
  });

  const agent = await signedIn(options, AGENT);
  const desk = agent.page;
  await visit(desk, "staff/chats");
  const queued = desk.getByTestId("chat-queue").getByRole("link", { name: new RegExp(opening.replace("?", "\\?")) });
  await queued.waitFor();
  if (shots) {
    await shoot(desk, "staff-chats-en");
    await axeScan(desk, "chat queue");
  }
  await queued.click();
  await desk.getByRole("heading", { level: 1, name: "Chat with Omar Nasser" }).waitFor();
  await desk.getByTestId("chat-thread").getByText(opening).waitFor();
  const answer = `Your order ${label} ships tomorrow.`;
  await desk.getByRole("textbox", { name: "Message", exact: true }).fill(answer);
  await desk.getByRole("button", { name: "Send" }).click();
  await desk.locator("[data-testid=chat-status][data-status=active]").waitFor();

  // the customer sees the answer and the chat taken, without a reload
  await page.getByTestId("chat-thread").locator("li[data-sender=agent]", { hasText: answer }).waitFor();
  await page.locator("[data-testid=chat-status][data-status=active]").waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  // and the agent sees the customer's reply the same way
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("Great, thanks!");
  await page.getByRole("button", { name: "Send" }).click();
  await desk.getByTestId("chat-thread").locator("li[data-sender=customer]", { hasText: "Great, thanks!" }).waitFor();
  if (options === PHONE) {
    assert.ok(await fitsThePhone(page), "the help page fits the phone");
    assert.ok(await fitsThePhone(desk), "the agent's chat page fits the phone");
  }
  const suffix = options === PHONE ? "-phone" : "";
  if (shots || options === PHONE) {
    await shoot(page, `help-chat-en${suffix}`);
    await axeScan(page, `help with a chat${suffix}`);
    await shoot(desk, `staff-chat-en${suffix}`);
    await axeScan(desk, `staff chat${suffix}`);
  }

  // the customer ends it with a rating; the agent's page shows it ended
  await page.getByRole("button", { name: "End chat" }).click();
  const dialog = page.getByRole("dialog", { name: "End this chat?" });
  await dialog.getByLabel("How was the help you got?").selectOption("5");
  await dialog.getByRole("button", { name: "End chat" }).click();
  await page.getByText("Your chat has ended. Thank you!").waitFor();
  await page.getByRole("button", { name: "Start chat" }).waitFor();
  await desk.locator("[data-testid=chat-status][data-status=closed]").waitFor();
  assert.equal(await desk.getByRole("textbox", { name: "Message", exact: true }).isDisabled(), true);
  return { customer, agent };
}

test("help: the FAQ by category, search as you type in English and Arabic, a helpful vote, and a chat answered by an agent", async () => {
  const { customer, agent } = await chatJourney(DESKTOP, "A-100", true);
  const page = customer.page;

  // the FAQ by category
  const categories = page.getByTestId("faq-categories");
  await categories.getByRole("button", { name: "Returns and refunds" }).click();
  await page.locator("[data-testid=faq-list] li[data-category=returns]").first().waitFor();
  await page.locator("[data-testid=faq-list] li:not([data-category=returns])").first().waitFor({ state: "detached" });
  assert.equal(await categories.getByRole("button", { name: "Returns and refunds" }).getAttribute("aria-pressed"), "true");
  // a helpful vote counts once
  const item = page.locator("details", { hasText: "How do I return an item?" });
  await item.locator("summary").click();
  await item.getByText("0 people found this helpful").waitFor();
  await item.getByRole("button", { name: "Yes" }).click();
  await item.getByText("Thank you for your feedback.").waitFor();
  await item.getByText("1 person found this helpful").waitFor();
  assert.equal(await item.getByRole("button", { name: "Yes" }).getAttribute("aria-pressed"), "true");
  await shoot(page, "help-en");
  await axeScan(page, "help");

  // search as you type: an English plural, then Arabic typed without diacritics or hamza
  const search = page.getByLabel("Search the questions");
  await search.pressSequentially("refunds", { delay: 40 });
  await page.getByTestId("faq-results").getByText("When will I get my refund?").waitFor();
  await search.fill("");
  await search.pressSequentially("كيف ارجع منتج", { delay: 40 });
  await page.getByTestId("faq-results").getByText("How do I return an item?").waitFor();
  await search.fill("zzzz");
  await page.getByText("No answer matches “zzzz”.", { exact: false }).waitFor();
  await search.fill("");
  await page.getByTestId("faq-categories").waitFor();

  // in Arabic: right to left, the FAQ in Arabic, search in Arabic
  await toArabic(page, "المساعدة");
  await page.getByRole("heading", { name: "تحدّث معنا" }).waitFor();
  await page.getByTestId("faq-categories").getByRole("button", { name: "الإرجاع والاسترداد" }).waitFor();
  await page.getByLabel("ابحث في الأسئلة").pressSequentially("المبلغ المسترد", { delay: 40 });
  await page.getByTestId("faq-results").getByText("مَتَى أَسْتَلِمُ المَبْلَغَ المُسْتَرَدّ؟").waitFor();
  await shoot(page, "help-ar");
  await axeScan(page, "help (Arabic)");
  await toEnglish(page);

  const desk = agent.page;
  await toArabic(desk, "محادثة مع Omar Nasser");
  await desk.getByTestId("chat-status").filter({ hasText: "انتهت هذه المحادثة." }).waitFor();
  await shoot(desk, "staff-chat-ar");
  await axeScan(desk, "staff chat (Arabic)");
  await visit(desk, "staff/chats", "ar");
  await desk.getByText("لا أحد بالانتظار الآن.").waitFor();
  await shoot(desk, "staff-chats-ar");
  await axeScan(desk, "chat queue (Arabic)");
  await toEnglish(desk);

  assert.deepEqual(customer.errors, []);
  assert.deepEqual(agent.errors, []);
  await customer.context.close();
  await agent.context.close();
});

test("the chat journey again on a phone (390x844), customer and agent", async () => {
  const { customer, agent } = await chatJourney(PHONE, "B-200", false);
  assert.deepEqual(customer.errors, []);
  assert.deepEqual(agent.errors, []);
  await customer.context.close();
  await agent.context.close();
});
