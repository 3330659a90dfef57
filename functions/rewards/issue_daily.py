"""Daily schedule: issue the birthday and anniversary rewards of today (the UTC date)."""

from typing import Any

from customer_id import clock, entry
from customer_id.rewards import service


def issue_daily(event: dict[str, Any]) -> dict[str, Any]:
    return service.issue(clock.now().date()).model_dump(mode="json", by_alias=True)


lambda_handler = entry.schedule(issue_daily, "special-date rewards issued")
