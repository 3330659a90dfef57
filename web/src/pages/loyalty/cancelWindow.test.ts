import { describe, expect, it } from "vitest";
import { cancelDeadline, cancellable, cancelledRedemptions, CANCEL_WINDOW_MS, nextClosing, redemptionOf } from "./cancelWindow";

const REDEEMED_AT = "2026-03-10T12:00:00Z";
const at = (iso: string) => Date.parse(iso);
const redeem = (id: string, createdAt = REDEEMED_AT) => ({ type: "redeem", createdAt, source: { kind: "redemption", id } });

describe("the customer's window to cancel a redemption", () => {
  it("is open for 30 minutes after the redemption, and closed from the 30th minute on", () => {
    expect(CANCEL_WINDOW_MS).toBe(30 * 60_000);
    expect(cancellable(redeem("r-1"), new Set(), at("2026-03-10T12:00:00Z"))).toEqual({
      redemptionId: "r-1",
      deadline: at("2026-03-10T12:30:00Z"),
    });
    expect(cancellable(redeem("r-1"), new Set(), at("2026-03-10T12:29:59.999Z"))?.redemptionId).toBe("r-1");
    expect(cancellable(redeem("r-1"), new Set(), at("2026-03-10T12:30:00Z"))).toBeNull();
    expect(cancellable(redeem("r-1"), new Set(), at("2026-03-11T12:00:00Z"))).toBeNull();
  });

  it("counts from the instant, whatever the offset it is written with", () => {
    expect(cancelDeadline("2026-03-10T15:00:00+03:00")).toBe(at("2026-03-10T12:30:00Z"));
    expect(cancelDeadline(at(REDEEMED_AT))).toBe(at("2026-03-10T12:30:00Z"));
  });

  it("is closed for a redemption already cancelled (a refund names it)", () => {
    const history = [
      { type: "refund", createdAt: "2026-03-10T12:05:00Z", source: { kind: "redemption", id: "r-1" } },
      { type: "reverse", createdAt: "2026-03-10T12:04:00Z", source: { kind: "return", id: "r-2" } },
      redeem("r-1"),
      redeem("r-2"),
    ];
    const cancelled = cancelledRedemptions(history);
    expect([...cancelled]).toEqual(["r-1"]);
    const now = at("2026-03-10T12:06:00Z");
    expect(cancellable(history[2]!, cancelled, now)).toBeNull();
    expect(cancellable(history[3]!, cancelled, now)?.redemptionId).toBe("r-2");
  });

  it("is only for redemptions", () => {
    const now = at("2026-03-10T12:01:00Z");
    for (const type of ["earn", "expire", "adjust", "bonus", "reverse", "refund"]) {
      expect(cancellable({ type, createdAt: REDEEMED_AT, source: { kind: "redemption", id: "r-1" } }, new Set(), now)).toBeNull();
    }
    expect(cancellable({ type: "redeem", createdAt: REDEEMED_AT, source: { kind: "adjustment", id: "a-1" } }, new Set(), now)).toBeNull();
    expect(cancellable(redeem("r-1", "not a date"), new Set(), now)).toBeNull();
  });

  it("tells when the next open window closes", () => {
    const now = at("2026-03-10T12:10:00Z");
    const deadlines = [at("2026-03-10T12:05:00Z"), at("2026-03-10T12:40:00Z"), at("2026-03-10T12:30:00Z")];
    expect(nextClosing(deadlines, now)).toBe(at("2026-03-10T12:30:00Z"));
    expect(nextClosing([at("2026-03-10T12:05:00Z")], now)).toBeNull();
    expect(nextClosing([], now)).toBeNull();
  });
});

describe("the redemption an entry is of", () => {
  it("is named by redeem and refund entries only, and not when the source has no id", () => {
    expect(redemptionOf(redeem("r-1"))).toBe("r-1");
    expect(redemptionOf({ type: "refund", createdAt: REDEEMED_AT, source: { kind: "redemption", id: "r-1" } })).toBe("r-1");
    expect(redemptionOf({ type: "redeem", createdAt: REDEEMED_AT, source: { kind: "redemption", id: null } })).toBeNull();
    expect(redemptionOf({ type: "reverse", createdAt: REDEEMED_AT, source: { kind: "return", id: "ret-1" } })).toBeNull();
    expect(cancelledRedemptions([{ type: "refund", createdAt: REDEEMED_AT, source: { kind: "redemption", id: null } }]).size).toBe(0);
  });
});
