"""Daily schedule: write off the point lots that have expired (12 months after they were earned),
and announce the points expiring in the coming week ("points expiring", once per expiry date)."""

from typing import Any

from customer_id import clock, entry
from customer_id.loyalty import service


def expire_points(event: dict[str, Any]) -> dict[str, int | str]:
    day = clock.now().date()
    run = service.expire_points(day)
    return {"day": day.isoformat(), "customers": run.customers, "points": run.points, "noticed": run.noticed}


lambda_handler = entry.schedule(expire_points, "points expired")
