"""The offers API's models: the offer's shared shape (`offer`), then one module per route."""
