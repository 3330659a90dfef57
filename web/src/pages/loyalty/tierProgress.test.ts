import { describe, expect, it } from "vitest";
import { affordability, tierProgress } from "./tierProgress";

const TIERS = [
  { tierId: "bronze", minPoints: 0 },
  { tierId: "silver", minPoints: 1000 },
  { tierId: "gold", minPoints: 5000 },
  { tierId: "platinum", minPoints: 15000 },
];

describe("tierProgress", () => {
  it("is the share of the way from this tier's threshold to the next one's", () => {
    expect(tierProgress("bronze", { tierId: "silver", pointsNeeded: 200 }, TIERS)).toEqual({
      ratio: 0.8,
      pointsNeeded: 200,
      nextTierId: "silver",
    });
    // silver (1000) to gold (5000): 3000 earned past silver, 1000 to go
    expect(tierProgress("silver", { tierId: "gold", pointsNeeded: 1000 }, TIERS).ratio).toBe(0.75);
  });

  it("starts at zero on a tier's threshold", () => {
    expect(tierProgress("gold", { tierId: "platinum", pointsNeeded: 10000 }, TIERS).ratio).toBe(0);
  });

  it("is full at the top tier, with nothing to earn", () => {
    expect(tierProgress("platinum", null, TIERS)).toEqual({ ratio: 1, pointsNeeded: 0, nextTierId: null });
  });

  it("stays within 0..1 when the figures disagree (lifetime points lowered by a return)", () => {
    expect(tierProgress("silver", { tierId: "gold", pointsNeeded: 4500 }, TIERS).ratio).toBe(0);
  });
});

describe("affordability", () => {
  const account = { tier: "silver", pointsBalance: 600, redemptionHold: false };
  it("needs the tier first, then the points", () => {
    expect(affordability({ pointsCost: 300, minTier: "bronze" }, account, TIERS)).toBe("redeemable");
    expect(affordability({ pointsCost: 600, minTier: "silver" }, account, TIERS)).toBe("redeemable");
    expect(affordability({ pointsCost: 601, minTier: "silver" }, account, TIERS)).toBe("needs-points");
    expect(affordability({ pointsCost: 100, minTier: "gold" }, account, TIERS)).toBe("needs-tier");
  });
  it("is on hold while redemptions are held", () => {
    expect(affordability({ pointsCost: 300, minTier: "bronze" }, { ...account, redemptionHold: true }, TIERS)).toBe("on-hold");
  });
});
