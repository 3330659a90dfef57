"""Logger, Tracer and Metrics, created on first use so that importing a handler has no side effects."""

from __future__ import annotations

import warnings
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
    # Reads add no metric but ColdStart, by design; Powertools would warn about it on every cold start.
    warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)
    return Metrics()
