"""Segmentation rules applied: a customer's segment is computed for the day it is read; the stored
assignment (and the per-segment counters behind `GET /segments/{id}/stats`) moves on purchases,
on recalculation, and in the daily refresh of the customers whose scores time alone changes (a job,
`REFRESH`, one unit per day and review-index shard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from customer_id import clock, db, jobs
from customer_id.analytics import facts as analytics
from customer_id.analytics import rfm
from customer_id.errors import NotFound
from customer_id.i18n import Language, text
from customer_id.money import from_cents, money, rounded, to_cents
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date, require_profile
from customer_id.segments import repository
from customer_id.segments.models import REVIEW_SHARDS, Assignment
from customer_id.segments.repository import AssignmentMoved
from customer_id.segments.schemas import (
    RfmScores,
    SegmentBenefit,
    SegmentBenefitList,
    SegmentDefinition,
    SegmentDefinitionList,
    SegmentMetrics,
    SegmentOutput,
    SegmentStatsOutput,
)

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


def _output(inputs: rfm.Inputs, assignment: Assignment, language: Language) -> SegmentOutput:
    return SegmentOutput(
        segment_id=assignment.segment_id,
        name=text(f"segment.{assignment.segment_id}", language),
        rfm=RfmScores(
            recency=assignment.recency, frequency=assignment.frequency, monetary=assignment.monetary
        ),
        assigned_at=assignment.assigned_at,
        metrics=SegmentMetrics(
            days_since_last_purchase=inputs.days_since_last_purchase,
            purchases12m=inputs.purchases12m,
            spend12m=money(inputs.spend12m),
        ),
    )


def get_segment(customer_id: str, language: Language) -> SegmentOutput:
    """The segment for today, read-only: time may have moved it since the stored assignment."""
    profile = require_profile(customer_id)
    now = clock.now()
    inputs = analytics.rfm_inputs(profile, now)
    current = _next_assignment(customer_id, inputs, repository.assignment(customer_id), now)
    return _output(inputs, current, language)


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


def recalculate(customer_id: str, language: Language) -> SegmentOutput:
    profile = require_profile(customer_id)

    def attempt(work: db.UnitOfWork) -> SegmentOutput:
        now = clock.now()
        inputs = analytics.rfm_inputs(profile, now)
        return _output(inputs, _assign(work, customer_id, inputs, now), language)

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
        recalculate(customer_id, "en")
        refreshed += 1
    return RefreshRun(refreshed=refreshed)


def benefits(customer_id: str, language: Language) -> SegmentBenefitList:
    segment_id = get_segment(customer_id, language).segment_id
    return SegmentBenefitList(
        items=[
            SegmentBenefit(
                benefit_id=key,
                title=text(f"segment_benefit.{key}.title", language),
                description=text(f"segment_benefit.{key}.description", language),
            )
            for key in rfm.segment(segment_id).benefits
        ]
    )


def list_segments(language: Language) -> SegmentDefinitionList:
    return SegmentDefinitionList(
        items=[
            SegmentDefinition(
                segment_id=segment.segment_id,
                name=text(f"segment.{segment.segment_id}", language),
                description=text(f"segment.{segment.segment_id}.description", language),
                rule=segment.rule,
            )
            for segment in rfm.SEGMENTS
        ]
    )


def stats(segment_id: str) -> SegmentStatsOutput:
    if segment_id not in rfm.SEGMENT_IDS:
        raise NotFound("segment_not_found", segmentId=segment_id)
    count, cents, updated_at = repository.stats(segment_id)
    return SegmentStatsOutput(
        segment_id=segment_id,
        customer_count=count,
        average_spend12m=money(rounded(from_cents(cents) / count) if count else Decimal(0)),
        updated_at=updated_at,
    )
