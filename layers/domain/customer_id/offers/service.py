"""Offer rules: who an offer is for, what it takes off an order, how offers rank, and what is left
of its limits. The rules themselves are pure functions of an offer and a customer's facts; the
facts are read lazily, so that a check which fails early spares the reads of the later ones.

The routes and the returns workflow import this module, so it holds no API schema: each route's
answer is built in its own module (`admin`: publishing; `listing` and `detail`: a customer's offers;
`applications`: applying one within its limits)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Protocol

from customer_id import db
from customer_id.analytics import facts as analytics
from customer_id.clock import iso
from customer_id.errors import NotFound
from customer_id.loyalty import ledger as loyalty
from customer_id.money import rounded
from customer_id.offers import repository
from customer_id.offers.models import Offer, Targeting
from customer_id.profile.models import Profile

ORDER_VALUE_WITHOUT_HISTORY = Decimal(100)  # what offers are ranked on before a first purchase


class CustomerFacts(Protocol):
    """What targeting reads about a customer."""

    @property
    def tier_id(self) -> str: ...

    @property
    def segment_id(self) -> str: ...

    @property
    def is_new(self) -> bool: ...


class Customer:
    """A customer's facts, each read on first use and then kept for the request."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    @cached_property
    def tier_id(self) -> str:
        return loyalty.require_account(self.profile.customer_id).tier_id

    @cached_property
    def segment_id(self) -> str:
        return analytics.current_segment_id(self.profile)

    @cached_property
    def is_new(self) -> bool:
        return not analytics.has_purchases(self.profile.customer_id)

    @cached_property
    def average_order_value(self) -> Decimal | None:
        return analytics.average_order_value(self.profile.customer_id)


@dataclass(frozen=True)
class Refusal:
    """Why a customer may not apply an offer: `code` is the i18n key of the reason, and the problem
    type of a refused application."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


# ---- the rules ---------------------------------------------------------------------------------


def discount(offer: Offer, amount: Decimal) -> Decimal:
    """What the offer takes off an order of `amount`, its minimum purchase aside: a percentage capped
    at `max_discount` and rounded half-up to cents, or a fixed amount that stops at the order's."""
    if offer.discount_type == "percent":
        taken = amount * offer.discount_value / 100
        if offer.max_discount is not None:
            taken = min(taken, offer.max_discount)
        return rounded(taken)
    return min(offer.discount_value, amount)


def value_for(offer: Offer, average_order_value: Decimal | None) -> Decimal:
    """What offers are ranked by: the discount on the customer's average order (100 before their
    first purchase), nothing when that order is below the offer's minimum."""
    amount = ORDER_VALUE_WITHOUT_HISTORY if average_order_value is None else average_order_value
    if offer.min_purchase is not None and amount < offer.min_purchase:
        return Decimal(0)
    return discount(offer, amount)


def best_first(offers: list[Offer], average_order_value: Decimal | None) -> list[Offer]:
    """By value for the customer, highest first; ties by the earliest `validUntil`, then by id."""
    return sorted(
        offers, key=lambda offer: (-value_for(offer, average_order_value), offer.valid_until, offer.offer_id)
    )


def remaining_uses(offer: Offer, customer_uses: int) -> int:
    """The smaller of what is left of the per-customer limit and of the total limit."""
    left = offer.per_customer_limit - customer_uses
    if offer.total_limit is not None:
        left = min(left, offer.total_limit - offer.used_count)
    return max(left, 0)


def targeting_refusal(targeting: Targeting, customer: CustomerFacts) -> Refusal | None:
    """Criteria combine with AND, the values of one criterion with OR; none at all: everyone."""
    # the cheapest facts first: the tier is one read, newness one, the segment a few
    if targeting.tiers is not None and customer.tier_id not in targeting.tiers:
        return Refusal("offer_tier_not_eligible")
    if targeting.new_customers_only and not customer.is_new:
        return Refusal("offer_new_customers_only")
    if targeting.segments is not None and customer.segment_id not in targeting.segments:
        return Refusal("offer_segment_not_eligible")
    return None


def refusal(offer: Offer, customer: CustomerFacts, customer_uses: int, now: datetime) -> Refusal | None:
    """Why the customer may not apply the offer now (whatever the order), or None when they may."""
    if now < offer.valid_from:
        return Refusal("offer_not_yet_valid", {"validFrom": iso(offer.valid_from)})
    if now >= offer.valid_until:
        return Refusal("offer_expired", {"validUntil": iso(offer.valid_until)})
    targeted = targeting_refusal(offer.targeting, customer)
    if targeted is not None:
        return targeted
    if customer_uses >= offer.per_customer_limit:
        return Refusal("offer_customer_limit_reached", {"limit": offer.per_customer_limit})
    if offer.total_limit is not None and offer.used_count >= offer.total_limit:
        return Refusal("offer_total_limit_reached", {"limit": offer.total_limit})
    return None


# ---- shared by the routes ----------------------------------------------------------------------


def require_offer(offer_id: str) -> Offer:
    offer = repository.get_offer(offer_id)
    if offer is None:
        raise NotFound("offer_not_found", offerId=offer_id)
    return offer


def release_in(work: db.UnitOfWork, customer_id: str, order_id: str, at: datetime) -> int:
    """An order returned whole: give back the use of every offer applied to it (the customer's use
    and the offer's total count go back by one), in the caller's unit of work. How many."""
    released = 0
    for offer_id, application_sk in repository.unreleased_applications_of_order(customer_id, order_id):
        offer = repository.get_offer(offer_id)
        if offer is None:
            continue
        repository.release_application(work, customer_id, offer, application_sk, at)
        released += 1
    return released
