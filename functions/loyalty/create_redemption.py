"""POST /customers/{customerId}/loyalty/redemptions: spend points on a catalog item."""

from aws_lambda_powertools.event_handler import Response

from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.loyalty import service
from customer_id.loyalty.schemas import RedemptionInput, RedemptionOutput

app = build_resolver()


@app.post("/customers/<customerId>/loyalty/redemptions")
def create_redemption(customerId: str, redemption: RedemptionInput) -> Response[RedemptionOutput]:
    return created(service.redeem(customerId, redemption.item_id))


lambda_handler = entrypoint(app, Access.SELF)
