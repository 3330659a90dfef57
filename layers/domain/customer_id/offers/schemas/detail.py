"""One offer for a customer (`GET /customers/{id}/offers/{offerId}`): with whether they may use it."""

from __future__ import annotations

from pydantic import Field

from customer_id.offers.schemas.customer import CustomerOfferOutput
from customer_id.schemas import ApiModel


class OfferEligibility(ApiModel):
    eligible: bool = Field(
        description="Whether the customer may apply the offer now: it is active, its targeting matches "
        "and uses are left (minPurchase is checked per order)"
    )
    reason: str | None = Field(description="Why not, in the request language; null when eligible")


class OfferDetailOutput(CustomerOfferOutput):
    eligibility: OfferEligibility
