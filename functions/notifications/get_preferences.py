"""GET /customers/{customerId}/notification-preferences: channels, categories and quiet hours."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.notifications import preferences as notification_preferences
from customer_id.notifications.schemas.preferences import NotificationPreferences

app = build_resolver()


@app.get("/customers/<customerId>/notification-preferences")
def get_preferences(customerId: str) -> NotificationPreferences:
    return notification_preferences.get_preferences(customerId)


lambda_handler = entrypoint(app, Access.SELF)
