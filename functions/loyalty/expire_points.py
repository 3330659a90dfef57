"""Daily schedule: write off the point lots that have expired (12 months after they were earned)."""

from typing import Any

from customer_id import clock
from customer_id.loyalty import service
from customer_id.observability import logger


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int | str]:
    day = clock.now().date()
    run = service.expire_points(day)
    result: dict[str, int | str] = {"day": day.isoformat(), "customers": run.customers, "points": run.points}
    logger().info("points expired", extra=result)
    return result
