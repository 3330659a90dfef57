"""Who is calling, and the access rules of API.md, in one place.

API Gateway's Cognito authorizer has verified the ID token before a function runs and passes its
claims in `requestContext.authorizer.claims`; `sub` is the customer id and `cognito:groups` the staff
roles. Each function declares who may call its route with an `Access` value; `check_access` applies
it before anything else runs, so the order of API.md holds: token (401), then access (403/404),
then input, existence and state.

An `OWNER` route (a ticket or a chat) also declares how to find who owns the resource its path
names (`Owned`): `check_owner` looks it up before the input is read, so that a customer who is not
the owner gets the 404 of a missing resource whatever they send (never a 400 that tells them the
id exists). The service still checks with `ensure_may_see` when it reads the resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import Flag, auto
from typing import Any, NamedTuple

from customer_id.errors import Forbidden, NotFound, Unauthorized

STAFF_ROLES = frozenset({"agents", "admins"})


class Access(Flag):
    PUBLIC = auto()
    SIGNED_IN = auto()  # any valid token
    SELF = auto()  # the customer whose id is in the path
    OWNER = auto()  # the customer who owns the ticket or chat: `check_owner`, then `ensure_may_see`
    STAFF = auto()  # agents and admins
    ADMINS = auto()


class Caller(NamedTuple):
    customer_id: str
    roles: frozenset[str]

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_admin(self) -> bool:
        return "admins" in self.roles


def caller_from_event(event: dict[str, Any]) -> Caller | None:
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return None
    return Caller(customer_id=subject, roles=_groups(claims.get("cognito:groups")))


def _groups(raw: object) -> frozenset[str]:
    # REST API authorizers flatten the list claim to a string ("admins,agents" or "[admins agents]").
    if isinstance(raw, list):
        return frozenset(str(group) for group in raw)
    if isinstance(raw, str):
        return frozenset(part for part in re.split(r"[\s,\[\]]+", raw) if part)
    return frozenset()


def check_access(access: Access, caller: Caller | None, path_customer_id: str | None) -> None:
    if Access.PUBLIC in access:
        return
    if caller is None:
        raise Unauthorized("unauthenticated")
    if Access.SIGNED_IN in access or Access.OWNER in access:
        return
    if Access.SELF in access and path_customer_id is not None and caller.customer_id == path_customer_id:
        return
    if Access.STAFF in access and caller.is_staff:
        return
    if Access.ADMINS in access and caller.is_admin:
        return
    if Access.SELF in access:
        raise Forbidden("forbidden")
    raise Forbidden("admins_only" if access == Access.ADMINS else "staff_only")


def ensure_may_see(caller: Caller, owner_id: str) -> None:
    """For `owner, staff` resources: someone else's ticket or chat is 404, never revealed."""
    if caller.customer_id != owner_id and not caller.is_staff:
        raise NotFound("not_found")


class Owned(NamedTuple):
    """What an `OWNER` route's path names, and how to find its owner: `owner_of(id)` is the
    customer id of the owner, or None when there is no such resource; `missing` is the code of the
    404 the route answers for a missing one."""

    parameter: str
    owner_of: Callable[[str], str | None]
    missing: str = "not_found"


def check_owner(owned: Owned, caller: Caller, path_parameters: Mapping[str, str]) -> None:
    """For `owner, staff` routes, before the input is read: staff may see every resource; a
    customer who does not own it (or asks for one that does not exist) gets the route's 404."""
    if caller.is_staff:
        return
    resource_id = path_parameters.get(owned.parameter)
    if resource_id is None or owned.owner_of(resource_id) != caller.customer_id:
        raise NotFound(owned.missing)
