"""Calendar boundaries, on the frozen clock: month end, year end, 29 February and local midnight for
customers ahead of UTC (Asia/Riyadh, Pacific/Kiritimati) and behind it (America/Los_Angeles).

Where the calendar matters: analytics buckets and windows, the segment's recency, points expiry,
special-date rewards (anniversary, upcoming, claim window) and offer validity. Engagement has no
calendar (lifetime counters), so it has no case here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from customer_id import clock
from tests.clock import BOUNDARIES, FrozenClock, at_instants
from tests.harness import Reply, claims, handler, invoke, sample_event, template
from tests.integration.helpers import ADMIN, account, create_profile, ledger, purchase, read

RIYADH = "Asia/Riyadh"  # UTC+3
KIRITIMATI = "Pacific/Kiritimati"  # UTC+14
LOS_ANGELES = "America/Los_Angeles"  # UTC-8, UTC-7 in summer
AHEAD, BEHIND = "customer-ahead", "customer-behind"
MS = timedelta(milliseconds=1)


def _local_midnight(instant: datetime, zone: str, days_back: int = 0) -> datetime:
    """The start of the local day `days_back` before `instant`'s local day, in UTC."""
    local = instant.astimezone(ZoneInfo(zone)).date() - timedelta(days=days_back)
    return datetime(local.year, local.month, local.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _buy(customer_id: str, order_id: str, amount: str, at: datetime) -> None:
    reply = purchase(customer_id, order_id, amount, occurredAt=clock.iso(at))
    assert reply.status == 201, reply.body


# ---- analytics -------------------------------------------------------------------------------


@pytest.mark.parametrize("instant", at_instants("month-end", "year-end", "common-feb-28"))
def test_spending_months_part_at_the_customers_midnight(instant: datetime) -> None:
    """Riyadh is already in the next month; Los Angeles, like UTC, is not."""
    starts = _local_midnight(instant, RIYADH)  # 00:00 on the 1st in Riyadh, 21:00 UTC the day before
    assert instant.astimezone(ZoneInfo(RIYADH)).day == 1
    assert starts.day != 1
    for customer_id, zone in ((AHEAD, RIYADH), (BEHIND, LOS_ANGELES)):
        create_profile(customer_id, timezone=zone)
        _buy(customer_id, "LAST-MS", "20", starts - MS)
        _buy(customer_id, "FIRST-MS", "10", starts)
    this_month = f"{instant.astimezone(ZoneInfo(RIYADH)):%Y-%m}"
    utc_month = f"{instant:%Y-%m}"
    ahead = read("GetSpendingFunction", AHEAD, months="2")["months"]
    assert [(month["month"], month["amount"]["amount"], month["count"]) for month in ahead] == [
        (utc_month, "20.00", 1),
        (this_month, "10.00", 1),
    ]
    behind = read("GetSpendingFunction", BEHIND, months="2")["months"]
    assert [(month["month"], month["amount"]["amount"], month["count"]) for month in behind][-1] == (
        utc_month,
        "30.00",
        2,
    )
    assert this_month not in [month["month"] for month in behind]


@pytest.mark.parametrize("instant", at_instants(default=True))
@pytest.mark.parametrize("zone", [RIYADH, LOS_ANGELES, KIRITIMATI])
def test_spend30d_and_spend12m_are_calendar_days_in_the_customers_timezone(
    instant: datetime, zone: str
) -> None:
    """30 days: today and the 29 before; 12 months: from the day after today a year ago (29 February
    a year ago is 28 February)."""
    create_profile(AHEAD, timezone=zone)
    thirty = _local_midnight(instant, zone, days_back=29)
    today = instant.astimezone(ZoneInfo(zone)).date()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:
        year_ago = today.replace(year=today.year - 1, day=28)
    twelve = _local_midnight(instant, zone, days_back=(today - year_ago).days - 1)
    _buy(AHEAD, "IN-30", "1.00", thirty)
    _buy(AHEAD, "OUT-30", "2.00", thirty - MS)
    _buy(AHEAD, "IN-12", "4.00", twelve)
    _buy(AHEAD, "OUT-12", "8.00", twelve - MS)
    summary = read("GetAnalyticsSummaryFunction", AHEAD)
    assert (summary["spend30d"]["amount"], summary["spend12m"]["amount"]) == ("1.00", "7.00")
    assert summary["lifetimeSpend"]["amount"] == "15.00"


@pytest.mark.parametrize("instant", at_instants("month-end", "year-end", "common-feb-28"))
def test_days_since_the_last_purchase_are_the_customers_calendar_days(instant: datetime) -> None:
    """A purchase half an hour before Riyadh's midnight: yesterday in Riyadh, today in Los Angeles."""
    before_midnight = _local_midnight(instant, RIYADH) - timedelta(minutes=30)
    for customer_id, zone in ((AHEAD, RIYADH), (BEHIND, LOS_ANGELES)):
        create_profile(customer_id, timezone=zone)
        _buy(customer_id, "O-1", "100", before_midnight)
    assert read("GetSegmentFunction", AHEAD)["metrics"]["daysSinceLastPurchase"] == 1
    assert read("GetSegmentFunction", BEHIND)["metrics"]["daysSinceLastPurchase"] == 0


# ---- points expiry ---------------------------------------------------------------------------

EXPIRES = {  # twelve months after the instant they were earned (29 February runs to 28 February)
    "month-end": "2027-11-30T22:00:00.000Z",
    "year-end": "2027-12-31T22:30:00.000Z",
    "common-feb-28": "2028-02-28T21:30:00.000Z",  # not 29 February, though 2028 has one
    "leap-day": "2029-02-28T12:00:00.000Z",
}


def _expiry_run(consume: Callable[[str], int]) -> list[str]:
    """The expiry job as deployed: its schedule plans the ended days, its worker does their units.
    The days planned."""
    function = template().function("PointsExpiryScheduleFunction")
    planned: list[str] = handler("PointsExpiryScheduleFunction")(sample_event(function), None)["planned"]
    consume("PointsExpiryWorkerFunction")
    return [day[:10] for day in planned]


@pytest.mark.parametrize("instant", at_instants(*EXPIRES))
def test_points_expire_twelve_months_after_the_instant_they_were_earned(
    instant: datetime,
    frozen_clock: FrozenClock,
    request: pytest.FixtureRequest,
    consume: Callable[[str], int],
) -> None:
    expires = datetime.fromisoformat(EXPIRES[request.node.callspec.id])
    create_profile(AHEAD, timezone=KIRITIMATI)  # a local date a day ahead: expiry goes by the instant
    _buy(AHEAD, "O-1", "100", instant)
    frozen_clock.move_to(expires - timedelta(days=30))
    assert account(AHEAD)["expiringPoints"] == [
        {"points": 100, "expiresAt": EXPIRES[request.node.callspec.id]}
    ]
    frozen_clock.move_to(expires - MS)
    assert account(AHEAD)["pointsBalance"] == 100
    assert _expiry_run(consume) == [f"{expires.date() - timedelta(days=1)}"]  # the day before its own
    frozen_clock.move_to(expires)
    assert account(AHEAD)["pointsBalance"] == 0  # due, not yet written off
    assert [entry["type"] for entry in ledger(AHEAD)] == ["earn"]
    frozen_clock.move_to(datetime.combine(expires.date() + timedelta(days=1), datetime.min.time(), UTC))
    assert _expiry_run(consume) == [f"{expires.date()}"]  # the expiry's UTC date, once it is over
    assert [(entry["type"], entry["points"]) for entry in ledger(AHEAD)] == [("expire", -100), ("earn", 100)]


# ---- special-date rewards --------------------------------------------------------------------

UPCOMING = [  # (instant, birthday, {zone: [(date, daysUntil)]})
    ("month-end", (12, 1), {RIYADH: [("2026-12-01", 0)], LOS_ANGELES: [("2026-12-01", 1)]}),
    ("year-end", (1, 1), {RIYADH: [("2027-01-01", 0)], LOS_ANGELES: [("2027-01-01", 1)]}),
    # 29 February in a common year is celebrated on 28 February: yesterday in Riyadh, today in LA
    ("common-feb-28", (2, 29), {RIYADH: [], LOS_ANGELES: [("2027-02-28", 0)]}),
    ("leap-day", (2, 29), {KIRITIMATI: [], LOS_ANGELES: [("2028-02-29", 0)]}),
]


@pytest.mark.parametrize(
    ("instant", "birthday", "expected"),
    [
        pytest.param(BOUNDARIES[name], birthday, expected, marks=pytest.mark.clock(BOUNDARIES[name]), id=name)
        for name, birthday, expected in UPCOMING
    ],
)
def test_upcoming_birthdays_and_anniversaries_follow_the_customers_date(
    instant: datetime, birthday: tuple[int, int], expected: dict[str, list[tuple[str, int]]]
) -> None:
    for zone, occasions in expected.items():
        customer_id = f"customer-{zone.split('/')[1].lower()}"
        create_profile(customer_id, timezone=zone)  # joined now: the anniversary is the local date
        month, day = birthday
        reply = invoke(
            "PutSpecialDatesFunction",
            path={"customerId": customer_id},
            caller=claims(customer_id),
            body={"birthday": {"month": month, "day": day}},
        )
        assert reply.status == 200, reply.body
        joined = instant.astimezone(ZoneInfo(zone)).date()
        assert reply.body["anniversary"] == {"month": joined.month, "day": joined.day, "since": f"{joined}"}
        upcoming = read("ListUpcomingRewardsFunction", customer_id)["items"]
        assert [
            (item["occasion"], item["date"], item["daysUntil"], item["expectedPoints"]) for item in upcoming
        ] == [("birthday", on, days, 100) for on, days in occasions], zone


def _claim(customer_id: str, reward_id: str) -> Reply:
    return invoke(
        "ClaimRewardFunction",
        path={"customerId": customer_id, "rewardId": reward_id},
        caller=claims(customer_id),
    )


@pytest.mark.clock(BOUNDARIES["month-end"])
def test_a_reward_issued_at_month_end_is_claimable_until_its_claim_by_instant(
    frozen_clock: FrozenClock,
) -> None:
    issued_at = frozen_clock.now()
    for customer_id in (AHEAD, BEHIND):
        create_profile(customer_id)
        invoke(
            "PutSpecialDatesFunction",
            path={"customerId": customer_id},
            caller=claims(customer_id),
            body={"birthday": {"month": 11, "day": 30}},
        )
    reply = invoke("IssueRewardsFunction", caller=ADMIN, body={"date": f"{issued_at:%Y-%m-%d}"})
    assert (reply.status, reply.body["issued"]) == (200, 2)
    [reward] = read("ListRewardsFunction", AHEAD)["items"]
    claim_by = issued_at + timedelta(days=30)  # 2026-12-30T22:00Z: 31 December in Riyadh
    assert (reward["issuedAt"], reward["claimBy"]) == (clock.iso(issued_at), clock.iso(claim_by))
    frozen_clock.move_to(claim_by)
    assert _claim(AHEAD, reward["rewardId"]).status == 201  # the last instant of the window
    frozen_clock.move_to(claim_by + MS)
    late = _claim(BEHIND, reward["rewardId"])
    assert (late.status, late.body["type"]) == (409, "/problems/reward-expired")
    assert [item["status"] for item in read("ListRewardsFunction", BEHIND)["items"]] == ["expired"]


# ---- offers ----------------------------------------------------------------------------------


def _offer_ids() -> list[str]:
    return [item["offerId"] for item in read("ListOffersFunction", AHEAD)["items"]]


def _eligibility(offer_id: str) -> dict[str, Any]:
    reply = invoke("GetOfferFunction", path={"customerId": AHEAD, "offerId": offer_id}, caller=claims(AHEAD))
    assert reply.status == 200, reply.body
    eligibility: dict[str, Any] = reply.body["eligibility"]
    return eligibility


@pytest.mark.clock(BOUNDARIES["month-end"] - timedelta(hours=12))
def test_an_offer_for_november_in_riyadh_ends_at_riyadhs_midnight(frozen_clock: FrozenClock) -> None:
    create_profile(AHEAD, timezone=RIYADH)
    body = {
        "title": {"en": "November deal", "ar": "عرض نوفمبر"},
        "description": {"en": "November only", "ar": "نوفمبر فقط"},
        "discountType": "percent",
        "discountValue": "10",
        "validFrom": "2026-11-01T00:00:00+03:00",
        "validUntil": "2026-12-01T00:00:00+03:00",
    }
    created = invoke("CreateOfferFunction", caller=ADMIN, body=body)
    assert created.status == 201, created.body
    november = created.body["offerId"]
    assert created.body["validUntil"] == "2026-11-30T21:00:00.000Z"
    frozen_clock.move_to(datetime(2026, 11, 30, 20, 59, 59, 999000, tzinfo=UTC))
    assert november in _offer_ids()
    assert _eligibility(november) == {"eligible": True, "reason": None}
    frozen_clock.move_to(datetime(2026, 11, 30, 21, 0, tzinfo=UTC))  # 1 December in Riyadh, not in UTC
    assert november not in _offer_ids()
    assert _eligibility(november) == {
        "eligible": False,
        "reason": "This offer ended at 2026-11-30T21:00:00.000Z.",
    }
    applied = invoke(
        "ApplyOfferFunction",
        path={"customerId": AHEAD, "offerId": november},
        caller=claims(AHEAD),
        body={"orderId": "ORD-1", "orderAmount": {"amount": "100", "currency": "SAR"}},
    )
    assert (applied.status, applied.body["type"]) == (409, "/problems/offer-expired")


def test_the_default_instant_is_far_from_every_boundary(frozen_clock: FrozenClock) -> None:
    """Tests that do not pick an instant run where no customer's date differs between a few hours
    earlier and later: the default must stay away from month ends and local midnights."""
    for zone in (RIYADH, LOS_ANGELES, KIRITIMATI, "UTC"):
        dates = {
            (frozen_clock.now() + timedelta(hours=hours)).astimezone(ZoneInfo(zone)).date()
            for hours in (-1, 1)
        }
        assert len(dates) == 1, zone
    assert frozen_clock.now().day not in (1, 28, 29, 30, 31)
    assert date.today() == frozen_clock.now().date()  # the clock is frozen for date.today() too
