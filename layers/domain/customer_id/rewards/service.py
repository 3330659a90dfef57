"""Special-date rules: the birthday (set once by the customer, corrected by staff) and the joining
anniversary, both celebrated by the customer's own calendar (the profile's time zone); the
issuance of the rewards; claims, which credit the points through the loyalty ledger exactly once;
and the occasions of the coming 60 days.

The issuance is an hourly job (`ISSUANCE`, see `customer_id.jobs`): each hour that has ended is
planned once (missed hours caught up), as one unit per celebration-index shard; a unit rewards,
for every time zone whose local day began in its hour, the celebrants of that zone and day, found
through the index key of the day's month-day and the shard and the prefix of the zone
(`issue_unit`). So a customer is rewarded in the hour their own day begins, never the evening
before, and the cost follows the number of celebrants (plus one key-exact query per zone whose day
began and shard, mostly empty), not the number of customers. `POST /rewards/issuance` (`issue`)
rewards a date's celebrants in every zone at once, by the same loop; both are idempotent (one
reward per customer, occasion and year, its key the guard).

A feature: it imports the kernel and the base features (profile, loyalty, analytics), no other."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import replace as replaced
from datetime import date, datetime, timedelta
from functools import cache, partial
from zoneinfo import ZoneInfo

from customer_id import clock, db, jobs, operations, queues
from customer_id.analytics import engagement
from customer_id.errors import Conflict, NotFound
from customer_id.loyalty import ledger as loyalty
from customer_id.loyalty import tiers
from customer_id.loyalty.models import Source
from customer_id.loyalty.repository import StaleAccount
from customer_id.profile.models import Profile
from customer_id.profile.service import local_date, require_profile, timezones
from customer_id.rewards import occasions, repository
from customer_id.rewards.models import CELEBRANT_SHARDS, Celebrant, Reward, RewardStatus, reward_id_of
from customer_id.rewards.repository import AlreadyIssued, BirthdayAlreadySet
from customer_id.rewards.schemas import (
    RewardClaimOutput,
    RewardIssuanceOutput,
    RewardList,
    RewardOutput,
    SpecialDateAnniversary,
    SpecialDateBirthday,
    SpecialDatesInput,
    SpecialDatesOutput,
    UpcomingOccasionList,
    UpcomingOccasionOutput,
)

CLAIM_WINDOW = timedelta(days=30)
UPCOMING_DAYS = 60
_REWARD_ID = re.compile(r"[0-9]{4}-(birthday|anniversary)")
ISSUANCE = jobs.Job("rewards-issuance", "rewards-issuance", jobs.HOUR, CELEBRANT_SHARDS)


# ---- special dates ---------------------------------------------------------------------------


def _anniversary(profile: Profile) -> Celebrant:
    """The joining anniversary: the day of `joinedAt` in the customer's timezone."""
    since = local_date(profile, profile.joined_at)
    return Celebrant(
        profile.customer_id, "anniversary", since.month, since.day, profile.timezone, since=since
    )


def open_in(work: db.UnitOfWork, profile: Profile) -> None:
    """A new customer (the onboarding workflow): their anniversary goes into the index with the profile."""
    repository.index_anniversary(work, _anniversary(profile), profile.joined_at)


def move_in(work: db.UnitOfWork, profile: Profile, at: datetime) -> None:
    """The profile's time zone changes (the onboarding workflow, in the profile's unit of work): the
    occasions move to the new zone, the anniversary to its day there (joinedAt's local date)."""
    repository.index_anniversary(work, _anniversary(profile), at)
    birthday = repository.birthday(profile.customer_id)
    if birthday is not None:
        repository.move_birthday(work, replaced(birthday, zone=profile.timezone), at)


def _special_dates(birthday: Celebrant | None, anniversary: Celebrant) -> SpecialDatesOutput:
    assert anniversary.since is not None
    return SpecialDatesOutput(
        birthday=(
            SpecialDateBirthday(month=birthday.month, day=birthday.day, year=birthday.year)
            if birthday
            else None
        ),
        anniversary=SpecialDateAnniversary(
            month=anniversary.month, day=anniversary.day, since=anniversary.since
        ),
    )


def get_special_dates(customer_id: str) -> SpecialDatesOutput:
    profile = require_profile(customer_id)
    return _special_dates(repository.birthday(customer_id), _anniversary(profile))


def put_special_dates(customer_id: str, data: SpecialDatesInput, by_staff: bool) -> SpecialDatesOutput:
    """A customer sets their birthday once (repeating the same one changes nothing); staff may
    correct it at any time."""
    profile = require_profile(customer_id)
    given = data.birthday
    birthday = Celebrant(customer_id, "birthday", given.month, given.day, profile.timezone, year=given.year)
    anniversary = _anniversary(profile)
    now = clock.now()
    try:
        db.retry(
            lambda work: repository.save_special_dates(
                work, birthday, anniversary, now, only_if_new=not by_staff
            )
        )
    except BirthdayAlreadySet:
        kept = repository.birthday(customer_id)
        if kept is None or (kept.month, kept.day, kept.year) != (birthday.month, birthday.day, birthday.year):
            raise Conflict("birthday_already_set") from None
    return _special_dates(birthday, anniversary)


# ---- issuance --------------------------------------------------------------------------------


def _points(celebrant: Celebrant, day: date) -> int:
    """What the occasion is worth on `day`: birthday points by the tier at issuance; for an
    anniversary 200 per full year of membership, up to 1 000, nothing before a full year."""
    if celebrant.occasion == "birthday":
        return tiers.tier(loyalty.require_account(celebrant.customer_id).tier_id).birthday_points
    assert celebrant.since is not None
    return occasions.anniversary_points(occasions.full_years(celebrant.since, day))


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
        points = _points(celebrant, day)
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


# ---- rewards ---------------------------------------------------------------------------------


def _reward_output(reward: Reward, now: datetime) -> RewardOutput:
    return RewardOutput(
        reward_id=reward.reward_id,
        occasion=reward.occasion,
        year=reward.year,
        points=reward.points,
        issued_at=reward.issued_at,
        claim_by=reward.claim_by,
        status=reward.status(now),
    )


def list_rewards(customer_id: str, status: RewardStatus | None) -> RewardList:
    """Newest first, optionally of one status."""
    rewards = repository.rewards(customer_id)
    if not rewards:
        require_profile(customer_id)
    now = clock.now()
    rewards.sort(key=lambda reward: (reward.issued_at, reward.reward_id), reverse=True)
    return RewardList(
        items=[
            _reward_output(reward, now)
            for reward in rewards
            if status is None or reward.status(now) == status
        ]
    )


def _ensure_claimable(reward: Reward, now: datetime) -> None:
    status = reward.status(now)
    if status == "claimed":
        raise Conflict("reward_already_claimed", rewardId=reward.reward_id)
    if status == "expired":
        raise Conflict("reward_expired", rewardId=reward.reward_id, claimBy=clock.iso(reward.claim_by))


def claim(customer_id: str, reward_id: str) -> RewardClaimOutput:
    """Credit the reward's points as a `bonus`, in the same unit of work that marks it claimed: the
    reward's condition (still available, still in time) lets exactly one claim through. A claim
    that raises the tier announces it in that unit of work (`loyalty.stage`). With
    `Idempotency-Key` the entry's id derives from the operation, and a re-execution answers with
    the first claim (not 409 already claimed)."""
    reward = repository.reward(customer_id, reward_id) if _REWARD_ID.fullmatch(reward_id) else None
    if reward is None:
        require_profile(customer_id)
        raise NotFound("reward_not_found", rewardId=reward_id)
    replayed = operations.replay(RewardClaimOutput)
    if replayed is not None:
        return replayed
    now = clock.now()  # one moment: claimable now is what the reward's condition checks at commit
    _ensure_claimable(reward, now)
    transaction_id = operations.derive("transaction")

    def attempt(work: db.UnitOfWork) -> RewardClaimOutput:
        change = loyalty.plan_bonus(
            loyalty.require_account(customer_id),
            reward.points,
            f"{reward.occasion} reward {reward.year}",
            Source("reward", reward.reward_id),
            now,
            transaction_id,
        )
        entry = change.entries[-1]
        # the reward's write first: a claim committed meanwhile is answered 409 before the account's
        # having moved (which that claim did too) would make this one decide again
        repository.claim(work, reward, entry)
        loyalty.stage(work, change)
        engagement.count_engagement(work, customer_id, "rewards_claimed")
        return RewardClaimOutput(
            reward_id=reward.reward_id,
            status="claimed",
            points_awarded=entry.points,
            transaction_id=entry.transaction_id,
        )

    try:
        return operations.retry(
            attempt, answer=RewardClaimOutput, retry_on=(StaleAccount,), attempts=loyalty.MAX_ATTEMPTS
        )
    except Conflict:
        # claimed meanwhile: by a concurrent execution of this very operation, which answers
        replayed = operations.replay(RewardClaimOutput)
        if replayed is None:
            raise
        return replayed


# ---- upcoming --------------------------------------------------------------------------------


def upcoming(customer_id: str) -> UpcomingOccasionList:
    """The occasions of today and the next 60 days, in the customer's timezone, with the points
    they would bring: a birthday at today's tier, an anniversary once a full year is complete."""
    profile = require_profile(customer_id)
    today = local_date(profile, clock.now())
    items = []
    for celebrant in (repository.birthday(customer_id), _anniversary(profile)):
        if celebrant is None:
            continue
        on = occasions.next_celebration(celebrant.month, celebrant.day, today)
        if (on - today).days > UPCOMING_DAYS:
            continue
        points = _points(celebrant, on)
        if points > 0:
            items.append(
                UpcomingOccasionOutput(
                    occasion=celebrant.occasion,
                    day=on,
                    days_until=(on - today).days,
                    expected_points=points,
                )
            )
    items.sort(key=lambda item: (item.day, item.occasion))
    return UpcomingOccasionList(items=items)
