"""POST /customers/{customerId}/notifications/{notificationId}/read: mark an inbox item read."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.notifications import reads
from customer_id.notifications.schemas.reads import NotificationReadInput, NotificationReadOutput

app = build_resolver()


@app.post("/customers/<customerId>/notifications/<notificationId>/read")
def read_notification(
    customerId: str, notificationId: str, body: NotificationReadInput | None = None
) -> NotificationReadOutput:
    return reads.read_notification(customerId, notificationId)


lambda_handler = entrypoint(app, Access.SELF)
