"""Daily schedule: re-assign the customers whose RFM scores time alone changes today."""

from typing import Any

from customer_id import clock
from customer_id.observability import logger
from customer_id.segments import service


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int | str]:
    day = clock.now().date()
    refreshed = service.refresh(day)
    logger().info("segments refreshed", extra={"day": day.isoformat(), "refreshed": refreshed})
    return {"day": day.isoformat(), "refreshed": refreshed}
