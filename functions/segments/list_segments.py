"""GET /segments (admins): the segments and their rules."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.segments import definitions
from customer_id.segments.schemas.definitions import SegmentDefinitionList

app = build_resolver()


@app.get("/segments")
def list_segments() -> SegmentDefinitionList:
    return definitions.list_segments(request.language())


lambda_handler = entrypoint(app, Access.ADMINS)
