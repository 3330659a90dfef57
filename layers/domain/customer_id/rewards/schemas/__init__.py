"""The rewards API schemas, one module per route group."""
