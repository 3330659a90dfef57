"""GET /customers/{customerId}/notification-preferences: channels, categories and quiet hours."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.notifications import service
from customer_id.notifications.schemas import NotificationPreferences

app = build_resolver()


@app.get("/customers/<customerId>/notification-preferences")
def get_preferences(customerId: str) -> NotificationPreferences:
    return service.get_preferences(customerId)


lambda_handler = entrypoint(app, Access.SELF)
