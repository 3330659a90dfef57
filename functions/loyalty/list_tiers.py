"""GET /loyalty/tiers (public): the tiers, their thresholds, multipliers and benefits."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import tier_list
from customer_id.loyalty.schemas.tiers import TierList

app = build_resolver()


@app.get("/loyalty/tiers")
def list_tiers() -> TierList:
    return tier_list.list_tiers(request.language())


lambda_handler = entrypoint(app, Access.PUBLIC)
