"""The segments API's models: the segment's shape (`segment`), then one module per route."""
