"""The points ledger's value moves: the small core other features and workflows call (plan a change,
`stage` it into their unit of work, commit through `db.retry(..., retry_on=(StaleAccount,))`), and
the loyalty API's use cases build on (`accounts`, `adjustments`, `redemptions`, `cancellations`,
`expiry`). It imports no API schema.

Every value move reads the account, decides the whole change (ledger entries with `balanceAfter`,
lots created, spent or expired, tier), and commits it in one transaction conditioned on the account
not having moved since (`seq` and `redemptionHold`). A lost race re-reads and decides again, so no
concurrency can overdraw the balance or write a wrong `balanceAfter`.

Any lot history can be spent. A debit takes its points off the oldest lots, one write per lot, as
many as its transaction holds; what it could not take off is left on the account as `unsettled`
(the lots' debt, see `models`), with the balance and the ledger entry exact in that same
transaction. The debt is then settled (`settle`) in further transactions that write no ledger
entry and change no balance: each takes the next oldest lots off, conditioned on `seq` like every
move. Until it is settled, every reader of the lots takes the debt off the oldest lots first
(`unspent`), and the next debit or expiry settles it as it goes. Expired lots are written off
before a debit spends anything (each costs an `expire` entry): when more of them are due than the
debit's transaction holds, they are written off first in their own moves, as the daily expiry
would have done (`_ExpireFirst`). Lots are ordered by `earnedAt`, so by expiry: once a lot is
unexpired, so are all later ones.

A redemption records the lots its points came from (`SpentLot`), so that a cancellation puts them
back where they were, with their expiry (`cancellations`). The debt is first in, first out on
the oldest lots: the points a debit leaves owed will come off the lots after the ones its
transaction wrote, past the debt owed before it, so the debit reads those lots ahead and records
them too (`_owed_lots`). That holds because nothing is ever put back among lots the debt covers: a
refund runs only on an account that owes its lots nothing (it settles the debt first), and every
other credit adds a newer lot.

A return reverses points (`plan_reverse`): a debit like a redemption's (write-offs first, then the
oldest lots), but never below zero: what the balance cannot cover becomes `pointsDebt`, and the
ledger entry keeps the full reversed points. Lifetime points go down by them and the tier follows,
down as well as up. Every later credit (earn, bonus, adjust, refund) repays the debt first, in one
place: `stage`, which every change passes through (see `_repay`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import partial

from customer_id import clock, codes, db, queues
from customer_id.errors import Busy, Conflict, NotFound
from customer_id.loyalty import repository, tiers
from customer_id.loyalty.models import Account, LedgerEntry, Lot, Source, SpentLot, lot_key
from customer_id.loyalty.repository import AccountChange, StaleAccount

MAX_ATTEMPTS = 30
# A DynamoDB transaction holds 100 writes; the account, the move's own entry and one more record
# (the operation's outcome, or another feature's write in the same unit of work) leave this many for
# lots and their expiry entries. A redemption also writes its record and its fraud signal.
LOT_WRITES_PER_MOVE = repository.MAX_TRANSACTION_ITEMS - 3
REDEMPTION_LOT_WRITES = LOT_WRITES_PER_MOVE - 2
# A cancellation writes the account, its refund entry, the redemption, its notification and its
# outcome, and one item per lot it puts back (the lot, or the `expire` entry of points that expired
# meanwhile): a redemption records up to this many lots, or none (it cannot be cancelled then).
REFUNDABLE_LOTS = repository.MAX_TRANSACTION_ITEMS - 5


@dataclass(frozen=True)
class EarnResult:
    points: int
    tier_id: str
    tier_changed: bool
    transaction_id: str | None
    balance_after: int


def expiry_of(earned_at: datetime) -> datetime:
    """Twelve calendar months after `earned_at` (29 February runs to 28 February)."""
    try:
        return earned_at.replace(year=earned_at.year + 1)
    except ValueError:
        return earned_at.replace(year=earned_at.year + 1, day=28)


def require_account(customer_id: str) -> Account:
    """The account opened with the profile: missing means there is no profile (404)."""
    account = repository.get_account(customer_id)
    if account is None:
        raise NotFound("profile_not_found", customerId=customer_id)
    return account


# ---- value moves ------------------------------------------------------------------------------


def stage(work: db.UnitOfWork, change: AccountChange) -> None:
    """Add a decided change to `work` (nothing when nothing changes). The caller commits it through
    `db.retry(..., retry_on=(StaleAccount,))`, deciding again when the account moved meanwhile.

    Every account change passes here, so here a change that raises the tier (a purchase, a referral
    payout, a reward claim: whatever credits `earn` or `bonus` points) adds its `tier_upgrade`
    notification to the same unit of work. Its message id is `tier:<customer>:<tier>`: a tier
    reached again after a return took it down is not announced twice.

    Here too the change's credits repay the account's debt first (`_repay`): every credit passes."""
    if change.after == change.before and change.item_count() == 1:
        return  # nothing changes: nothing to write
    _repay(change)
    upgraded = tiers.rank(change.after.tier_id) > tiers.rank(change.before.tier_id)
    if len(work) + change.item_count() + upgraded > repository.MAX_TRANSACTION_ITEMS:
        raise Conflict("too_many_lots")
    repository.stage(work, change)
    if upgraded:
        customer_id = change.after.customer_id
        queues.notify(
            work,
            f"tier:{customer_id}:{change.after.tier_id}",
            customer_id,
            "loyalty",
            template="tier_upgrade",
            tier=change.after.tier_id,
        )


# the entry types that credit points: each repays the account's debt before it adds to the balance
CREDITS = ("earn", "bonus", "adjust", "refund")


def _repay(change: AccountChange) -> None:
    """Repay the account's debt from the points this change credits, once (`change.repaid`): the
    credit's entry keeps its full `points`, its `balanceAfter` (and those of the entries after it)
    and the balance are after repayment. While there is debt the balance is 0 (a reversal leaves
    debt only once the balance is spent), so the credit's lots are the only live ones: the repaid
    points are taken off them as spent points are, through `unsettled` (oldest live lots first)."""
    debt = change.before.points_debt
    credits = [
        index for index, entry in enumerate(change.entries) if entry.type in CREDITS and entry.points > 0
    ]
    if debt == 0 or change.repaid or not credits:
        return
    first = credits[0]
    credited = sum(change.entries[index].points for index in credits)
    lowest = min(entry.balance_after for entry in change.entries[first:])
    repaid = min(debt, credited, lowest)
    if repaid <= 0:
        return
    change.entries[first:] = [
        replace(entry, balance_after=entry.balance_after - repaid) for entry in change.entries[first:]
    ]
    after = change.after
    change.after = replace(
        after,
        balance=after.balance - repaid,
        unsettled=after.unsettled + repaid,
        points_debt=after.points_debt - repaid,
    )
    change.repaid = repaid


def move(customer_id: str, decide: Callable[[Account], AccountChange]) -> AccountChange:
    def attempt(work: db.UnitOfWork) -> AccountChange:
        change = decide(require_account(customer_id))
        stage(work, change)
        return change

    return db.retry(attempt, retry_on=(StaleAccount,), attempts=MAX_ATTEMPTS)


def new_entry(
    seq: int,
    kind: str,
    points: int,
    balance_after: int,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        transaction_id=transaction_id or codes.new_id(),
        seq=seq,
        type=kind,
        points=points,
        balance_after=balance_after,
        reason=reason,
        source=source,
        created_at=at,
    )


def credit(
    account: Account,
    points: int,
    kind: str,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
    *,
    restored: tuple[list[Lot], list[Lot]] | None = None,
) -> AccountChange:
    """Add `points`, every credit's one way: as a new lot, or, for a refund, back into the lots they
    came from (`restored`: the lots to put back, the stored lots with their new `remaining`).
    `earn` and `bonus` count towards the tier, which never goes down. `transaction_id`: the
    entry's id when the request derives it (`operations.derive`), else random."""
    seq = account.seq + 1
    lifetime = account.lifetime_points + (points if kind in ("earn", "bonus") else 0)
    reached = tiers.tier_for(lifetime).tier_id
    tier_id = max(account.tier_id, reached, key=tiers.rank)
    entry = new_entry(seq, kind, points, account.balance + points, reason, source, at, transaction_id)
    new_lots: list[Lot]
    changed_lots: list[Lot]
    if restored is None:
        lot = Lot(
            key=lot_key(at, seq),
            remaining=points,
            earned_at=at,
            expires_at=expiry_of(at),
            transaction_id=entry.transaction_id,
        )
        new_lots, changed_lots = [lot], []
    else:
        new_lots, changed_lots = restored
    after = replace(account, balance=entry.balance_after, lifetime_points=lifetime, tier_id=tier_id, seq=seq)
    return AccountChange(
        before=account, after=after, entries=[entry], new_lots=new_lots, changed_lots=changed_lots
    )


def _write_off(change: AccountChange, lot: Lot, at: datetime) -> None:
    """Add the write-off of an expired `lot` to `change`: an `expire` entry, and the lot deleted."""
    after = change.after
    entry = new_entry(
        after.seq + 1,
        "expire",
        -lot.remaining,
        after.balance - lot.remaining,
        "points expired",
        Source("lot", lot.transaction_id),
        at,
    )
    change.entries.append(entry)
    change.changed_lots.append(replace(lot, remaining=0))
    change.after = replace(after, balance=entry.balance_after, seq=entry.seq)


class _ExpireFirst(Exception):
    """A debit reached more expired lots than its transaction holds: write them off first."""


def unspent(lots_oldest_first: Iterable[Lot], unsettled: int) -> Iterator[Lot]:
    """The live lots: the stored ones with the account's `unsettled` points taken off the oldest."""
    owed = unsettled
    for lot in lots_oldest_first:
        taken = min(owed, lot.remaining)
        owed -= taken
        if lot.remaining > taken:
            yield replace(lot, remaining=lot.remaining - taken)


def debit(
    account: Account,
    points: int,
    kind: str,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
    *,
    lot_writes: int = LOT_WRITES_PER_MOVE,
    trace: bool = False,
    owing: bool = False,
) -> AccountChange:
    """Take `points` from the oldest live lots, first writing off lots that have expired (their
    `expire` entries get random ids; the debit's own entry `transaction_id` when given), in at most
    `lot_writes` writes of lots and expiry entries. The account's earlier debt is taken off the
    oldest lots first; what does not fit joins it (`unsettled`). `_ExpireFirst` when the expired
    lots do not fit. With `trace`, `change.spent` says which lots the points came from. `owing` (a
    reversal): what the balance left after the write-offs cannot cover becomes the customer's
    `pointsDebt` instead of a 409; the entry keeps the full `points`."""
    if account.balance < points and not owing:
        raise Conflict("insufficient_points", needed=points, available=account.balance)
    change = AccountChange(before=account, after=account)
    owed = account.unsettled  # spent earlier, still on the oldest lots
    taking = due = points
    capped = not owing  # whether `taking` is what the balance can cover
    writes = 0
    spent: list[SpentLot] = []
    lots = iter(repository.lots_oldest_first(account.customer_id))
    stopped: Lot | None = None  # the first lot the transaction had no room for
    for lot in lots:
        from_debt = min(owed, lot.remaining)
        live = lot.remaining - from_debt
        expired = lot.expires_at <= at
        if not expired and not capped:  # every expired lot is written off by now: lots come by expiry
            taking = due = min(points, change.after.balance)
            capped = True
        if not expired and from_debt == 0 and due == 0:
            break
        # an expired lot costs two writes (its entry and its deletion), any other one write
        cost = 2 if expired and live > 0 else 1
        if writes + cost > lot_writes:
            if expired:
                raise _ExpireFirst
            stopped = lot
            break  # the rest is unexpired: what is left to take off it is owed
        writes += cost
        owed -= from_debt
        if expired and live > 0:
            _write_off(change, replace(lot, remaining=live), at)
            continue
        taken = 0 if expired else min(live, due)
        due -= taken
        change.changed_lots.append(replace(lot, remaining=live - taken))
        if taken > 0:
            spent.append(SpentLot.of(lot, taken))
    else:
        if not capped:  # the lots ran out, every one expired
            taking = due = min(points, change.after.balance)
        if due > 0:  # the lots ran out: expired ones did not leave enough
            raise Conflict("insufficient_points", needed=points, available=change.after.balance)
    if change.after.balance < taking:
        raise Conflict("insufficient_points", needed=points, available=change.after.balance)
    entry = new_entry(
        change.after.seq + 1,
        kind,
        -points,
        change.after.balance - taking,
        reason,
        source,
        at,
        transaction_id,
    )
    change.entries.append(entry)
    change.after = replace(
        change.after,
        balance=entry.balance_after,
        seq=entry.seq,
        unsettled=owed + due,
        points_debt=change.after.points_debt + points - taking,
    )
    if trace:
        if due > 0 and stopped is not None:
            ahead = _owed_lots(itertools.chain([stopped], lots), owed, due, REFUNDABLE_LOTS - len(spent))
            change.spent = None if ahead is None else spent + ahead
        else:
            change.spent = spent
    return change


def _owed_lots(lots: Iterator[Lot], before: int, due: int, room: int) -> list[SpentLot] | None:
    """The lots that `due` owed points will come off (the debt is taken off the oldest lots first,
    `before` points of it ahead of these), at most `room` of them, reading at most `2 * room` lots in
    all; None when they are more (a redemption too spread out to be cancelled)."""
    found: list[SpentLot] = []
    for read, lot in enumerate(lots):
        if read >= 2 * room or len(found) >= room:
            return None
        skipped = min(before, lot.remaining)
        before -= skipped
        taken = min(due, lot.remaining - skipped)
        if taken > 0:
            found.append(SpentLot.of(lot, taken))
            due -= taken
        if due == 0:
            return found
    return None  # fewer points on the lots than the debt: never, while balance == lots - unsettled


def _expiry(account: Account, at: datetime) -> AccountChange:
    """Settle the account's debt and write off the lots expired by `at`, oldest first, as many as
    one transaction holds (`_full` says whether it may hold more)."""
    change = AccountChange(before=account, after=account)
    owed = account.unsettled
    for lot in repository.lots_oldest_first(account.customer_id):
        from_debt = min(owed, lot.remaining)
        live = lot.remaining - from_debt
        expired = lot.expires_at <= at
        if not expired and from_debt == 0:
            break
        cost = 2 if expired and live > 0 else 1
        if _writes(change) + cost > LOT_WRITES_PER_MOVE:
            break
        owed -= from_debt
        if expired and live > 0:
            _write_off(change, replace(lot, remaining=live), at)
        else:
            change.changed_lots.append(replace(lot, remaining=live))
    change.after = replace(change.after, unsettled=owed)
    return change


def _writes(change: AccountChange) -> int:
    return len(change.entries) + len(change.changed_lots)


def _full(change: AccountChange) -> bool:
    """Whether an `_expiry` move stopped for lack of room (else nothing was left to do)."""
    return _writes(change) + 2 > LOT_WRITES_PER_MOVE


def plan_earn(
    account: Account,
    amount: Decimal,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
) -> AccountChange:
    """The points a purchase of `amount` earns at the account's tier. With nothing to earn the
    account's `seq` still moves, so the caller's writes stay serialized with the customer's moves."""
    points = tiers.points_for(amount, tiers.tier(account.tier_id))
    if points > 0:
        return credit(account, points, "earn", reason, source, at, transaction_id)
    return AccountChange(before=account, after=replace(account, seq=account.seq + 1))


def plan_bonus(
    account: Account,
    points: int,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
) -> AccountChange:
    """A `bonus` (referral payout, special-date reward): counts towards the tier like earned points."""
    return credit(account, points, "bonus", reason, source, at, transaction_id)


def plan_reverse(
    account: Account,
    points: int,
    reason: str,
    source: Source,
    at: datetime,
    transaction_id: str | None = None,
    *,
    lot_writes: int = LOT_WRITES_PER_MOVE,
) -> AccountChange:
    """A return's reversal of `points`: a `reverse` entry of -`points`, spent from the lots as a
    redemption would spend them; what the balance cannot cover becomes debt (`debit(owing=True)`).
    Lifetime points go down by `points` and the tier follows them, down as well as up. With nothing
    to reverse the account's `seq` still moves, so the caller's writes stay serialized with the
    customer's moves. `_ExpireFirst`, like any debit: run it through `debiting`."""
    if points == 0:
        return AccountChange(before=account, after=replace(account, seq=account.seq + 1))
    change = debit(
        account, points, "reverse", reason, source, at, transaction_id, lot_writes=lot_writes, owing=True
    )
    lifetime = max(0, account.lifetime_points - points)
    tier_id = min(account.tier_id, tiers.tier_for(lifetime).tier_id, key=tiers.rank)
    change.after = replace(change.after, lifetime_points=lifetime, tier_id=tier_id)
    return change


def debiting[T](customer_id: str, at: datetime, commit: Callable[[], T]) -> T:
    """Run a debit's `commit` (its operation, or a workflow's unit of work such as a return's
    reversal): when more expired lots are due than its transaction holds, write them off first in
    their own moves and decide again; then settle what it left owed."""
    while True:
        try:
            result = commit()
        except _ExpireFirst:
            expire_due(customer_id, at)  # writes off at least the lot the debit could not fit
            continue
        settle(customer_id, at)
        return result


def earn(customer_id: str, amount: Decimal, reason: str, source: Source) -> EarnResult:
    """Earn points for a purchase on their own (a workflow that writes more stages `plan_earn`)."""
    now = clock.now()
    return earned(move(customer_id, lambda account: plan_earn(account, amount, reason, source, now)))


def credit_bonus(customer_id: str, points: int, reason: str, source: Source) -> LedgerEntry:
    now = clock.now()
    return move(customer_id, lambda account: plan_bonus(account, points, reason, source, now)).entries[-1]


def earned(change: AccountChange) -> EarnResult:
    entry = change.entries[-1] if change.entries else None
    return EarnResult(
        points=entry.points if entry else 0,
        tier_id=change.after.tier_id,
        tier_changed=change.after.tier_id != change.before.tier_id,
        transaction_id=entry.transaction_id if entry else None,
        balance_after=change.after.balance,
    )


def settle(customer_id: str, at: datetime) -> None:
    """Take the account's debt off its oldest lots (and write off what expired by `at`), in as many
    moves as it takes; the balance and the ledger stay as they are. After a debit's commit this is
    housekeeping: if the account keeps moving (`Busy`), the next debit or expiry settles the rest."""
    account = repository.get_account(customer_id)
    if account is None or account.unsettled == 0:
        return
    try:
        expire_due(customer_id, at)
    except Busy:
        return


def expire_due(customer_id: str, at: datetime | None = None) -> int:
    """Write off the customer's lots expired by `at` (now): an `expire` entry each (with its exact
    `balanceAfter`), the lot deleted, after settling the account's debt (`settle`). Returns the
    points written off; a second run finds nothing due."""
    now = at or clock.now()
    written_off = 0
    while True:
        change = move(customer_id, partial(_expiry, at=now))
        written_off += change.before.balance - change.after.balance
        if not _full(change):  # not a full transaction: none left
            return written_off
