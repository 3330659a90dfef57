"""GET /customers/{customerId}/segment: the RFM segment, for the day it is read."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.segments import customer
from customer_id.segments.schemas.segment import SegmentOutput

app = build_resolver()


@app.get("/customers/<customerId>/segment")
def get_segment(customerId: str) -> SegmentOutput:
    return customer.get_segment(customerId, request.language())


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
