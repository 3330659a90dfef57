"""The unit of work (`customer_id.db`), on moto's DynamoDB with the template's tables: all writes or
none, each failed condition answered with the error its write names (the first failed one in the
order the writes were added), contention and throttling as `db.Contended`, and `db.retry`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from customer_id import db
from customer_id.errors import Busy, Conflict, NotFound
from customer_id.loyalty.models import CatalogItemRecord
from customer_id.profile.models import PROFILE_SK, ProfileRecord
from tests.contention import contention

AT = datetime(2026, 3, 1, tzinfo=UTC)


class Moved(Exception):
    """A feature's own "what I read has moved" signal."""


def _profile(customer_id: str) -> ProfileRecord:
    return ProfileRecord(
        pk=db.customer_key(customer_id),
        sk=PROFILE_SK,
        customer_id=customer_id,
        display_name="Layla",
        email="layla@example.com",
        language="ar",
        timezone="Asia/Riyadh",
        joined_at=AT,
        updated_at=AT,
    )


def _item(item_id: str, cost: int = 100) -> CatalogItemRecord:
    return CatalogItemRecord(
        pk="CATALOG",
        sk=f"ITEM#{item_id}",
        item_id=item_id,
        name={"en": item_id},
        points_cost=cost,
        min_tier="bronze",
    )


def _exists(record: type[ProfileRecord] | type[CatalogItemRecord], pk: str, sk: str) -> bool:
    try:
        record.get(pk, sk, consistent_read=True)
    except record.DoesNotExist:
        return False
    return True


def test_writes_across_tables_commit_together() -> None:
    work = db.UnitOfWork()
    work.put(_profile("uow-1"), ProfileRecord.pk.does_not_exist())
    work.put(_item("uow-gift"), CatalogItemRecord.sk.does_not_exist())
    assert len(work) == 2

    work.commit()

    assert _exists(ProfileRecord, db.customer_key("uow-1"), PROFILE_SK)
    assert _exists(CatalogItemRecord, "CATALOG", "ITEM#uow-gift")


def test_a_failed_condition_writes_nothing_and_answers_with_the_named_error() -> None:
    _item("uow-taken").save()
    work = db.UnitOfWork()
    work.put(_profile("uow-2"), ProfileRecord.pk.does_not_exist())
    work.put(
        _item("uow-taken"),
        CatalogItemRecord.sk.does_not_exist(),
        fails_with=Conflict("item_exists", itemId="uow-taken"),
    )

    with pytest.raises(Conflict) as raised:
        work.commit()

    assert raised.value.code == "item_exists"
    assert raised.value.params == {"itemId": "uow-taken"}
    assert not _exists(ProfileRecord, db.customer_key("uow-2"), PROFILE_SK)


def test_the_first_failed_write_in_the_order_added_names_the_error() -> None:
    # DynamoDB receives puts before updates; the error still follows the order the writes were added.
    _item("uow-a").save()
    _item("uow-b").save()
    work = db.UnitOfWork()
    work.update(
        _item("uow-a"),
        [CatalogItemRecord.points_cost.set(1)],
        CatalogItemRecord.points_cost == 999,
        fails_with=NotFound("first"),
    )
    work.put(_item("uow-b"), CatalogItemRecord.sk.does_not_exist(), fails_with=Conflict("second"))

    with pytest.raises(NotFound) as raised:
        work.commit()

    assert raised.value.code == "first"


def test_a_check_names_its_error_and_a_write_without_a_name_is_a_bug() -> None:
    work = db.UnitOfWork()
    work.check(
        CatalogItemRecord, "CATALOG", "ITEM#uow-none", CatalogItemRecord.sk.exists(), fails_with=Moved()
    )
    work.put(_profile("uow-3"))
    with pytest.raises(Moved):
        work.commit()

    unnamed = db.UnitOfWork()
    unnamed.check(CatalogItemRecord, "CATALOG", "ITEM#uow-none", CatalogItemRecord.sk.exists())
    with pytest.raises(db.ConditionFailed):
        unnamed.commit()
    assert not _exists(ProfileRecord, db.customer_key("uow-3"), PROFILE_SK)


@pytest.mark.parametrize("reason", ["TransactionConflict", "ThrottlingError", "ThrottlingException"])
def test_contention_and_throttling_are_contended_and_write_nothing(
    monkeypatch: pytest.MonkeyPatch, reason: str
) -> None:
    work = db.UnitOfWork()
    work.put(_profile("uow-4"), fails_with=Conflict("never"))
    with contention(monkeypatch, reason, every=1) as injected, pytest.raises(db.Contended):
        work.commit()

    assert injected.answered == 1
    assert not _exists(ProfileRecord, db.customer_key("uow-4"), PROFILE_SK)


def test_retry_decides_again_after_contention_and_after_a_named_signal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db.time, "sleep", lambda _: None)
    attempts: list[int] = []

    def attempt(work: db.UnitOfWork) -> int:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 2:  # the second attempt finds what it read moved
            work.check(
                CatalogItemRecord,
                "CATALOG",
                "ITEM#uow-none",
                CatalogItemRecord.sk.exists(),
                fails_with=Moved(),
            )
        work.put(_item(f"uow-retry-{len(attempts)}"))
        return len(attempts)

    with contention(monkeypatch, "TransactionConflict", every=1) as injected:
        injected.every = 10**9  # strike the first request only
        injected.seen = 10**9 - 1
        result = db.retry(attempt, retry_on=(Moved,), attempts=5)

    assert result == 3
    assert attempts == [1, 2, 3]
    assert [_exists(CatalogItemRecord, "CATALOG", f"ITEM#uow-retry-{n}") for n in (1, 2, 3)] == [
        False,
        False,
        True,
    ]


def test_retry_ends_in_busy_when_contention_lasts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db.time, "sleep", lambda _: None)
    with (
        contention(monkeypatch, "TransactionConflict", every=1) as injected,
        pytest.raises(Busy) as raised,
    ):
        db.retry(lambda work: work.put(_item("uow-busy")), attempts=4)

    assert raised.value.code == "busy"
    assert injected.answered == 4
    assert not _exists(CatalogItemRecord, "CATALOG", "ITEM#uow-busy")


def test_an_empty_unit_commits_nothing_and_an_oversized_one_is_refused() -> None:
    db.UnitOfWork().commit()  # no request at all
    work = db.UnitOfWork()
    for number in range(db.MAX_TRANSACTION_ITEMS + 1):
        work.put(_item(f"uow-many-{number}"))
    with pytest.raises(ValueError, match="do not fit"):
        work.commit()
    assert not _exists(CatalogItemRecord, "CATALOG", "ITEM#uow-many-0")
