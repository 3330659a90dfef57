"""Keeps the local user pools' users across restarts of the stack.

Every customerId is a user's `sub`, so kept data would be orphaned if a restart gave a user a new
one. moto keeps its user pools in memory, in this process: after every Cognito request that
changed a pool, its users (username, sub, password, status, attributes, groups) are written to one
JSON file, and on start they are put back into the freshly made pools with the same `sub` (which
Cognito's API never lets a caller choose, so they go straight into moto's backend objects).
Pools are matched by the template's logical id; their ids are stable anyway (moto's HASH id
strategy, set by the stack), so ID tokens issued before a restart stay valid after it.

The passwords are the local pool's test passwords, kept as moto keeps them: this file is for
loopback development only (it lives in the git-ignored `.local/`).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT = 1


def _backend_pool(pool_id: str) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends

    region = pool_id.split("_", 1)[0]
    for account_id in list(cognitoidp_backends):
        pools = cognitoidp_backends[account_id][region].user_pools
        if pool_id in pools:
            return pools[pool_id]
    raise KeyError(f"no user pool {pool_id} in moto")


def _snapshot_user(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "sub": user.id,
        "password": user.password,
        "status": user.status.value if hasattr(user.status, "value") else str(user.status),
        "enabled": bool(user.enabled),
        "attributes": [dict(attribute) for attribute in user.attributes],
        "groups": sorted(group.group_name for group in user.groups),
        "created": user.create_date.isoformat(),
    }


def _restore_user(pool: Any, saved: dict[str, Any]) -> None:
    from moto.cognitoidp.models import CognitoIdpUser, UserStatus

    user = CognitoIdpUser(
        pool.id, saved["username"], saved["password"], UserStatus(saved["status"]), saved["attributes"]
    )
    user.id = saved["sub"]
    user.update_attributes([{"Name": "sub", "Value": saved["sub"]}])
    user.enabled = saved["enabled"]
    user.create_date = datetime.fromisoformat(saved["created"])
    pool.users[user.username] = user
    for name in saved["groups"]:
        group = pool.groups.get(name)
        if group is not None:  # a group the template no longer has is dropped
            group.users.add(user)
            user.groups.add(group)


class UserStore:
    """The users of the template's pools (logical id -> moto pool id), kept in `path`."""

    def __init__(self, path: Path, pools: dict[str, str]) -> None:
        self.path = path
        self.pools = pools
        self._lock = threading.Lock()
        self._written: str | None = None
        self._original: Any = None

    def restore(self) -> int:
        """Put the kept users back into the pools; how many."""
        if not self.path.exists():
            return 0
        kept = json.loads(self.path.read_text())
        restored = 0
        for logical_id, users in kept.get("pools", {}).items():
            pool_id = self.pools.get(logical_id)
            if pool_id is None:
                continue
            pool = _backend_pool(pool_id)
            for saved in users:
                _restore_user(pool, saved)
                restored += 1
        self._written = self._render()
        return restored

    def save(self) -> None:
        """Write the pools' users if they changed since the last write (atomically: a crash mid-write
        leaves the previous file)."""
        with self._lock:
            text = self._render()
            if text == self._written:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            partial.write_text(text)
            os.replace(partial, self.path)
            self._written = text

    def _render(self) -> str:
        pools = {}
        for logical_id, pool_id in self.pools.items():
            users = list(_backend_pool(pool_id).users.values())
            pools[logical_id] = sorted((_snapshot_user(user) for user in users), key=lambda u: u["sub"])
        return json.dumps({"format": FORMAT, "pools": pools}, indent=1, sort_keys=True) + "\n"

    def track(self) -> None:
        """Save after every Cognito request moto serves in this process, from now until `untrack`."""
        from moto.cognitoidp.responses import CognitoIdpResponse

        original = CognitoIdpResponse.call_action
        store = self

        def call_action(self: Any) -> Any:
            try:
                return original(self)
            finally:
                try:
                    store.save()
                except Exception as error:  # keeping users never breaks a Cognito request; it says so
                    print(f"could not keep the user pool's users: {error!r}", file=sys.stderr)

        self._original = original
        CognitoIdpResponse.call_action = call_action  # type: ignore[method-assign]

    def untrack(self) -> None:
        if self._original is not None:
            from moto.cognitoidp.responses import CognitoIdpResponse

            CognitoIdpResponse.call_action = self._original  # type: ignore[method-assign]
            self._original = None
