"""The support table's categories: the only code that reads or writes them."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from customer_id.support.categories.models import (
    CATEGORIES_PK,
    Category,
    SupportCategoryRecord,
    category_key,
)


def _category(record: SupportCategoryRecord) -> Category:
    return Category(
        category_id=record.category_id,
        name=dict(record.name.as_dict()),
        description=dict(record.description.as_dict()),
        position=int(record.position),
    )


def put_category(category: Category) -> None:
    SupportCategoryRecord(
        pk=CATEGORIES_PK,
        sk=category_key(category.category_id),
        category_id=category.category_id,
        name=category.name,
        description=category.description,
        position=category.position,
    ).save()


def get_category(category_id: str) -> Category | None:
    try:
        return _category(SupportCategoryRecord.get(CATEGORIES_PK, category_key(category_id)))
    except DoesNotExist:
        return None


def categories() -> list[Category]:
    """Every category, in listing order."""
    found = [_category(record) for record in SupportCategoryRecord.query(CATEGORIES_PK)]
    return sorted(found, key=lambda category: (category.position, category.category_id))
