"""GET /loyalty/catalog (public): the items points can be redeemed for."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.loyalty import service
from customer_id.loyalty.schemas import CatalogList

app = build_resolver()


@app.get("/loyalty/catalog")
def list_catalog() -> CatalogList:
    return service.list_catalog(request.language())


lambda_handler = entrypoint(app, Access.PUBLIC)
