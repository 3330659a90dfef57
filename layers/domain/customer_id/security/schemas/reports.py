"""POST /customers/{customerId}/security/reports."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from customer_id.schemas import ApiModel
from customer_id.security.schemas import Identifier

ReportCategory = Literal["account_takeover", "unrecognized_transaction", "phishing", "other"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ReportInput(ApiModel):
    category: ReportCategory
    description: Text
    transaction_id: Identifier | None = None
