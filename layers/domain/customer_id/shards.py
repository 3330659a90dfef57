"""Sharded index keys: a customer's shard, and the key of one period (or date) and shard. Apart from
`jobs` so that the records keyed by them (point lots, segment reviews, celebrants) build none of the
job machinery's classes."""

from __future__ import annotations

import hashlib


def shard_of(customer_id: str, shards: int) -> int:
    """The customer's shard: stable across processes (not Python's salted `hash`)."""
    return int.from_bytes(hashlib.sha256(customer_id.encode()).digest()[:4]) % shards


def sharded(key: str, shard: int) -> str:
    """An index key of one period (or date) and shard: `<key>#<shard>`."""
    return f"{key}#{shard:02d}"
