"""GET /customers/{customerId}/data-export: everything held about the customer, one document."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.workflows.rights import export
from customer_id.workflows.rights.schemas import DataExport

app = build_resolver()


@app.get("/customers/<customerId>/data-export")
def export_data(customerId: str) -> DataExport:
    return export.export(customerId)


lambda_handler = entrypoint(app, Access.SELF | Access.STAFF)
