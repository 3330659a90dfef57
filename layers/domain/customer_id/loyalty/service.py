"""Loyalty rules: tiers, earning, expiring lots spent oldest first, adjustments and redemptions.

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
(`_unspent`), and the next debit or expiry settles it as it goes. Expired lots are written off
before a debit spends anything (each costs an `expire` entry): when more of them are due than the
debit's transaction holds, they are written off first in their own moves, as the daily expiry
would have done (`_ExpireFirst`). Lots are ordered by `earnedAt`, so by expiry: once a lot is
unexpired, so are all later ones.

A redemption records the lots its points came from (`SpentLot`), so that a cancellation puts them
back where they were, with their expiry (`cancel_redemption`). The debt is first in, first out on
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
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial

from customer_id import clock, codes, db, jobs, operations, pagination, queues
from customer_id.errors import Busy, Conflict, Forbidden, NotFound
from customer_id.i18n import Language
from customer_id.loyalty import repository, tiers
from customer_id.loyalty.models import EXPIRY_SHARDS, Account, LedgerEntry, Lot, Source, SpentLot, lot_key
from customer_id.loyalty.repository import (
    AccountChange,
    Cancellation,
    Redemption,
    StaleAccount,
    StoredRedemption,
)
from customer_id.loyalty.schemas import (
    CatalogItemOutput,
    CatalogList,
    ExpiringPoints,
    LoyaltyAccountOutput,
    NextTier,
    RedemptionCancellationOutput,
    RedemptionOutput,
    SourceOutput,
    TransactionOutput,
    TransactionPage,
)

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
# The customer may cancel a redemption this long after it (staff at any time).
CANCELLATION_WINDOW = timedelta(minutes=30)
EXPIRING_WINDOW = timedelta(days=30)
# The daily expiry is a job (`jobs`) over UTC days, one unit per day and expiry-index shard, planned
# once the day is over: its lots are all due then. A unit also announces the points expiring
# `NOTICE_DAYS` after the day it runs (each expiry date once, when it enters the coming week), so a
# customer hears of a lot a week before it expires, once per expiry date (`notice_expiring`).
NOTICE_DAYS = 7
EXPIRY = jobs.Job("points-expiry", "points-expiry", jobs.DAY, EXPIRY_SHARDS)


@dataclass(frozen=True)
class ExpiryRun:
    customers: int  # visited: they had a lot expiring on the unit's day
    points: int  # written off
    noticed: int = 0  # "points expiring" notifications queued (one per customer and expiry date)


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


# ---- reads -----------------------------------------------------------------------------------


def list_catalog(language: Language) -> CatalogList:
    items = sorted(
        repository.catalog(), key=lambda item: (tiers.rank(item.min_tier), item.points_cost, item.item_id)
    )
    return CatalogList(
        items=[
            CatalogItemOutput(
                item_id=item.item_id,
                name=item.name.get(language) or item.name["en"],
                points_cost=item.points_cost,
                min_tier=item.min_tier,
            )
            for item in items
        ]
    )


def require_account(customer_id: str) -> Account:
    """The account opened with the profile: missing means there is no profile (404)."""
    account = repository.get_account(customer_id)
    if account is None:
        raise NotFound("profile_not_found", customerId=customer_id)
    return account


def get_account(customer_id: str, now: datetime | None = None) -> LoyaltyAccountOutput:
    now = now or clock.now()
    account = require_account(customer_id)
    # Lots come oldest first, so expiry dates ascend: read only the due and soon-expiring ones.
    due = 0
    expiring: dict[datetime, int] = defaultdict(int)
    for lot in _unspent(repository.lots_oldest_first(customer_id), account.unsettled):
        if lot.expires_at <= now:
            due += lot.remaining  # expired, not yet written off by the daily expiry job
        elif lot.expires_at <= now + EXPIRING_WINDOW:
            expiring[lot.expires_at] += lot.remaining
        else:
            break
    upcoming = tiers.next_tier(account.lifetime_points)
    return LoyaltyAccountOutput(
        customer_id=customer_id,
        tier=account.tier_id,
        points_balance=account.balance - due,
        lifetime_points=account.lifetime_points,
        next_tier=(
            NextTier(tier_id=upcoming.tier_id, points_needed=upcoming.min_points - account.lifetime_points)
            if upcoming
            else None
        ),
        expiring_points=[
            ExpiringPoints(points=points, expires_at=at) for at, points in sorted(expiring.items())
        ],
        redemption_hold=account.redemption_hold,
        points_debt=account.points_debt,
    )


def _transaction_output(entry: LedgerEntry) -> TransactionOutput:
    return TransactionOutput(
        transaction_id=entry.transaction_id,
        type=entry.type,
        points=entry.points,
        balance_after=entry.balance_after,
        reason=entry.reason,
        source=SourceOutput(kind=entry.source.kind, id=entry.source.id),
        created_at=entry.created_at,
    )


def list_transactions(
    customer_id: str, entry_type: str | None, limit: int, cursor: str | None
) -> TransactionPage:
    scope = f"loyalty.transactions|{customer_id}|{entry_type or '*'}"
    entries, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.ledger_page(customer_id, entry_type, limit, start),
        before=lambda: require_account(customer_id),
    )
    return TransactionPage(items=[_transaction_output(entry) for entry in entries], next_cursor=next_cursor)


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


def _move(customer_id: str, decide: Callable[[Account], AccountChange]) -> AccountChange:
    def attempt(work: db.UnitOfWork) -> AccountChange:
        change = decide(require_account(customer_id))
        stage(work, change)
        return change

    return db.retry(attempt, retry_on=(StaleAccount,), attempts=MAX_ATTEMPTS)


def _entry(
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


def _credit(
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
    entry = _entry(seq, kind, points, account.balance + points, reason, source, at, transaction_id)
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
    entry = _entry(
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


def _unspent(lots_oldest_first: Iterable[Lot], unsettled: int) -> Iterator[Lot]:
    """The live lots: the stored ones with the account's `unsettled` points taken off the oldest."""
    owed = unsettled
    for lot in lots_oldest_first:
        taken = min(owed, lot.remaining)
        owed -= taken
        if lot.remaining > taken:
            yield replace(lot, remaining=lot.remaining - taken)


def _debit(
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
    entry = _entry(
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
        return _credit(account, points, "earn", reason, source, at, transaction_id)
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
    return _credit(account, points, "bonus", reason, source, at, transaction_id)


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
    redemption would spend them; what the balance cannot cover becomes debt (`_debit(owing=True)`).
    Lifetime points go down by `points` and the tier follows them, down as well as up. With nothing
    to reverse the account's `seq` still moves, so the caller's writes stay serialized with the
    customer's moves. `_ExpireFirst`, like any debit: run it through `debiting`."""
    if points == 0:
        return AccountChange(before=account, after=replace(account, seq=account.seq + 1))
    change = _debit(
        account, points, "reverse", reason, source, at, transaction_id, lot_writes=lot_writes, owing=True
    )
    lifetime = max(0, account.lifetime_points - points)
    tier_id = min(account.tier_id, tiers.tier_for(lifetime).tier_id, key=tiers.rank)
    change.after = replace(change.after, lifetime_points=lifetime, tier_id=tier_id)
    return change


def debiting[T](customer_id: str, at: datetime, commit: Callable[[], T]) -> T:
    """A workflow's debit (a return's reversal) run as the loyalty service runs its own (`_debiting`):
    expired lots its transaction cannot hold are written off first, and what it left owed is settled
    after its commit."""
    return _debiting(customer_id, at, commit)


def earn(customer_id: str, amount: Decimal, reason: str, source: Source) -> EarnResult:
    """Earn points for a purchase on their own (a workflow that writes more stages `plan_earn`)."""
    now = clock.now()
    return earned(_move(customer_id, lambda account: plan_earn(account, amount, reason, source, now)))


def credit_bonus(customer_id: str, points: int, reason: str, source: Source) -> LedgerEntry:
    now = clock.now()
    return _move(customer_id, lambda account: plan_bonus(account, points, reason, source, now)).entries[-1]


def earned(change: AccountChange) -> EarnResult:
    entry = change.entries[-1] if change.entries else None
    return EarnResult(
        points=entry.points if entry else 0,
        tier_id=change.after.tier_id,
        tier_changed=change.after.tier_id != change.before.tier_id,
        transaction_id=entry.transaction_id if entry else None,
        balance_after=change.after.balance,
    )


def adjust(customer_id: str, points: int, reason: str, admin_id: str) -> TransactionOutput:
    """An admin's credit or debit. With `Idempotency-Key` its entry's id derives from the operation,
    and a re-execution answers with the first entry, writing nothing."""
    now = clock.now()
    source = Source("admin", admin_id)
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> TransactionOutput:
        account = require_account(customer_id)
        if points > 0:
            change = _credit(account, points, "adjust", reason, source, now, transaction_id)
        else:
            change = _debit(account, -points, "adjust", reason, source, now, transaction_id)
        stage(work, change)
        return _transaction_output(change.entries[-1])

    return _debiting(
        customer_id,
        now,
        lambda: operations.retry(
            attempt, answer=TransactionOutput, retry_on=(StaleAccount,), attempts=MAX_ATTEMPTS
        ),
    )


def redeem(customer_id: str, item_id: str) -> RedemptionOutput:
    """Spend points on a catalogue item. With `Idempotency-Key` the redemption, its entry and its
    voucher derive from the operation, and a re-execution answers with the first redemption."""
    now = clock.now()
    require_account(customer_id)
    item = repository.catalog_item(item_id)
    if item is None:
        raise NotFound("catalog_item_not_found", itemId=item_id)
    redemption = Redemption(
        redemption_id=operations.derive("redemption"), item_id=item.item_id, voucher_code=_voucher_code()
    )
    transaction_id = operations.derive("transaction")

    def decide(account: Account) -> AccountChange:
        if account.redemption_hold:
            raise Forbidden("redemption_hold")
        if tiers.rank(account.tier_id) < tiers.rank(item.min_tier):
            raise Conflict("tier_too_low", minTier=item.min_tier)
        change = _debit(
            account,
            item.points_cost,
            "redeem",
            f"redeemed {item.item_id}",
            Source("redemption", redemption.redemption_id),
            now,
            transaction_id,
            lot_writes=REDEMPTION_LOT_WRITES,
            trace=True,
        )
        change.redemption = redemption
        return change

    def attempt(work: db.UnitOfWork) -> RedemptionOutput:
        change = decide(require_account(customer_id))
        stage(work, change)
        entry = change.entries[-1]
        queues.signal_fraud(
            work,
            f"redemption:{redemption.redemption_id}",
            "redemption",
            customer_id,
            entry.created_at,
            redemptionId=redemption.redemption_id,
            itemId=item.item_id,
            pointsSpent=-entry.points,
        )
        return RedemptionOutput(
            redemption_id=redemption.redemption_id,
            transaction_id=entry.transaction_id,
            points_spent=-entry.points,
            balance_after=entry.balance_after,
            voucher_code=redemption.voucher_code,
        )

    return _debiting(
        customer_id,
        now,
        lambda: operations.retry(
            attempt, answer=RedemptionOutput, retry_on=(StaleAccount,), attempts=MAX_ATTEMPTS
        ),
    )


class _SettleFirst(Exception):
    """A refund met an account that owes its lots: settle them first (see the module doc)."""


def cancel_redemption(
    customer_id: str, redemption_id: str, *, by_staff: bool
) -> RedemptionCancellationOutput:
    """Give a redemption's points back into the lots they came from, with their expiry, and void
    its voucher: the customer within `CANCELLATION_WINDOW` of redeeming, staff at any time. Points
    whose lot has expired meanwhile are written off at once (`expire` entries after the refund).
    One unit of work: the refund, the lots, the write-offs, the voided redemption, the
    notification and, with `Idempotency-Key`, the operation's answer."""
    now = clock.now()
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> RedemptionCancellationOutput:
        account = require_account(customer_id)
        redemption = repository.get_redemption(customer_id, redemption_id)
        if redemption is None:
            raise NotFound("redemption_not_found", redemptionId=redemption_id)
        if redemption.status == repository.CANCELLED:
            raise Conflict("redemption_already_cancelled", redemptionId=redemption_id)
        if not by_staff and now - redemption.created_at > CANCELLATION_WINDOW:
            raise Conflict("cancellation_window_closed", minutes=CANCELLATION_WINDOW // timedelta(minutes=1))
        if redemption.lots is None or sum(lot.points for lot in redemption.lots) != redemption.points_spent:
            raise Conflict("redemption_not_refundable", redemptionId=redemption_id)
        if account.unsettled > 0:
            raise _SettleFirst
        change = _refund(account, redemption, now, transaction_id)
        stage(work, change)
        queues.notify(
            work,
            f"refund:{customer_id}:{redemption_id}",
            customer_id,
            "loyalty",
            template="points_refunded",
            points=redemption.points_spent,
            voucherCode=redemption.voucher_code,
        )
        return RedemptionCancellationOutput(
            redemption_id=redemption_id,
            status="cancelled",
            points_refunded=redemption.points_spent,
            balance_after=change.after.balance,
            transaction_id=change.entries[0].transaction_id,
        )

    for _ in range(MAX_ATTEMPTS):
        try:
            return operations.retry(
                attempt, answer=RedemptionCancellationOutput, retry_on=(StaleAccount,), attempts=MAX_ATTEMPTS
            )
        except _SettleFirst:
            expire_due(customer_id, now)  # settles the debt (and writes off what expired by now)
    raise Busy("busy")


def _refund(
    account: Account, redemption: StoredRedemption, at: datetime, transaction_id: str
) -> AccountChange:
    """The `refund` credit of a redemption's points into the lots they came from, then an `expire`
    entry for each of those lots that has expired by `at` (its points are not put back)."""
    assert redemption.lots is not None
    stored = repository.lots_by_key(account.customer_id, (lot.key for lot in redemption.lots))
    back: list[Lot] = []
    topped_up: list[Lot] = []
    expired: list[SpentLot] = []
    for spent in redemption.lots:
        if spent.expires_at <= at:
            expired.append(spent)
        elif spent.key in stored:
            lot = stored[spent.key]
            topped_up.append(replace(lot, remaining=lot.remaining + spent.points))
        else:
            back.append(Lot(spent.key, spent.points, spent.earned_at, spent.expires_at, spent.transaction_id))
    change = _credit(
        account,
        redemption.points_spent,
        "refund",
        f"cancelled redemption of {redemption.item_id}",
        Source("redemption", redemption.redemption_id),
        at,
        transaction_id,
        restored=(back, topped_up),
    )
    for spent in expired:
        after = change.after
        entry = _entry(
            after.seq + 1,
            "expire",
            -spent.points,
            after.balance - spent.points,
            "points expired",
            Source("lot", spent.transaction_id),
            at,
        )
        change.entries.append(entry)
        change.after = replace(after, balance=entry.balance_after, seq=entry.seq)
    change.cancellation = Cancellation(redemption.redemption_id, at, change.entries[0].transaction_id)
    return change


def _debiting[T](customer_id: str, at: datetime, commit: Callable[[], T]) -> T:
    """Run a debit's `commit` (its operation): when more expired lots are due than its transaction
    holds, write them off first in their own moves and decide again; then settle what it left owed."""
    while True:
        try:
            result = commit()
        except _ExpireFirst:
            expire_due(customer_id, at)  # writes off at least the lot the debit could not fit
            continue
        settle(customer_id, at)
        return result


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
        change = _move(customer_id, partial(_expiry, at=now))
        written_off += change.before.balance - change.after.balance
        if not _full(change):  # not a full transaction: none left
            return written_off


def expire_unit(unit: jobs.Unit) -> ExpiryRun:
    """One unit of the daily expiry: the customers of the unit's shard with a lot expiring on its
    day (UTC, over), found through the expiry index and visited once, so the cost follows the
    number of expiring lots, never the number of customers; then the notices of the lots of that
    shard expiring `NOTICE_DAYS` after the day the unit runs (none for a date already past, when
    missed days are caught up). Done twice, it writes off and queues nothing more."""
    day = unit.start.date()
    customers = dict.fromkeys(repository.customers_with_lots_expiring_on(day, unit.shard))
    points = sum(expire_due(customer) for customer in customers)
    noticed = 0
    on = day + timedelta(days=1 + NOTICE_DAYS)
    if on > clock.now().astimezone(UTC).date():
        for customer_id in dict.fromkeys(repository.customers_with_lots_expiring_on(on, unit.shard)):
            noticed += notice_expiring(customer_id, on)
    return ExpiryRun(customers=len(customers), points=points, noticed=noticed)


def notice_expiring(customer_id: str, on: date) -> bool:
    """Queue the "points expiring" notification for the customer's points expiring on `on` (a UTC
    date), once per customer and date however many runs see it: its marker is written with the
    outbox message, on the condition that it does not exist yet (a run that finds it, or loses a
    race to write it, queues nothing). Whether this call queued it."""
    if repository.expiry_noticed(customer_id, on):
        return False
    due = [lot for lot in _lots_expiring_on(customer_id, on) if lot.remaining > 0]
    if not due:
        return False  # spent or written off since the index was read
    points = sum(lot.remaining for lot in due)
    expires_at = min(lot.expires_at for lot in due)

    def attempt(work: db.UnitOfWork) -> None:
        repository.note_expiry_notice(work, customer_id, on, points, clock.now())
        queues.notify(
            work,
            f"expiring:{customer_id}:{on.isoformat()}",
            customer_id,
            "loyalty",
            template="points_expiring",
            points=points,
            expiresAt=clock.iso(expires_at),
        )

    try:
        db.retry(attempt)
    except repository.AlreadyNoticed:
        return False
    return True


def _lots_expiring_on(customer_id: str, on: date) -> list[Lot]:
    """The customer's live lots whose UTC expiry date is `on` (lots come in expiry order)."""
    account = repository.get_account(customer_id)
    found = []
    unsettled = account.unsettled if account else 0
    for lot in _unspent(repository.lots_oldest_first(customer_id), unsettled):
        expires_on = lot.expires_at.astimezone(UTC).date()
        if expires_on > on:
            break
        if expires_on == on:
            found.append(lot)
    return found


def _voucher_code() -> str:
    code = codes.random_code(12)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
