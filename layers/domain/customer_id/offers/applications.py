"""Applying an offer to an order (`POST /customers/{id}/offers/{offerId}/applications`) within its
per-customer and total limits."""

from __future__ import annotations

import random

from customer_id import clock, db, operations, queues
from customer_id.analytics import engagement
from customer_id.errors import Conflict
from customer_id.money import money
from customer_id.offers import repository
from customer_id.offers.models import Application, Offer
from customer_id.offers.schemas.applications import OfferApplicationInput, OfferApplicationOutput
from customer_id.offers.service import Customer, discount, refusal, require_offer
from customer_id.profile.service import require_profile
from customer_id.settings import settings

MAX_ATTEMPTS = 10


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
    refused = refusal(offer, Customer(profile), repository.uses(customer_id, offer), now)
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
