import { beforeAll, describe, expect, it } from "vitest";
import { cleanup, screen } from "@testing-library/react";
import { setupI18n } from "../../i18n/i18n";
import { registerPageMessages } from "../../routes";
import { renderInApp } from "../../test/render";
import { TierCard } from "./TierCard";
import type { Schemas } from "../../api/client";

const TIERS: Schemas["TierOutput"][] = [
  { tierId: "bronze", name: "Bronze", minPoints: 0, earnMultiplier: 1, benefits: [] },
  { tierId: "silver", name: "Silver", minPoints: 1000, earnMultiplier: 1.25, benefits: [] },
];
const ACCOUNT: Schemas["LoyaltyAccountOutput"] = {
  customerId: "customer-1",
  tier: "bronze",
  pointsBalance: 1250,
  lifetimePoints: 800,
  nextTier: { tierId: "silver", pointsNeeded: 200 },
  expiringPoints: [],
  redemptionHold: false,
  pointsDebt: 0,
};

beforeAll(async () => {
  await setupI18n("en");
  registerPageMessages();
});

describe("TierCard", () => {
  it("shows the tier, the balance and the progress to the next tier", () => {
    renderInApp(<TierCard account={ACCOUNT} tiers={TIERS} />);
    expect(screen.getByText("Bronze")).toBeTruthy();
    expect(screen.getByTestId("balance").textContent).toBe("1,250");
    const bar = screen.getByRole("progressbar", { name: "Progress to Silver" });
    expect(bar.getAttribute("aria-valuenow")).toBe("80");
    expect(screen.getByText("200 more points to Silver")).toBeTruthy();
  });

  it("shows no debt when there is none, and explains a debt a return left", () => {
    renderInApp(<TierCard account={ACCOUNT} tiers={TIERS} />);
    expect(screen.queryByTestId("points-debt")).toBeNull();
    cleanup();
    renderInApp(<TierCard account={{ ...ACCOUNT, pointsBalance: 0, pointsDebt: 120 }} tiers={TIERS} />);
    const debt = screen.getByTestId("points-debt");
    expect(debt.textContent).toContain("Points owed");
    expect(screen.getByTestId("debt-points").textContent).toBe("120");
    expect(debt.textContent).toContain("the points you earn next pay it off first");
  });

  it("says so at the top tier, with no progress bar", () => {
    renderInApp(<TierCard account={{ ...ACCOUNT, tier: "silver", nextTier: null }} tiers={TIERS} />);
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByText("You are at the top tier")).toBeTruthy();
  });

  it("writes Arabic-Indic digits when the customer asks for them", async () => {
    const { i18next } = await import("../../i18n/i18n");
    await i18next.changeLanguage("ar");
    try {
      renderInApp(<TierCard account={ACCOUNT} tiers={TIERS} />, { language: "ar", arabicDigits: true });
      expect(screen.getByTestId("balance").textContent).toBe("١٬٢٥٠");
    } finally {
      await i18next.changeLanguage("en");
    }
  });
});
