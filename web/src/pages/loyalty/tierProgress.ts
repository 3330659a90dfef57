/** How far a customer is from the next tier, from the account (`nextTier.pointsNeeded` is the API's)
 * and the tier table. */
export interface TierLike {
  tierId: string;
  minPoints: number;
}

export interface TierProgress {
  /** 0..1 of the way from the current tier's threshold to the next one's; 1 at the top tier. */
  ratio: number;
  /** Points still to earn, 0 at the top tier. */
  pointsNeeded: number;
  nextTierId: string | null;
}

export function tierProgress(
  tier: string,
  nextTier: { tierId: string; pointsNeeded: number } | null | undefined,
  tiers: TierLike[],
): TierProgress {
  if (!nextTier) {
    return { ratio: 1, pointsNeeded: 0, nextTierId: null };
  }
  const from = tiers.find((candidate) => candidate.tierId === tier)?.minPoints ?? 0;
  const to = tiers.find((candidate) => candidate.tierId === nextTier.tierId)?.minPoints;
  const span = to === undefined ? 0 : to - from;
  const ratio = span > 0 ? 1 - nextTier.pointsNeeded / span : 0;
  return {
    ratio: Math.min(1, Math.max(0, ratio)),
    pointsNeeded: Math.max(0, nextTier.pointsNeeded),
    nextTierId: nextTier.tierId,
  };
}

/** The tiers' order by threshold: whether `tier` reaches `minTier`. */
export function tierReaches(tier: string, minTier: string, tiers: TierLike[]): boolean {
  const rank = (id: string) => tiers.find((candidate) => candidate.tierId === id)?.minPoints ?? Number.POSITIVE_INFINITY;
  return rank(tier) >= rank(minTier);
}

export type Affordability = "redeemable" | "needs-points" | "needs-tier" | "on-hold";

export function affordability(
  item: { pointsCost: number; minTier: string },
  account: { tier: string; pointsBalance: number; redemptionHold: boolean },
  tiers: TierLike[],
): Affordability {
  if (!tierReaches(account.tier, item.minTier, tiers)) {
    return "needs-tier";
  }
  if (item.pointsCost > account.pointsBalance) {
    return "needs-points";
  }
  return account.redemptionHold ? "on-hold" : "redeemable";
}
