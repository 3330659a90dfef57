"""Offer rules: who an offer is for, what it takes off an order, how offers rank, and applying one
within its limits. The rules themselves are pure functions of an offer and a customer's facts; the
facts are read lazily, so that a check which fails early spares the reads of the later ones."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, Protocol

from customer_id import clock, codes, db, operations, queues
from customer_id.analytics import engagement
from customer_id.analytics import facts as analytics
from customer_id.clock import iso
from customer_id.errors import Conflict, FieldError, InvalidInput, NotFound
from customer_id.i18n import Language, text
from customer_id.loyalty import service as loyalty
from customer_id.money import money, rounded
from customer_id.offers import repository
from customer_id.offers.models import Application, Offer, Targeting
from customer_id.offers.schemas import (
    CustomerOfferList,
    CustomerOfferOutput,
    OfferApplicationInput,
    OfferApplicationOutput,
    OfferDetailOutput,
    OfferEligibility,
    OfferInput,
    OfferOutput,
    OfferTargeting,
)
from customer_id.profile.models import Profile
from customer_id.profile.service import require_profile
from customer_id.settings import settings

MAX_ATTEMPTS = 10
ORDER_VALUE_WITHOUT_HISTORY = Decimal(100)  # what offers are ranked on before a first purchase


class CustomerFacts(Protocol):
    """What targeting reads about a customer."""

    @property
    def tier_id(self) -> str: ...

    @property
    def segment_id(self) -> str: ...

    @property
    def is_new(self) -> bool: ...


class _Customer:
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


# ---- the endpoints -----------------------------------------------------------------------------


def _offer_fields(offer: Offer, language: Language) -> dict[str, Any]:
    return {
        "offer_id": offer.offer_id,
        "title": offer.title.get(language) or offer.title["en"],
        "description": offer.description.get(language) or offer.description["en"],
        "discount_type": offer.discount_type,
        "discount_value": offer.discount_value,
        "currency": settings().currency,
        "min_purchase": offer.min_purchase,
        "max_discount": offer.max_discount,
        "targeting": OfferTargeting.model_validate(
            {
                "segments": offer.targeting.segments,
                "tiers": offer.targeting.tiers,
                "new_customers_only": offer.targeting.new_customers_only,
            }
        ),
        "valid_from": offer.valid_from,
        "valid_until": offer.valid_until,
        "per_customer_limit": offer.per_customer_limit,
        "total_limit": offer.total_limit,
        "created_at": offer.created_at,
    }


def require_offer(offer_id: str) -> Offer:
    offer = repository.get_offer(offer_id)
    if offer is None:
        raise NotFound("offer_not_found", offerId=offer_id)
    return offer


def create_offer(data: OfferInput, language: Language) -> OfferOutput:
    now = clock.now()
    if data.valid_until <= now:
        raise InvalidInput("invalid_input", errors=[FieldError("validUntil", "must be in the future")])
    targeting = data.targeting
    offer = Offer(
        offer_id=codes.new_id(),
        title=data.title.model_dump(),
        description=data.description.model_dump(),
        discount_type=data.discount_type,
        discount_value=data.discount_value,
        min_purchase=data.min_purchase,
        max_discount=data.max_discount,
        targeting=Targeting(
            segments=tuple(targeting.segments) if targeting.segments is not None else None,
            tiers=tuple(targeting.tiers) if targeting.tiers is not None else None,
            new_customers_only=targeting.new_customers_only,
        ),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        per_customer_limit=data.per_customer_limit,
        total_limit=data.total_limit,
        created_at=now,
    )
    repository.create_offer(offer)
    return OfferOutput(**_offer_fields(offer, language))


def list_offers(customer_id: str, language: Language) -> CustomerOfferList:
    """The active offers the customer is eligible for with uses left, best value first."""
    profile = require_profile(customer_id)
    now = clock.now()
    customer = _Customer(profile)
    uses = repository.uses_of_offers_valid_after(customer_id, now)
    remaining: dict[str, int] = {}
    eligible: list[Offer] = []
    for offer in repository.offers_valid_after(now):
        used = uses.get(offer.offer_id, 0)
        if refusal(offer, customer, used, now) is None:
            eligible.append(offer)
            remaining[offer.offer_id] = remaining_uses(offer, used)
    ranked = best_first(eligible, customer.average_order_value) if eligible else []
    return CustomerOfferList(
        items=[
            CustomerOfferOutput(**_offer_fields(offer, language), remaining_uses=remaining[offer.offer_id])
            for offer in ranked
        ]
    )


def get_offer(customer_id: str, offer_id: str, language: Language) -> OfferDetailOutput:
    """The offer, what is left of it for the customer, and whether they may apply it now and why not."""
    profile = require_profile(customer_id)
    offer = require_offer(offer_id)
    used = repository.uses(customer_id, offer)
    refused = refusal(offer, _Customer(profile), used, clock.now())
    return OfferDetailOutput(
        **_offer_fields(offer, language),
        remaining_uses=remaining_uses(offer, used),
        eligibility=OfferEligibility(
            eligible=refused is None,
            reason=text(refused.code, language, **refused.params) if refused is not None else None,
        ),
    )


def apply(customer_id: str, offer_id: str, data: OfferApplicationInput) -> OfferApplicationOutput:
    """Apply the offer to an order: 409 with the reason when the customer may not, or the order is
    below the minimum, or already took this offer. Both limits hold under concurrent applications:
    the transaction that counts the use is conditioned on them. The fraud signal is queued in that
    transaction (the outbox). With `Idempotency-Key` the application's id derives from the
    operation, and a re-execution answers with the first application (the checks, which the first
    one's use would now fail, are not run again)."""
    profile = require_profile(customer_id)
    offer = require_offer(offer_id)
    replayed = operations.replay(OfferApplicationOutput)
    if replayed is not None:
        return replayed
    if repository.application(customer_id, offer_id, data.order_id) is not None:
        raise Conflict("offer_order_already_applied", orderId=data.order_id)
    now = clock.now()
    refused = refusal(offer, _Customer(profile), repository.uses(customer_id, offer), now)
    if refused is not None:
        raise Conflict(refused.code, errors=None, **refused.params)
    amount = data.order_amount.amount
    if offer.min_purchase is not None and amount < offer.min_purchase:
        raise Conflict(
            "offer_below_minimum", minPurchase=f"{offer.min_purchase:.2f}", currency=settings().currency
        )
    taken = discount(offer, amount)
    applied = Application(
        application_id=operations.derive("application"),
        offer_id=offer.offer_id,
        order_id=data.order_id,
        order_amount=amount,
        discount_amount=taken,
        final_amount=amount - taken,
        applied_at=now,
    )
    return _record(customer_id, offer, applied)


def choose_shard(with_room: list[int]) -> int:
    """The use shard an application counts in, among those with room: at random, so that the
    concurrent applications of a popular offer spread over its shards."""
    return random.choice(with_room)  # noqa: S311 - spreading writes, not security


def _shard(offer: Offer) -> int | None:
    """Where the application counts its use against the total limit (None: the offer has none).
    The shards' counts only grow, so when every shard read is full the offer is sold out."""
    if offer.total_limit is None:
        return None
    with_room = offer.shards_with_room()
    if not with_room:
        raise Conflict("offer_total_limit_reached", limit=offer.total_limit)
    return choose_shard(with_room)


def _record(customer_id: str, offer: Offer, applied: Application) -> OfferApplicationOutput:
    """Count the use against both limits, record the application, count the customer's engagement
    and queue the fraud signal, in one unit of work, tried again while DynamoDB is contended. The
    use against the total limit is counted in a use shard with room: one that another customer
    filled meanwhile fails its condition, and the next try reads the shards again and takes another
    (each such try sees one more shard full, so they are at most as many as the shards)."""
    tries = 0
    current = offer

    def attempt(work: db.UnitOfWork) -> OfferApplicationOutput:
        nonlocal tries, current
        tries += 1
        if tries > 1:
            # a try after the order's record was named failed: it says "already applied" only if
            # the record really exists (a cancellation may name it beside the limit that actually
            # stopped it)
            if repository.application(customer_id, offer.offer_id, applied.order_id) is not None:
                raise Conflict("offer_order_already_applied", orderId=applied.order_id)
            if offer.total_limit is not None:
                current = repository.with_current_uses(current)
        repository.record_application(work, customer_id, current, applied, _shard(current))
        engagement.count_engagement(work, customer_id, "offers_applied")
        queues.signal_fraud(
            work,
            f"offer_application:{applied.application_id}",
            "offer_application",
            customer_id,
            applied.applied_at,
            applicationId=applied.application_id,
            offerId=applied.offer_id,
            orderId=applied.order_id,
            orderAmount=f"{applied.order_amount:.2f}",
            discountAmount=f"{applied.discount_amount:.2f}",
        )
        return OfferApplicationOutput(
            application_id=applied.application_id,
            discount_amount=money(applied.discount_amount),
            final_amount=money(applied.final_amount),
        )

    return operations.retry(
        attempt,
        answer=OfferApplicationOutput,
        retry_on=(repository.OrderRecordFailed, repository.ShardFull),
        attempts=MAX_ATTEMPTS + len(offer.shard_caps()),
        busy="offer_busy",
    )


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
