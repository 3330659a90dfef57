"""Segmentation rules applied: a customer's segment is computed for the day it is read; the stored
assignment (and the per-segment counters behind `GET /segments/{id}/stats`) moves on purchases,
on recalculation, and in the daily refresh of the customers whose scores time alone changes (a job,
`REFRESH`, one unit per day and review-index shard).

Workflows and the refresh import this module, so it holds no API schema: each route's answer is
built in its own module (`customer`, `benefits`, `definitions`, `stats`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from customer_id import clock, db, jobs
from customer_id.analytics import facts as analytics
from customer_id.analytics import rfm
from customer_id.money import to_cents
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date, require_profile
from customer_id.segments import repository
from customer_id.segments.models import REVIEW_SHARDS, Assignment
from customer_id.segments.repository import AssignmentMoved

MAX_ATTEMPTS = 5
# The daily refresh is a job (`jobs`) over UTC days, one unit per day and review-index shard.
REFRESH = jobs.Job("segment-refresh", "segment-refresh", jobs.DAY, REVIEW_SHARDS)


@dataclass(frozen=True)
class RefreshRun:
    refreshed: int  # customers re-assigned: those of the unit's shard due for review on its day


def _next_assignment(
    customer_id: str, inputs: rfm.Inputs, previous: Assignment | None, now: datetime
) -> Assignment:
    segment_id, scores = rfm.classify(inputs)
    kept = previous is not None and previous.segment_id == segment_id
    return Assignment(
        customer_id=customer_id,
        segment_id=segment_id,
        recency=scores.recency,
        frequency=scores.frequency,
        monetary=scores.monetary,
        spend12m_cents=to_cents(inputs.spend12m),
        assigned_at=previous.assigned_at if kept and previous else now,
        version=previous.version + 1 if previous else 1,
    )


def current(customer_id: str) -> tuple[rfm.Inputs, Assignment]:
    """The segment for today, read-only (with the inputs it was computed from): time may have moved
    it since the stored assignment."""
    profile = require_profile(customer_id)
    now = clock.now()
    inputs = analytics.rfm_inputs(profile, now)
    return inputs, _next_assignment(customer_id, inputs, repository.assignment(customer_id), now)


def assign_in(work: db.UnitOfWork, profile: Profile, inputs: rfm.Inputs, now: datetime) -> None:
    """Add the customer's new assignment to a unit of work (a purchase, a new profile): its commit
    raises `AssignmentMoved` if the stored assignment moved since it was read here."""
    _assign(work, profile.customer_id, inputs, now)


def _assign(work: db.UnitOfWork, customer_id: str, inputs: rfm.Inputs, now: datetime) -> Assignment:
    previous = repository.assignment(customer_id)
    new = _next_assignment(customer_id, inputs, previous, now)
    repository.write_assignment(work, new, previous, rfm.review_on(inputs), now)
    return new


def open_in(work: db.UnitOfWork, profile: Profile) -> None:
    """A new customer: `new`, until 30 days after joining."""
    today = local_date(profile, profile.joined_at)
    inputs = rfm.Inputs(
        today=today, joined_on=today, last_purchase_on=None, purchases12m=0, spend12m=Decimal(0)
    )
    assign_in(work, profile, inputs, profile.joined_at)


def reassign(customer_id: str) -> tuple[rfm.Inputs, Assignment]:
    """Recompute the customer's segment now and store it (with the inputs it was computed from)."""
    profile = require_profile(customer_id)

    def attempt(work: db.UnitOfWork) -> tuple[rfm.Inputs, Assignment]:
        now = clock.now()
        inputs = analytics.rfm_inputs(profile, now)
        return inputs, _assign(work, customer_id, inputs, now)

    return db.retry(attempt, retry_on=(AssignmentMoved,), attempts=MAX_ATTEMPTS)


def refresh_unit(unit: jobs.Unit) -> RefreshRun:
    """One unit of the daily refresh: re-assign the customers of the unit's shard whose review date
    (the day time alone changes their scores) is the unit's day, found through the review index, so
    the cost follows the number of customers due, never the number of customers.

    Review dates are customers' local dates, and the unit's day P is a UTC day. Only that day is
    looked at: a unit is planned once UTC day P has ended, and local dates run from UTC-12 to
    UTC+14, so by then local day P has begun for every customer (it is at least 12:00 on P at
    UTC-12) and each customer due on P is re-assigned on or after their local P. (The refresh used
    to run on the UTC day itself and so looked at the day before again, for the customers west of
    UTC it reached before their day began.) A re-assignment stores a review date after the
    customer's local today, so it leaves P's partition: a unit done twice re-assigns nobody more."""
    day = unit.start.date()
    refreshed = 0
    for customer_id in repository.due_for_review(day, unit.shard):
        reassign(customer_id)
        refreshed += 1
    return RefreshRun(refreshed=refreshed)
