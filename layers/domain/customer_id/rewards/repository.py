"""The rewards table: the only code that reads or writes celebrant and reward records. Writes that
join a change add themselves to the caller's `db.UnitOfWork`, each naming what its condition's
failure means."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist

from customer_id import db, shards
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.rewards.models import (
    Celebrant,
    CelebrantRecord,
    CelebrantsByCelebration,
    Reward,
    RewardRecord,
    celebrant_key,
    celebration_shard,
    celebration_zone,
    reward_key,
)


class BirthdayAlreadySet(Exception):
    """The customer has a birthday already (a customer sets it once)."""


class AlreadyIssued(Exception):
    """The customer has this occasion's reward of that year already."""


def _celebrant_record(celebrant: Celebrant, at: datetime) -> CelebrantRecord:
    return CelebrantRecord(
        pk=customer_key(celebrant.customer_id),
        sk=celebrant_key(celebrant.occasion),
        customer_id=celebrant.customer_id,
        occasion=celebrant.occasion,
        month=celebrant.month,
        day=celebrant.day,
        year=celebrant.year,
        since=celebrant.since.isoformat() if celebrant.since else None,
        zone=celebrant.zone,
        celebration_shard=celebration_shard(celebrant.customer_id, celebrant.month, celebrant.day),
        celebration_zone=celebration_zone(celebrant.zone, celebrant.customer_id),
        updated_at=at,
    )


def _celebrant(record: CelebrantRecord) -> Celebrant:
    return Celebrant(
        customer_id=record.customer_id,
        occasion=record.occasion,  # type: ignore[arg-type]
        month=int(record.month),
        day=int(record.day),
        zone=record.zone,
        year=int(record.year) if record.year is not None else None,
        since=date.fromisoformat(record.since) if record.since else None,
    )


def birthday(customer_id: str) -> Celebrant | None:
    try:
        record = CelebrantRecord.get(
            customer_key(customer_id), celebrant_key("birthday"), consistent_read=True
        )
    except DoesNotExist:
        return None
    return _celebrant(record)


def index_anniversary(work: db.UnitOfWork, anniversary: Celebrant, at: datetime) -> None:
    """Put the anniversary in the index (with a new profile, with the birthday, or in the
    customer's new time zone)."""
    work.put(_celebrant_record(anniversary, at))


def move_birthday(work: db.UnitOfWork, birthday: Celebrant, at: datetime) -> None:
    """Put the birthday back under its (new) zone: the profile's time zone changed."""
    work.put(_celebrant_record(birthday, at))


def save_special_dates(
    work: db.UnitOfWork, birthday: Celebrant, anniversary: Celebrant, at: datetime, only_if_new: bool
) -> None:
    """The birthday with the anniversary (which indexes customers who joined before the index
    existed); when `only_if_new`, fails with `BirthdayAlreadySet` if the customer has a birthday."""
    if only_if_new:
        work.put(
            _celebrant_record(birthday, at),
            CelebrantRecord.pk.does_not_exist(),
            fails_with=BirthdayAlreadySet(),
        )
    else:
        work.put(_celebrant_record(birthday, at))
    index_anniversary(work, anniversary, at)


def celebrants(month_day: str, shard: int, zone: str | None = None) -> Iterator[Celebrant]:
    """The occasions of one shard falling on `month_day` (`MM-DD`), in every zone or in `zone`
    only, through the index (one key, and a prefix of its sort key): one page per 1 MB of them."""
    condition = None if zone is None else CelebrantsByCelebration.celebration_zone.startswith(f"{zone}#")
    for record in CelebrantRecord.by_celebration.query(shards.sharded(month_day, shard), condition):
        yield _celebrant(record)


def _reward(record: RewardRecord) -> Reward:
    return Reward(
        customer_id=record.customer_id,
        reward_id=record.reward_id,
        occasion=record.occasion,  # type: ignore[arg-type]
        year=int(record.year),
        points=int(record.points),
        issued_on=date.fromisoformat(record.issued_on),
        issued_at=record.issued_at,
        claim_by=record.claim_by,
        claimed=record.status == "claimed",
    )


def add_reward(work: db.UnitOfWork, reward: Reward) -> None:
    """Add a new reward to `work` (with its notification, which the caller adds): the commit fails
    with `AlreadyIssued` when the customer has this occasion's reward of that year already."""
    record = RewardRecord(
        pk=customer_key(reward.customer_id),
        sk=reward_key(reward.reward_id),
        reward_id=reward.reward_id,
        customer_id=reward.customer_id,
        occasion=reward.occasion,
        year=reward.year,
        points=reward.points,
        issued_on=reward.issued_on.isoformat(),
        issued_at=reward.issued_at,
        claim_by=reward.claim_by,
        status="available",
    )
    work.put(record, RewardRecord.sk.does_not_exist(), fails_with=AlreadyIssued())


def reward(customer_id: str, reward_id: str) -> Reward | None:
    try:
        return _reward(
            RewardRecord.get(customer_key(customer_id), reward_key(reward_id), consistent_read=True)
        )
    except DoesNotExist:
        return None


def rewards(customer_id: str) -> list[Reward]:
    """All of a customer's rewards (two a year at most), oldest year first."""
    return [
        _reward(record)
        for record in RewardRecord.query(customer_key(customer_id), RewardRecord.sk.startswith("REWARD#"))
    ]


def claim(work: db.UnitOfWork, reward: Reward, transaction_id: str, at: datetime) -> None:
    """available -> claimed by the ledger entry `transaction_id` made `at`, once, and only while
    claimable then. The caller checked that the reward was claimable then, so the condition fails
    only on a claim committed meanwhile."""
    work.update(
        RewardRecord(pk=customer_key(reward.customer_id), sk=reward_key(reward.reward_id)),
        [
            RewardRecord.status.set("claimed"),
            RewardRecord.transaction_id.set(transaction_id),
            RewardRecord.claimed_at.set(at),
        ],
        (RewardRecord.status == "available") & (RewardRecord.claim_by >= at),
        fails_with=Conflict("reward_already_claimed", rewardId=reward.reward_id),
    )
