"""GET /customers/{customerId}/segment/benefits: what the customer's segment brings them."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.segments import benefits
from customer_id.segments.schemas.benefits import SegmentBenefitList

app = build_resolver()


@app.get("/customers/<customerId>/segment/benefits")
def list_benefits(customerId: str) -> SegmentBenefitList:
    return benefits.benefits(customerId, request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
