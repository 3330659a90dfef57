"""Notifications: preferences, the inbox, the ar/en template catalogue, and the queue consumer that
delivers every feature's notifications (email through SES, SMS through SNS, the in-app inbox)."""
