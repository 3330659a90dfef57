"""Daily schedule: issue the birthday and anniversary rewards of today (the UTC date)."""

from typing import Any

from customer_id import clock
from customer_id.observability import logger
from customer_id.rewards import service


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = service.issue(clock.now().date()).model_dump(mode="json", by_alias=True)
    logger().info("special-date rewards issued", extra=result)
    return result
