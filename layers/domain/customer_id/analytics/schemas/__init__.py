"""The analytics API's models, one module per route (or route group)."""
