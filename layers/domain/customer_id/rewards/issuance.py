"""The issuance of the special-date rewards.

The issuance is an hourly job (`ISSUANCE`, see `customer_id.jobs`): each hour that has ended is
planned once (missed hours caught up), as one unit per celebration-index shard; a unit rewards,
for every time zone whose local day began in its hour, the celebrants of that zone and day, found
through the index key of the day's month-day and the shard and the prefix of the zone
(`issue_unit`). So a customer is rewarded in the hour their own day begins, never the evening
before, and the cost follows the number of celebrants (plus one key-exact query per zone whose day
began and shard, mostly empty), not the number of customers. `POST /rewards/issuance` (`issue`)
rewards a date's celebrants in every zone at once, by the same loop; both are idempotent (one
reward per customer, occasion and year, its key the guard)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, partial
from zoneinfo import ZoneInfo

from customer_id import clock, db, jobs, queues
from customer_id.profile.service import timezones
from customer_id.rewards import occasions, repository, worth
from customer_id.rewards.models import CELEBRANT_SHARDS, Celebrant, Reward, reward_id_of
from customer_id.rewards.repository import AlreadyIssued
from customer_id.rewards.schemas.issuance import RewardIssuanceOutput

CLAIM_WINDOW = timedelta(days=30)
ISSUANCE = jobs.Job("rewards-issuance", "rewards-issuance", jobs.HOUR, CELEBRANT_SHARDS)


def _issue(work: db.UnitOfWork, reward: Reward) -> None:
    """The reward and its notification, in one unit of work: stored and announced, or neither."""
    repository.add_reward(work, reward)
    queues.notify(
        work,
        f"reward:{reward.customer_id}:{reward.reward_id}",
        reward.customer_id,
        "rewards",
        template="special_date_reward",
        rewardId=reward.reward_id,
        occasion=reward.occasion,
        points=reward.points,
        claimBy=clock.iso(reward.claim_by),
    )


@dataclass(frozen=True)
class Issued:
    issued: int = 0
    skipped: int = 0  # celebrants whose reward of the year was issued already

    def __add__(self, other: Issued) -> Issued:
        return Issued(self.issued + other.issued, self.skipped + other.skipped)


def _issue_celebrants(day: date, celebrants: Iterable[Celebrant]) -> Issued:
    """Reward the celebrants of `day` (a date of their own calendar): one reward per customer,
    occasion and year, each announced by one notification, queued (the outbox) in the transaction
    that writes the reward. A celebrant rewarded already is skipped: nothing new, nothing queued."""
    now = clock.now()
    issued = skipped = 0
    for celebrant in celebrants:
        points = worth.points(celebrant, day)
        if points == 0:
            continue
        reward = Reward(
            customer_id=celebrant.customer_id,
            reward_id=reward_id_of(day.year, celebrant.occasion),
            occasion=celebrant.occasion,
            year=day.year,
            points=points,
            issued_on=day,
            issued_at=now,
            claim_by=now + CLAIM_WINDOW,
            claimed=False,
        )
        try:
            db.retry(partial(_issue, reward=reward))
        except AlreadyIssued:
            skipped += 1
            continue
        issued += 1
    return Issued(issued, skipped)


def issue(day: date) -> RewardIssuanceOutput:
    """`POST /rewards/issuance`: reward the celebrants of `day` in every time zone (29 February's on
    28 February of common years), shard by shard of the index, by the loop the hourly units run. A
    second run for a day issues nothing new and queues nothing."""
    done = Issued()
    for month_day in occasions.month_days_celebrated_on(day):
        for shard in range(CELEBRANT_SHARDS):
            done += _issue_celebrants(day, repository.celebrants(month_day, shard))
    return RewardIssuanceOutput(day=day, issued=done.issued, skipped=done.skipped)


@cache
def _zones() -> tuple[tuple[str, ZoneInfo], ...]:
    """Every zone a profile may have, loaded once (`ZoneInfo` keeps only a few strongly)."""
    return tuple((zone, ZoneInfo(zone)) for zone in sorted(timezones()))


def days_begun(start: datetime, end: datetime) -> Iterator[tuple[str, date]]:
    """The (zone, local date) of every day that began in (`start`, `end`] in some time zone a profile
    may have: the dates after the zone's date at `start`, up to its date at `end` (normally none or
    one; two where a zone skipped a date, like Samoa at the end of 2011)."""
    for zone, tz in _zones():
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        day = first + timedelta(days=1)
        while day <= last:
            yield zone, day
            day += timedelta(days=1)


def issue_unit(unit: jobs.Unit) -> Issued:
    """One unit of the hourly issuance (an hour and an index shard): for every zone whose local day
    began in the hour, the celebrants of that day in the zone and shard (one key-exact query per
    zone and month-day celebrated). Delivered twice, it issues nothing more."""
    done = Issued()
    for zone, day in days_begun(unit.start, unit.start + ISSUANCE.period):
        for month_day in occasions.month_days_celebrated_on(day):
            done += _issue_celebrants(day, repository.celebrants(month_day, unit.shard, zone))
    return done
