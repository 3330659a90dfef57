"""POST /customers/{customerId}/security/reports: the customer reports a problem; raises an alert."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.security.alerts import reports
from customer_id.security.schemas.alerts import AlertOutput
from customer_id.security.schemas.reports import ReportInput

app = build_resolver()


@app.post("/customers/<customerId>/security/reports", status_code=201)
def create_report(customerId: str, report: ReportInput) -> AlertOutput:
    return reports.report(customerId, report, request.language())


lambda_handler = entrypoint(app, Access.SELF)
