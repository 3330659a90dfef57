"""The core every part of support calls (the FAQ, chats, tickets): the category an input names,
texts in the request language, and the retry of a unit of work.

Every change reads, decides, and adds its writes to one `db.UnitOfWork`; `retry` commits it, and
when what was read has moved since, reads and decides again. `retry_operation` does so once per
operation (`customer_id.operations`): with Idempotency-Key, a re-execution after a failure past
the commit answers with the first answer and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from customer_id import db, operations
from customer_id.errors import FieldError, InvalidInput
from customer_id.i18n import Language
from customer_id.support.categories import repository
from customer_id.support.categories.models import Category

MAX_ATTEMPTS = 10

# A category as inputs name it: `require_category` tells whether it is one
CategoryRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


def retry[T](
    attempt: Callable[[db.UnitOfWork], T], retry_on: tuple[type[Exception], ...], busy: str = "support_busy"
) -> T:
    """`db.retry` of `attempt` (up to MAX_ATTEMPTS tries), answered 409 `busy` when it never gets through."""
    return db.retry(attempt, retry_on=retry_on, attempts=MAX_ATTEMPTS, busy=busy)


def retry_operation[M: BaseModel](
    attempt: Callable[[db.UnitOfWork], M],
    answer: type[M],
    retry_on: tuple[type[Exception], ...],
    busy: str = "support_busy",
) -> M:
    """`retry`, done once per operation (`operations.retry`): `attempt` returns the answer, which is
    committed with its writes; a re-execution of the operation answers with it and writes nothing."""
    return operations.retry(attempt, answer=answer, retry_on=retry_on, attempts=MAX_ATTEMPTS, busy=busy)


def localized(texts: dict[str, str], language: Language) -> str:
    """The text in `language`, else in English."""
    return texts.get(language) or texts["en"]


def require_category(category_id: str) -> Category:
    """The category; an unknown id is invalid input (400) for whatever names it."""
    category = repository.get_category(category_id)
    if category is None:
        raise InvalidInput(
            "unknown_support_category",
            errors=[FieldError("categoryId", "unknown support category")],
            categoryId=category_id,
        )
    return category
