"""POST /customers/{customerId}/loyalty/redemptions: spend points on a catalog item."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import redemptions
from customer_id.loyalty.schemas.redemptions import RedemptionInput, RedemptionOutput

app = build_resolver()


@app.post("/customers/<customerId>/loyalty/redemptions", status_code=201)
def create_redemption(customerId: str, redemption: RedemptionInput) -> RedemptionOutput:
    return redemptions.redeem(customerId, redemption.item_id)


lambda_handler = entrypoint(app, Access.SELF)
