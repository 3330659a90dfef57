"""The daily points expiry, a job (`jobs`): each unit writes off the lots of one UTC day and shard
(`ledger.expire_due`) and announces the points expiring a week later (`notice_expiring`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from customer_id import clock, db, jobs, queues
from customer_id.loyalty import ledger, repository
from customer_id.loyalty.models import EXPIRY_SHARDS, Lot

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


def expire_unit(unit: jobs.Unit) -> ExpiryRun:
    """One unit of the daily expiry: the customers of the unit's shard with a lot expiring on its
    day (UTC, over), found through the expiry index and visited once, so the cost follows the
    number of expiring lots, never the number of customers; then the notices of the lots of that
    shard expiring `NOTICE_DAYS` after the day the unit runs (none for a date already past, when
    missed days are caught up). Done twice, it writes off and queues nothing more."""
    day = unit.start.date()
    customers = dict.fromkeys(repository.customers_with_lots_expiring_on(day, unit.shard))
    points = sum(ledger.expire_due(customer) for customer in customers)
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
    for lot in ledger.unspent(repository.lots_oldest_first(customer_id), unsettled):
        expires_on = lot.expires_at.astimezone(UTC).date()
        if expires_on > on:
            break
        if expires_on == on:
            found.append(lot)
    return found
