"""POST /customers/{customerId}/security/alerts/{alertId}/resolution."""

from __future__ import annotations

from typing import Literal

from customer_id.schemas import ApiModel


class ResolutionInput(ApiModel):
    resolution: Literal["legitimate", "fraud"]
