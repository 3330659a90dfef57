"""PUT /customers/{customerId}/notification-preferences: replace the whole preferences document."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.notifications import service
from customer_id.notifications.schemas import NotificationPreferences

app = build_resolver()


@app.put("/customers/<customerId>/notification-preferences")
def put_preferences(customerId: str, preferences: NotificationPreferences) -> NotificationPreferences:
    return service.put_preferences(customerId, preferences)


lambda_handler = entrypoint(app, Access.SELF)
