"""The guards: every conditional write in the domain layer, found by reading the code, and the
test-only switch that removes one.

A guard is a write's condition (`work.put/update/delete/check(...)` on a `db.UnitOfWork`, or a
pynamodb `save/update/delete(condition=...)`). Its id is `<module>:<function>` under
`customer_id`, with `#n` when a function has several (`loyalty.repository:stage#2`), so ids survive
edits elsewhere in a file.

`--remove-guard=<id>` (registered in tests/conftest.py) runs the tests with that condition dropped:
the write goes through unconditionally (a condition check is left out). `make mutants`
(tests/mutants.py) does so for every guard with the tests that claim it (`@pytest.mark.guard(id)`)
and reports whether they caught the removal.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "layers" / "domain" / "customer_id"
NOT_GUARDS = {"db.py"}  # the unit of work itself: the plumbing every guard goes through

# unit-of-work methods: the index of their `condition` argument
WORK_CONDITION_AT = {"put": 1, "update": 2, "delete": 1, "check": 3}
MODEL_WRITES = {"save", "update", "delete"}


@dataclass(frozen=True)
class Guard:
    id: str
    file: str
    first_line: int
    last_line: int
    kind: str  # put, update, delete, check (unit of work) or save/update/delete (a record's own)
    text: str  # the condition, as written

    def covers(self, filename: str, line: int) -> bool:
        return filename == self.file and self.first_line <= line <= self.last_line


def _condition(call: ast.Call) -> ast.expr | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    for keyword in call.keywords:
        if keyword.arg == "condition":
            return keyword.value
    method = call.func.attr
    receiver = call.func.value
    if isinstance(receiver, ast.Name) and receiver.id == "work" and method in WORK_CONDITION_AT:
        index = WORK_CONDITION_AT[method]
        return call.args[index] if len(call.args) > index else None
    return None


def _is_guard(call: ast.Call, condition: ast.expr) -> bool:
    assert isinstance(call.func, ast.Attribute)
    if isinstance(condition, ast.Constant) and condition.value is None:
        return False
    receiver = call.func.value
    on_work = isinstance(receiver, ast.Name) and receiver.id == "work"
    return (on_work and call.func.attr in WORK_CONDITION_AT) or call.func.attr in MODEL_WRITES


@cache
def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The function's nodes, not those of functions defined inside it (a guard belongs to the
    innermost function that holds it, and is named once)."""
    pending: list[ast.AST] = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            pending.extend(ast.iter_child_nodes(node))


def guards() -> tuple[Guard, ...]:
    """Every guard in the domain layer, in file and line order."""
    found: list[Guard] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in NOT_GUARDS and path.parent == PACKAGE:
            continue
        source = path.read_text()
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            calls = [
                (node, condition)
                for node in _own_nodes(function)
                if isinstance(node, ast.Call)
                and (condition := _condition(node)) is not None
                and _is_guard(node, condition)
            ]
            calls.sort(key=lambda pair: (pair[0].lineno, pair[0].col_offset))
            for number, (call, condition) in enumerate(calls, start=1):
                suffix = f"#{number}" if len(calls) > 1 else ""
                assert isinstance(call.func, ast.Attribute)
                found.append(
                    Guard(
                        id=f"{module}:{function.name}{suffix}",
                        file=str(path),
                        first_line=call.lineno,
                        last_line=call.end_lineno or call.lineno,
                        kind=call.func.attr,
                        text=" ".join((ast.get_source_segment(source, condition) or "").split()),
                    )
                )
    return tuple(found)


def guard(guard_id: str) -> Guard:
    for found in guards():
        if found.id == guard_id:
            return found
    raise KeyError(f"no guard {guard_id!r}; guards are: {', '.join(g.id for g in guards())}")


def _hit(removed: tuple[Guard, ...]) -> Guard | None:
    """The removed guard whose write the caller of the patched method is, if any."""
    frame = sys._getframe(2)
    for guard in removed:
        if guard.covers(frame.f_code.co_filename, frame.f_lineno):
            return guard
    return None


@contextmanager
def removed(guard_ids: list[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The guards' conditions left out of their writes while the block runs; yields the list of
    the mutated writes (a guard id each time one ran)."""
    from pynamodb.models import Model

    from customer_id import db

    target = tuple(guard(guard_id) for guard_id in guard_ids)
    hits: list[str] = []

    def without_condition(original: Any, condition_at: int) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            if (hit := _hit(target)) is None:
                return original(*args, **kwargs)
            hits.append(hit.id)
            if "condition" in kwargs:
                kwargs["condition"] = None
            elif len(args) > condition_at:
                args = (*args[:condition_at], None, *args[condition_at + 1 :])
            return original(*args, **kwargs)

        return write

    def check(original: Any) -> Any:
        def write(*args: Any, **kwargs: Any) -> Any:
            if (hit := _hit(target)) is None:
                return original(*args, **kwargs)
            hits.append(hit.id)  # a check without its condition checks nothing: left out
            return None

        return write

    with monkeypatch.context() as patch:
        for method, at in WORK_CONDITION_AT.items():
            original = getattr(db.UnitOfWork, method)
            # +1: `self` is the first positional argument
            patch.setattr(
                db.UnitOfWork,
                method,
                check(original) if method == "check" else without_condition(original, at + 1),
            )
        for method in MODEL_WRITES:
            patch.setattr(Model, method, without_condition(getattr(Model, method), 99))
        yield hits
