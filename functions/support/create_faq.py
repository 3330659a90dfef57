"""POST /support/faq (admins): add an FAQ item in both languages."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.faq import service
from customer_id.support.faq.schemas import FaqInput, FaqOutput

app = build_resolver()


@app.post("/support/faq", status_code=201)
def create_faq(faq: FaqInput) -> FaqOutput:
    return service.create_faq(faq, request.language())


lambda_handler = entrypoint(app, Access.ADMINS)
