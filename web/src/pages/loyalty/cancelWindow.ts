/** When a customer may cancel a redemption (API.md: within 30 minutes of redeeming; staff at any time,
 * but this is the customer's page), from the transaction history the page already reads. */

/** The customer's window to cancel a redemption, counted from its `redeem` transaction. */
export const CANCEL_WINDOW_MS = 30 * 60_000;

export interface EntryLike {
  type: string;
  createdAt: string;
  source: { kind: string; id: string | null };
}

/** The redemption a `redeem` (or its `refund`) entry is of, if it names one. */
export function redemptionOf(entry: EntryLike): string | null {
  return (entry.type === "redeem" || entry.type === "refund") && entry.source.kind === "redemption" ? entry.source.id : null;
}

/** The redemptions already cancelled: the ids the `refund` entries name (`source: {kind: redemption, id}`). */
export function cancelledRedemptions(entries: readonly EntryLike[]): Set<string> {
  return new Set(entries.filter((entry) => entry.type === "refund").flatMap((entry) => redemptionOf(entry) ?? []));
}

/** The instant (ms) the customer's window closes for a redemption made at `redeemedAt` (ISO or ms). */
export function cancelDeadline(redeemedAt: string | number): number {
  return (typeof redeemedAt === "number" ? redeemedAt : Date.parse(redeemedAt)) + CANCEL_WINDOW_MS;
}

/** The redemption a history entry may be cancelled as, now: its id, and when the window closes; null
 * for any other entry, a cancelled redemption, or once the window has closed. */
export function cancellable(
  entry: EntryLike,
  cancelled: ReadonlySet<string>,
  now: number,
): { redemptionId: string; deadline: number } | null {
  const redemptionId = entry.type === "redeem" ? redemptionOf(entry) : null;
  if (redemptionId === null || cancelled.has(redemptionId)) {
    return null;
  }
  const deadline = cancelDeadline(entry.createdAt);
  return Number.isFinite(deadline) && now < deadline ? { redemptionId, deadline } : null;
}

/** The next instant (ms) after `now` at which one of these windows closes, so the page can take its
 * button away then; null when none is open. */
export function nextClosing(deadlines: readonly number[], now: number): number | null {
  const open = deadlines.filter((deadline) => deadline > now);
  return open.length === 0 ? null : Math.min(...open);
}
