"""GET /support/categories (public): the support categories, in the request language."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.categories import listing
from customer_id.support.categories.schemas import SupportCategoryList

app = build_resolver()


@app.get("/support/categories")
def list_categories() -> SupportCategoryList:
    return listing.list_categories(request.language())


lambda_handler = entrypoint(app, Access.PUBLIC)
