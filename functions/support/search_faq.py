"""GET /support/faq/search (public): the 10 FAQ items that best match `q`, in the request language."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.faq.search import service
from customer_id.support.faq.search.schemas import FaqSearchResults, SearchText

app = build_resolver()


@app.get("/support/faq/search")
def search_faq(
    q: Annotated[SearchText, Query(description="1-200 characters, Arabic or English")],
) -> FaqSearchResults:
    return service.search_faq(q, request.language())


lambda_handler = entrypoint(app, Access.PUBLIC)
