"""The security API's schemas, one module per route (class names are the API's schema names); the
types several of them share are here."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

EventType = Literal["login", "login_failed", "password_change", "device_added"]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
