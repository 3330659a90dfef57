"""Daily schedule: re-assign the customers whose RFM scores time alone changes today."""

from typing import Any

from customer_id import clock, entry
from customer_id.segments import service


def refresh(event: dict[str, Any]) -> dict[str, int | str]:
    day = clock.now().date()
    return {"day": day.isoformat(), "refreshed": service.refresh(day)}


lambda_handler = entry.schedule(refresh, "segments refreshed")
