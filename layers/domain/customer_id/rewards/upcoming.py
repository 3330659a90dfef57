"""`GET /customers/{id}/rewards/upcoming`: the occasions of the coming 60 days."""

from __future__ import annotations

from customer_id import clock
from customer_id.profile.service import local_date, require_profile
from customer_id.rewards import celebrants, occasions, repository, worth
from customer_id.rewards.schemas.upcoming import UpcomingOccasionList, UpcomingOccasionOutput

UPCOMING_DAYS = 60


def upcoming(customer_id: str) -> UpcomingOccasionList:
    """The occasions of today and the next 60 days, in the customer's timezone, with the points
    they would bring: a birthday at today's tier, an anniversary once a full year is complete."""
    profile = require_profile(customer_id)
    today = local_date(profile, clock.now())
    items = []
    for celebrant in (repository.birthday(customer_id), celebrants.anniversary(profile)):
        if celebrant is None:
            continue
        on = occasions.next_celebration(celebrant.month, celebrant.day, today)
        if (on - today).days > UPCOMING_DAYS:
            continue
        points = worth.points(celebrant, on)
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
