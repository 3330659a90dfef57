import { describe, expect, it } from "vitest";
import { isOverdue, ownerActions, REOPEN_WITHIN_MS, staffMoves, STATUSES } from "./tickets";

const NOW = Date.parse("2026-03-10T12:00:00Z");

describe("staff moves", () => {
  it("follow the contract's status machine", () => {
    expect(staffMoves("open")).toEqual(["in_progress", "closed"]);
    expect(staffMoves("in_progress")).toEqual(["waiting_on_customer", "resolved", "closed"]);
    expect(staffMoves("waiting_on_customer")).toEqual(["in_progress", "closed"]);
    expect(staffMoves("resolved")).toEqual(["open", "closed"]);
    expect(staffMoves("closed")).toEqual([]);
  });

  it("never offer the current status, and close from anything but closed", () => {
    for (const status of STATUSES) {
      expect(staffMoves(status)).not.toContain(status);
      expect(staffMoves(status).includes("closed")).toBe(status !== "closed");
    }
  });
});

describe("what the owner may do", () => {
  it("closes and comments until the ticket is closed, then nothing", () => {
    expect(ownerActions({ status: "open", resolvedAt: null }, NOW)).toEqual({ close: true, reopen: false, comment: true });
    expect(ownerActions({ status: "waiting_on_customer", resolvedAt: null }, NOW)).toEqual({ close: true, reopen: false, comment: true });
    expect(ownerActions({ status: "closed", resolvedAt: "2026-03-09T12:00:00Z" }, NOW)).toEqual({ close: false, reopen: false, comment: false });
  });

  it("reopens a resolved ticket within 7 days of its resolution, not after", () => {
    const resolved = (at: number) => ({ status: "resolved" as const, resolvedAt: new Date(at).toISOString() });
    expect(ownerActions(resolved(NOW - 3_600_000), NOW).reopen).toBe(true);
    expect(ownerActions(resolved(NOW - REOPEN_WITHIN_MS), NOW).reopen).toBe(true);
    expect(ownerActions(resolved(NOW - REOPEN_WITHIN_MS - 1000), NOW).reopen).toBe(false);
    expect(ownerActions({ status: "resolved", resolvedAt: null }, NOW).reopen).toBe(false);
    expect(ownerActions({ status: "open", resolvedAt: null }, NOW).reopen).toBe(false);
  });
});

describe("overdue", () => {
  it("is past slaDueAt while the ticket waits for the team", () => {
    expect(isOverdue({ status: "open", slaDueAt: "2026-03-10T11:59:59Z" }, NOW)).toBe(true);
    expect(isOverdue({ status: "in_progress", slaDueAt: "2026-03-10T12:00:01Z" }, NOW)).toBe(false);
    expect(isOverdue({ status: "resolved", slaDueAt: "2026-03-01T00:00:00Z" }, NOW)).toBe(false);
    expect(isOverdue({ status: "closed", slaDueAt: "2026-03-01T00:00:00Z" }, NOW)).toBe(false);
  });
});
