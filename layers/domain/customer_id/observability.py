"""Logger, Tracer and Metrics, created on first use so that importing a handler has no side effects."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools import Logger, Metrics, Tracer


@cache
def logger() -> Logger:
    return Logger()


@cache
def tracer() -> Tracer:
    return Tracer()


@cache
def metrics() -> Metrics:
    return Metrics()
