import { beforeAll, describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import type { Schemas } from "../../api/client";
import { Conversation } from "./TicketParts";

const TICKET: Schemas["TicketOutput"] = {
  ticketId: "ticket-1",
  customerId: "customer-1",
  subject: "Damaged parcel",
  description: "The box was crushed.",
  categoryId: "orders",
  priority: "high",
  status: "in_progress",
  assigneeId: "agent-1",
  slaDueAt: "2026-03-11T12:00:00Z",
  createdAt: "2026-03-10T12:00:00Z",
  updatedAt: "2026-03-10T13:00:00Z",
  resolvedAt: null,
  closedAt: null,
  comments: [
    { commentId: "c1", authorId: "agent-1", authorRole: "staff", body: "Claim it with the carrier.", internal: true, createdAt: "2026-03-10T12:30:00Z" },
    { commentId: "c2", authorId: "agent-1", authorRole: "staff", body: "A replacement is on its way.", internal: false, createdAt: "2026-03-10T12:45:00Z" },
  ],
};

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

const bubble = (text: string) => screen.getByText(text).closest("li")!;

describe("the ticket conversation", () => {
  it("shows staff the internal note, marked as such, and who wrote what", () => {
    renderInApp(<Conversation ticket={TICKET} viewer="staff" />);
    const note = bubble("Claim it with the carrier.");
    expect(note.getAttribute("data-internal")).toBe("true");
    expect(within(note).getByText("Internal note")).toBeTruthy();
    expect(note.textContent).toContain("Agent");
    expect(within(bubble("A replacement is on its way.")).queryByText("Internal note")).toBeNull();
    expect(bubble("The box was crushed.").textContent).toContain("Customer");
  });

  it("shows the customer their own words as theirs and the team's replies as the support team's, times in their time zone", () => {
    const forCustomer = { ...TICKET, comments: TICKET.comments.filter((comment) => !comment.internal) };
    renderInApp(<Conversation ticket={forCustomer} viewer="customer" />, { timezone: "Asia/Riyadh" });
    const opening = bubble("The box was crushed.");
    expect(opening.className).toContain("mine");
    expect(opening.textContent).toContain("You");
    expect(opening.textContent).toContain("3:00"); // 12:00Z is 15:00 in Riyadh
    const reply = bubble("A replacement is on its way.");
    expect(reply.className).not.toContain("mine");
    expect(reply.textContent).toContain("Support team");
    expect(screen.queryByText("Internal note")).toBeNull();
  });
});
