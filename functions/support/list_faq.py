"""GET /support/faq (public): the FAQ in the request language, paginated, of one category if asked."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

from customer_id.auth import Access
from customer_id.http import PageCursor, PageSize, build_resolver, entrypoint, language
from customer_id.support.categories.service import CategoryRef
from customer_id.support.faq import service
from customer_id.support.faq.schemas import FaqPage

app = build_resolver()


@app.get("/support/faq")
def list_faq(
    category_id: Annotated[CategoryRef | None, Query(alias="categoryId")] = None,
    limit: PageSize = 20,
    cursor: PageCursor = None,
) -> FaqPage:
    return service.list_faq(category_id, limit, cursor, language())


lambda_handler = entrypoint(app, Access.PUBLIC)
