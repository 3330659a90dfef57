"""GET /customers/{customerId}/security/alerts."""

from __future__ import annotations

from customer_id.schemas import ApiModel
from customer_id.security.schemas.alerts import AlertOutput
from customer_id.security.schemas.alerts import AlertStatus as AlertStatus  # the listing's filter


class AlertPage(ApiModel):
    items: list[AlertOutput]
    next_cursor: str | None
