"""GET /customers/{customerId}/loyalty: tier, balance, next tier and points expiring soon."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import accounts
from customer_id.loyalty.schemas.accounts import LoyaltyAccountOutput

app = build_resolver()


@app.get("/customers/<customerId>/loyalty")
def get_account(customerId: str) -> LoyaltyAccountOutput:
    return accounts.get_account(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
