from __future__ import annotations

from pydantic import Field

from customer_id.schemas import ApiModel


class SupportCategoryOutput(ApiModel):
    category_id: str
    name: str = Field(description="In the request language")
    description: str = Field(description="In the request language")


class SupportCategoryList(ApiModel):
    items: list[SupportCategoryOutput]
