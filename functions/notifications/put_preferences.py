"""PUT /customers/{customerId}/notification-preferences: replace the whole preferences document."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.notifications import preferences as notification_preferences
from customer_id.notifications.schemas.preferences import NotificationPreferences

app = build_resolver()


@app.put("/customers/<customerId>/notification-preferences")
def put_preferences(customerId: str, preferences: NotificationPreferences) -> NotificationPreferences:
    return notification_preferences.put_preferences(customerId, preferences)


lambda_handler = entrypoint(app, Access.SELF)
