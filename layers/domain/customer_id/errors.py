"""The domain error hierarchy. Services raise these; `http.problem` is their one mapping to
RFC 9457 problem details. `code` names the i18n message that explains the error to the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status: ClassVar[int] = 400

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
