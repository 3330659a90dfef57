"""POST /support/faq/{faqId}/feedback (any signed-in caller): whether the item helped; one vote each."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.support.faq import service
from customer_id.support.faq.schemas import FaqFeedbackInput, FaqFeedbackOutput

app = build_resolver()


@app.post("/support/faq/<faqId>/feedback")
def faq_feedback(faqId: str, feedback: FaqFeedbackInput) -> FaqFeedbackOutput:
    return service.faq_feedback(faqId, feedback.helpful, request.caller())


lambda_handler = entrypoint(app, Access.SIGNED_IN)
