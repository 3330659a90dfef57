"""Which lots a redemption's owed points will come off (`ledger._owed_lots`): the debt is taken off
the oldest lots first, the debt owed before the redemption ahead of its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from customer_id.loyalty import ledger
from customer_id.loyalty.models import Lot, SpentLot

EARNED = datetime(2026, 1, 1, tzinfo=UTC)


def _lots(*remaining: int) -> list[Lot]:
    return [
        Lot(
            f"LOT#{index}", points, EARNED + timedelta(hours=index), EARNED + timedelta(days=365), f"t{index}"
        )
        for index, points in enumerate(remaining)
    ]


def _taken(found: list[SpentLot] | None) -> list[tuple[str, int]] | None:
    return None if found is None else [(lot.key, lot.points) for lot in found]


def test_the_owed_points_come_after_the_debt_owed_before_them() -> None:
    # 7 points of earlier debt take lot 0 and 2 of lot 1; the redemption's 6 owed points follow
    assert _taken(ledger._owed_lots(iter(_lots(5, 5, 5, 5)), 7, 6, room=10)) == [("LOT#1", 3), ("LOT#2", 3)]


def test_without_earlier_debt_they_come_off_the_first_lots() -> None:
    found = ledger._owed_lots(iter(_lots(4, 4, 4)), 0, 10, room=10)
    assert _taken(found) == [("LOT#0", 4), ("LOT#1", 4), ("LOT#2", 2)]
    assert found is not None
    assert found[0].expires_at == EARNED + timedelta(days=365)  # the lot as earned: its expiry kept


def test_more_lots_than_a_cancellation_restores_is_none() -> None:
    assert ledger._owed_lots(iter(_lots(1, 1, 1, 1)), 0, 4, room=3) is None
    assert ledger._owed_lots(iter(_lots(1, 1, 1, 1)), 0, 3, room=3) is not None
    # the earlier debt alone spans too many lots to read ahead
    assert ledger._owed_lots(iter(_lots(*[1] * 10, 5)), 10, 5, room=3) is None
