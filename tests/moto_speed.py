"""moto at a cost per item touched, not per item stored. The integration tier runs on it (its jobs
touch many small partitions of growing tables) and so does the capacity model (`bench/capacity.py`,
20,000 customers). `quick_moto()` patches moto while it is active; answers are moto's own."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def quick_moto() -> Iterator[None]:
    """Two of moto's costs grow with the table, which makes 20,000 customers hours of work:
    - a TransactWriteItems backs up each table it touches with a deep copy of the whole table; here
      only the items the transaction names are backed up, and put back (with the tables' stream
      records) when it is cancelled;
    - a Query sorts every item of the table, even for one partition; here a Query on the table's
      partition key (the table or a local index) looks at that partition's items only, and one on
      a global index sorts only the items of the index partition (moto sorts them again by the
      index keys).
    Same answers, cost per item touched."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table as MotoTable

    original_query = MotoTable.query

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        conditions = dict(kwargs.get("hash_key_conditions") or ())
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        value = conditions.get(self.hash_key_attr, None if index_name else hash_key)
        if value is not None and len(conditions) <= 1:
            partition = self.items.get(value)
            found = (list(partition.values()) if self.range_key_attr else [partition]) if partition else []
            self.all_items = lambda: sorted(found, key=lambda item: item.range_key or item.hash_key)
        elif index_name and len(conditions) == 1:  # a global index: its partition's items, sorted later
            ((name, value),) = conditions.items()
            partitions = self.items.values()
            every = (
                item for part in partitions for item in (part.values() if self.range_key_attr else [part])
            )
            found = [item for item in every if name in item.attrs and item.attrs[name] == value]
            self.all_items = lambda: found
        else:
            return original_query(self, hash_key, *args, **kwargs)
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    class _Copy:
        @staticmethod
        def deepcopy(value: Any, memo: Any = None) -> Any:
            return value if isinstance(value, MotoTable) else copy.deepcopy(value, memo)

    original_copy = models.copy
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        streams = {}
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.get_table(op["TableName"])
            key = op.get("Key") or {
                name: op["Item"][name] for name in (table.hash_key_attr, table.range_key_attr) if name
            }
            hash_key, range_key = self.get_keys_value(table, key)
            saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
            if table.stream_shard is not None:
                streams[id(table)] = (table.stream_shard, len(table.stream_shard.items))
        try:
            original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, item in reversed(saved):
                if range_key is not None:
                    table.items[hash_key].pop(range_key, None)
                    if item is not None:
                        table.items[hash_key][range_key] = item
                else:
                    table.items.pop(hash_key, None)
                    if item is not None:
                        table.items[hash_key] = item
            for shard, length in streams.values():
                del shard.items[length:]
            raise

    models.copy = _Copy  # type: ignore[assignment]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    MotoTable.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        models.copy = original_copy
        models.DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        MotoTable.query = original_query  # type: ignore[method-assign]
