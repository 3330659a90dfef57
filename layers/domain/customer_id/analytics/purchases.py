"""The purchase reads (`GET /customers/{id}/purchases`, `…/purchases/{purchaseId}`) and the data
export's list of them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from customer_id import clock, pagination
from customer_id.analytics import repository
from customer_id.analytics.models import Purchase
from customer_id.analytics.return_models import Return
from customer_id.analytics.schemas.purchases import (
    PurchaseDetail,
    PurchaseOutput,
    PurchasePage,
    ReturnItem,
)
from customer_id.errors import FieldError, InvalidInput, NotFound
from customer_id.money import from_cents, money
from customer_id.profile.service import require_profile


def purchase_output(purchase: Purchase) -> PurchaseOutput:
    return PurchaseOutput(
        purchase_id=purchase.purchase_id,
        order_id=purchase.order_id,
        amount=money(purchase.amount),
        category=purchase.category,
        channel=purchase.channel,
        occurred_at=purchase.occurred_at,
        points_earned=purchase.points_earned,
    )


def list_purchases(
    customer_id: str, since: datetime | None, until: datetime | None, limit: int, cursor: str | None
) -> PurchasePage:
    if since is not None and until is not None and since >= until:
        raise InvalidInput("invalid_input", errors=[FieldError("to", "must be after from")])
    bounds = "|".join(clock.iso(moment) if moment else "" for moment in (since, until))
    scope = f"analytics.purchases|{customer_id}|{bounds}"
    purchases, next_cursor = pagination.listing(
        scope,
        cursor,
        lambda start: repository.purchases_page(customer_id, since, until, limit, start),
        before=lambda: require_profile(customer_id),
    )
    return PurchasePage(items=[purchase_output(purchase) for purchase in purchases], next_cursor=next_cursor)


def get_purchase(customer_id: str, purchase_id: str) -> PurchaseDetail:
    """The purchase as listed, with its returns (oldest first) and their total."""
    require_profile(customer_id)
    state = repository.purchase_state(customer_id, purchase_id)
    if state is None:
        raise NotFound("purchase_not_found", purchaseId=purchase_id)
    return _detail(
        purchase_output(state.purchase),
        from_cents(state.returned_cents),
        repository.returns_of(customer_id, purchase_id),
    )


def purchase_details(customer_id: str, purchases: list[PurchaseOutput]) -> list[PurchaseDetail]:
    """The listed purchases as `get_purchase` answers each, from one read of all the customer's
    returns (the data export: not a read per purchase). A purchase's returned amount is the sum of
    its returns, which its record's total is, written with each return."""
    returns = repository.returns_by_purchase(customer_id)
    details = []
    for listed in purchases:
        mine = returns.get(listed.purchase_id, [])
        details.append(_detail(listed, sum((returned.amount for returned in mine), Decimal(0)), mine))
    return details


def _detail(listed: PurchaseOutput, returned: Decimal, returns: list[Return]) -> PurchaseDetail:
    return PurchaseDetail(
        **dict(listed),
        returned_amount=money(returned),
        returns=[
            ReturnItem(
                return_id=item.return_id,
                amount=money(item.amount),
                points_reversed=item.points_reversed,
                reason=item.reason,
                created_at=item.created_at,
            )
            for item in returns
        ],
    )
