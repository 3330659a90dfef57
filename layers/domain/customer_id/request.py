"""The current request's caller, language and operation, set once per invocation by `http.Resolver.handle`."""

from __future__ import annotations

from contextvars import ContextVar
from typing import NamedTuple

from customer_id.auth import Caller
from customer_id.errors import Unauthorized
from customer_id.i18n import DEFAULT_LANGUAGE, Language, from_accept_language


class Operation(NamedTuple):
    """A POST with Idempotency-Key (see `operations`)."""

    id: str  # a digest of (caller, method, path, key)
    request_digest: str  # a digest of the canonical body


class Request:
    __slots__ = ("_language", "accept_language", "caller", "operation")

    def __init__(
        self, caller: Caller | None, accept_language: str | None, operation: Operation | None = None
    ) -> None:
        self.caller = caller
        self.accept_language = accept_language
        # a POST with Idempotency-Key (see `operations`), set once the key is read
        self.operation = operation
        self._language: Language | None = None

    def language(self) -> Language:
        """Accept-Language, else the caller's profile language (read once, only when needed), else en."""
        if self._language is None:
            self._language = from_accept_language(self.accept_language) or self._profile_language()
        return self._language

    def _profile_language(self) -> Language:
        if self.caller is None:
            return DEFAULT_LANGUAGE
        from customer_id.profile.repository import find_language  # only when no header says it

        return find_language(self.caller.customer_id) or DEFAULT_LANGUAGE


_current: ContextVar[Request | None] = ContextVar("request", default=None)


def begin(request: Request) -> None:
    _current.set(request)


def current() -> Request:
    """The request being handled; outside one (a queue consumer, a schedule), an anonymous one."""
    found = _current.get()
    if found is None:
        found = Request(caller=None, accept_language=None)
        _current.set(found)
    return found


def caller() -> Caller:
    found = current().caller
    if found is None:
        raise Unauthorized("unauthenticated")
    return found


def language() -> Language:
    return current().language()
