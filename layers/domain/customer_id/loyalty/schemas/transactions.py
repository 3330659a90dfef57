"""A ledger entry as the API shows it: the transactions route (`GET
/customers/{customerId}/loyalty/transactions`) and the adjustments route's answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from customer_id.schemas import ApiModel, Timestamp

TransactionType = Literal["earn", "redeem", "expire", "adjust", "bonus", "reverse", "refund"]


class SourceOutput(ApiModel):
    kind: str
    id: str | None


class TransactionOutput(ApiModel):
    transaction_id: str
    type: TransactionType
    points: int = Field(description="Signed: negative for redeem, expire, reverse and negative adjustments")
    balance_after: int
    reason: str
    source: SourceOutput
    created_at: Timestamp


class TransactionPage(ApiModel):
    items: list[TransactionOutput]
    next_cursor: str | None
