"""Category records of the support table (see `customer_id.support.models`):
`CATEGORIES` / `CATEGORY#<categoryId>`, a category with its texts by language."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute

from customer_id.support.models import SupportTableModel

CATEGORIES_PK = "CATEGORIES"


def category_key(category_id: str) -> str:
    return f"CATEGORY#{category_id}"


@dataclass(frozen=True)
class Category:
    category_id: str
    name: dict[str, str]  # by language
    description: dict[str, str]
    position: int  # where it is listed


class SupportCategoryRecord(SupportTableModel):
    category_id = UnicodeAttribute()
    name = MapAttribute[str, str]()
    description = MapAttribute[str, str]()
    position = NumberAttribute()
