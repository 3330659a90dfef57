"""POST /customers/{customerId}/loyalty/redemptions/{redemptionId}/cancellation: points back, voucher void."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import cancellations
from customer_id.loyalty.schemas import cancellations as schemas

app = build_resolver()
RULES = """The customer may cancel within 30 minutes of redeeming, staff at any time. The points go back \
into the lots they came from, with their original expiry, as a `refund` transaction; points whose lot has \
expired meanwhile are written off at once (`expire` transactions). 409 `redemption-already-cancelled`, \
`cancellation-window-closed` (the customer after 30 minutes), or `redemption-not-refundable` (its points \
came from more lots than one cancellation can give back)."""


@app.post("/customers/<customerId>/loyalty/redemptions/<redemptionId>/cancellation", description=RULES)
def cancel_redemption(
    customerId: str, redemptionId: str, body: schemas.RedemptionCancellationInput | None = None
) -> schemas.RedemptionCancellationOutput:
    return cancellations.cancel_redemption(customerId, redemptionId, by_staff=request.caller().is_staff)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
