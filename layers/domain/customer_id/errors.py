"""The domain error hierarchy. Services raise these; `http.problem` is their one mapping to
RFC 9457 problem details. `code` names the i18n message that explains the error to the caller."""

from __future__ import annotations

from typing import ClassVar, NamedTuple


class FieldError(NamedTuple):
    field: str
    message: str


class DomainError(Exception):
    status: ClassVar[int] = 400
    # Seconds after which trying again is right (the `Retry-After` header), for an error that says so.
    retry_after: ClassVar[int | None] = None

    def __init__(self, code: str, /, errors: list[FieldError] | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.errors = errors or []


class InvalidInput(DomainError):
    status = 400


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PayloadTooLarge(DomainError):
    status = 413


class UnsupportedMediaType(DomainError):
    status = 415


# A busy answer's `Retry-After`, in seconds: the contention or throttling it reports outlasted the
# request's own retries with backoff (up to 160 ms a try), so the client waits longer than those
# did, while staying short enough for a checkout to wait once and try again.
RETRY_AFTER_SECONDS = 1


class Busy(DomainError):
    """DynamoDB stayed contended or throttled after the request's retries: nothing was written, and
    the same request may succeed later. 503 with `Retry-After`, never a 409 that a client could read
    as a business conflict (a duplicate order, say). `code` may be a feature's own (`offer_busy`)."""

    status = 503
    retry_after = RETRY_AFTER_SECONDS
