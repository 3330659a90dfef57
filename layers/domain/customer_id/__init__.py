"""Customer ID service domain package, shipped to every function as the `domain` layer."""
