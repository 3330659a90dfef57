"""GET /referrals/{code} (public): who a code belongs to, and what the referee gets."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.referrals import codes
from customer_id.referrals.schemas.codes import ReferralCodeLookup

app = build_resolver()


@app.get("/referrals/<code>")
def get_code(code: str) -> ReferralCodeLookup:
    return codes.lookup(code)


lambda_handler = entrypoint(app, Access.PUBLIC)
