"""DELETE /customers/{customerId}: erase the customer (self or admins); 202, the sweep follows."""

from customer_id import request
from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.workflows.rights import erasure
from customer_id.workflows.rights.schemas import ErasureAccepted

app = build_resolver()


@app.delete("/customers/<customerId>", status_code=202)
def erase_customer(customerId: str) -> ErasureAccepted:
    return erasure.request_erasure(customerId, request.caller())


lambda_handler = entrypoint(app, Access.SELF | Access.ADMINS)
