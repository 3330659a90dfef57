"""Loyalty's API schemas, one module per route (group), so that a handler builds only the models of
its own route. Class names are unique across the project (the OpenAPI merge keys them by name)."""
