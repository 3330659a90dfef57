"""POST /customers/{customerId}/security/reports: the customer reports a problem; raises an alert."""

from aws_lambda_powertools.event_handler import Response

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, created, entrypoint
from customer_id.security import service
from customer_id.security.schemas import AlertOutput, ReportInput

app = build_resolver()


@app.post("/customers/<customerId>/security/reports")
def create_report(customerId: str, report: ReportInput) -> Response[AlertOutput]:
    return created(service.report(customerId, report, request.language()))


lambda_handler = entrypoint(app, Access.SELF)
