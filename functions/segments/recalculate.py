"""POST /customers/{customerId}/segment/recalculation (admins): recompute and store the segment now."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.segments import customer
from customer_id.segments.schemas.segment import RecalculationInput, SegmentOutput

app = build_resolver()


@app.post("/customers/<customerId>/segment/recalculation")
def recalculate(customerId: str, body: RecalculationInput | None = None) -> SegmentOutput:
    return customer.recalculate(customerId, request.language())


lambda_handler = entrypoint(app, Access.ADMINS)
