"""GET /loyalty/catalog (public): the items points can be redeemed for."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import catalog
from customer_id.loyalty.schemas.catalog import CatalogList

app = build_resolver()


@app.get("/loyalty/catalog")
def list_catalog() -> CatalogList:
    return catalog.list_catalog(request.language())


lambda_handler = entrypoint(app, Access.PUBLIC)
