"""The categories as GET /support/categories lists them, in the request language."""

from __future__ import annotations

from customer_id.i18n import Language
from customer_id.support.categories import repository
from customer_id.support.categories.schemas import SupportCategoryList, SupportCategoryOutput
from customer_id.support.categories.service import localized


def list_categories(language: Language) -> SupportCategoryList:
    return SupportCategoryList(
        items=[
            SupportCategoryOutput(
                category_id=category.category_id,
                name=localized(category.name, language),
                description=localized(category.description, language),
            )
            for category in repository.categories()
        ]
    )
