"""The offers table: the only code that reads or writes offer records."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from pynamodb.exceptions import DoesNotExist

from customer_id import db
from customer_id.clock import iso
from customer_id.db import customer_key
from customer_id.errors import Conflict
from customer_id.offers.models import (
    LOOKUP_SK,
    OFFERS_PK,
    USES_SK,
    Application,
    Offer,
    OfferApplicationRecord,
    OfferLookupRecord,
    OfferRecord,
    OfferUsageRecord,
    OfferUsesRecord,
    Targeting,
    application_key,
    lookup_key,
    offer_key,
    shard_caps,
    usage_key,
    uses_key,
)


class OrderRecordFailed(Exception):
    """The application's record was named failed: the order took this offer already, or (a
    cancellation may name it beside the limit that really stopped it) nothing was written and the
    application should be decided again, with the order's record read first."""


class ShardFull(Exception):
    """The use shard the application counted in was full: another customer took its last use since
    it was read. Read the shards again and count in another one with room."""


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _offer(record: OfferRecord, shard_uses: dict[str, int]) -> Offer:
    """The offer from its record and the uses its shards hold (by key; a shard never written: 0)."""
    before = int(record.used_count or 0)  # counted on the offer's record, before the shards
    uses = tuple(shard_uses.get(key, 0) for key in _uses_keys(record))
    return Offer(
        offer_id=record.offer_id,
        title=dict(record.title.as_dict()),
        description=dict(record.description.as_dict()),
        discount_type=record.discount_type,
        discount_value=Decimal(record.discount_value),
        min_purchase=_decimal(record.min_purchase),
        max_discount=_decimal(record.max_discount),
        targeting=Targeting(
            segments=tuple(record.segments) if record.segments is not None else None,
            tiers=tuple(record.tiers) if record.tiers is not None else None,
            new_customers_only=bool(record.new_customers_only),
        ),
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        per_customer_limit=int(record.per_customer_limit),
        total_limit=int(record.total_limit) if record.total_limit is not None else None,
        created_at=record.created_at,
        used_count=before + sum(uses),
        shard_uses=uses,
    )


def _uses_keys(record: OfferRecord) -> list[str]:
    if record.total_limit is None:
        return []
    caps = shard_caps(int(record.total_limit) - int(record.used_count or 0))
    return [uses_key(record.offer_id, shard) for shard in range(len(caps))]


def _shard_uses(records: list[OfferRecord]) -> dict[str, int]:
    """What the use shards of these offers hold, by key."""
    return _read_uses([key for record in records for key in _uses_keys(record)])


def _read_uses(keys: list[str]) -> dict[str, int]:
    """The uses these shards hold, by key (a shard never written is absent): one BatchGetItem,
    strongly consistent (pynamodb splits it in requests of 100 keys and asks again for any key left
    unprocessed)."""
    if not keys:
        return {}
    records = OfferUsesRecord.batch_get([(key, USES_SK) for key in keys], consistent_read=True)
    return {record.pk: int(record.used or 0) for record in records}


def with_current_uses(offer: Offer) -> Offer:
    """The offer with its use shards read again."""
    keys = [uses_key(offer.offer_id, shard) for shard in range(len(offer.shard_caps()))]
    read = _read_uses(keys)
    uses = tuple(read.get(key, 0) for key in keys)
    before = offer.used_count - sum(offer.shard_uses)
    return replace(offer, used_count=before + sum(uses), shard_uses=uses)


def create_offer(offer: Offer) -> None:
    """The offer and its lookup by id, in one step."""
    sk = offer_key(offer.valid_until, offer.offer_id)
    record = OfferRecord(
        pk=OFFERS_PK,
        sk=sk,
        offer_id=offer.offer_id,
        title=offer.title,
        description=offer.description,
        discount_type=offer.discount_type,
        discount_value=_text(offer.discount_value),
        min_purchase=_text(offer.min_purchase),
        max_discount=_text(offer.max_discount),
        segments=list(offer.targeting.segments) if offer.targeting.segments is not None else None,
        tiers=list(offer.targeting.tiers) if offer.targeting.tiers is not None else None,
        new_customers_only=offer.targeting.new_customers_only,
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        per_customer_limit=offer.per_customer_limit,
        total_limit=offer.total_limit,
        created_at=offer.created_at,
    )
    work = db.UnitOfWork()  # a new id: a failed condition is a bug
    work.put(record, OfferRecord.sk.does_not_exist())
    work.put(
        OfferLookupRecord(pk=lookup_key(offer.offer_id), sk=LOOKUP_SK, offer_sk=sk),
        OfferLookupRecord.sk.does_not_exist(),
    )
    work.commit()


def get_offer(offer_id: str) -> Offer | None:
    try:
        lookup = OfferLookupRecord.get(lookup_key(offer_id), LOOKUP_SK, consistent_read=True)
        record = OfferRecord.get(OFFERS_PK, lookup.offer_sk, consistent_read=True)
    except DoesNotExist:
        return None
    return _offer(record, _shard_uses([record]))


def offers_valid_after(moment: datetime) -> list[Offer]:
    """Every offer whose `validUntil` is after `moment` (including those that have not started)."""
    # keys end in `#<offerId>`: '\uffff' sorts after any id, so an offer ending exactly at `moment` is out
    records = list(
        OfferRecord.query(
            OFFERS_PK,
            OfferRecord.sk.between(f"OFFER#{iso(moment)}#\uffff", "OFFER$"),  # '$' sorts right after '#'
            consistent_read=True,
        )
    )
    uses = _shard_uses(records)
    return [_offer(record, uses) for record in records]


def uses_of_offers_valid_after(customer_id: str, moment: datetime) -> dict[str, int]:
    """How often the customer applied each offer whose `validUntil` is after `moment`, by offer id."""
    records = OfferUsageRecord.query(
        customer_key(customer_id),
        OfferUsageRecord.sk.between(f"USAGE#{iso(moment)}#\uffff", "USAGE$"),
        consistent_read=True,
    )
    return {record.sk.rsplit("#", 1)[1]: int(record.uses) for record in records}


def uses(customer_id: str, offer: Offer) -> int:
    try:
        record = OfferUsageRecord.get(
            customer_key(customer_id), usage_key(offer.valid_until, offer.offer_id), consistent_read=True
        )
    except DoesNotExist:
        return 0
    return int(record.uses)


def application(customer_id: str, offer_id: str, order_id: str) -> Application | None:
    try:
        record = OfferApplicationRecord.get(
            customer_key(customer_id), application_key(offer_id, order_id), consistent_read=True
        )
    except DoesNotExist:
        return None
    return _application(record)


def record_application(
    work: db.UnitOfWork, customer_id: str, offer: Offer, applied: Application, shard: int | None
) -> None:
    """Record the application (once per order) and count the use against the customer's limit and,
    when the offer has a total limit, in its use shard `shard` (below that shard's cap; None: the
    offer has no total limit, and nothing counts the uses of all customers). A failed condition
    means, in this order: the order's record exists (`OrderRecordFailed`: read it to tell), the
    customer's own limit is reached, the shard is full (`ShardFull`: count in another)."""
    customer = customer_key(customer_id)
    work.put(
        OfferApplicationRecord(
            pk=customer,
            sk=application_key(offer.offer_id, applied.order_id),
            application_id=applied.application_id,
            offer_id=applied.offer_id,
            order_id=applied.order_id,
            order_amount=_text(applied.order_amount),
            discount_amount=_text(applied.discount_amount),
            final_amount=_text(applied.final_amount),
            applied_at=applied.applied_at,
        ),
        OfferApplicationRecord.sk.does_not_exist(),
        fails_with=OrderRecordFailed(),
    )
    work.update(
        OfferUsageRecord(pk=customer, sk=usage_key(offer.valid_until, offer.offer_id)),
        [OfferUsageRecord.uses.add(1)],
        OfferUsageRecord.uses.does_not_exist() | (OfferUsageRecord.uses < offer.per_customer_limit),
        fails_with=Conflict("offer_customer_limit_reached", limit=offer.per_customer_limit),
    )
    if shard is not None:
        cap = offer.shard_caps()[shard]
        work.update(
            OfferUsesRecord(pk=uses_key(offer.offer_id, shard), sk=USES_SK),
            [OfferUsesRecord.used.add(1)],
            OfferUsesRecord.used.does_not_exist() | (OfferUsesRecord.used < cap),
            fails_with=ShardFull(),
        )


def unreleased_applications_of_order(customer_id: str, order_id: str) -> list[tuple[str, str]]:
    """(offer id, application key) of every offer applied to the customer's order and not released:
    a Query of the customer's applications, filtered on the order (a return, rare, reads them)."""
    records = OfferApplicationRecord.query(
        customer_key(customer_id),
        OfferApplicationRecord.sk.startswith("APPLICATION#"),
        filter_condition=(OfferApplicationRecord.order_id == order_id)
        & OfferApplicationRecord.released_at.does_not_exist(),
        consistent_read=True,
    )
    return [(record.offer_id, record.sk) for record in records]


def release_application(
    work: db.UnitOfWork, customer_id: str, offer: Offer, application_sk: str, at: datetime
) -> None:
    """Give the application's use back: marked released, the customer's use count and (for an offer
    with a total limit) one use shard that holds a use, as last read, one down. The caller's lock on
    the customer (the loyalty account) serializes it with the customer's other returns."""
    customer = customer_key(customer_id)
    work.update(
        OfferApplicationRecord(pk=customer, sk=application_sk), [OfferApplicationRecord.released_at.set(at)]
    )
    work.update(
        OfferUsageRecord(pk=customer, sk=usage_key(offer.valid_until, offer.offer_id)),
        [OfferUsageRecord.uses.add(-1)],
    )
    used = [shard for shard, uses in enumerate(offer.shard_uses) if uses > 0]
    if used:
        work.update(
            OfferUsesRecord(pk=uses_key(offer.offer_id, used[-1]), sk=USES_SK), [OfferUsesRecord.used.add(-1)]
        )


def applications(customer_id: str) -> list[Application]:
    """Every offer application of the customer (for their data export), in key order."""
    return [
        _application(record)
        for record in OfferApplicationRecord.query(
            customer_key(customer_id),
            OfferApplicationRecord.sk.startswith("APPLICATION#"),
            consistent_read=True,
        )
    ]


def _application(record: OfferApplicationRecord) -> Application:
    """An application as the domain holds it, from its stored record."""
    return Application(
        application_id=record.application_id,
        offer_id=record.offer_id,
        order_id=record.order_id,
        order_amount=Decimal(record.order_amount),
        discount_amount=Decimal(record.discount_amount),
        final_amount=Decimal(record.final_amount),
        applied_at=record.applied_at,
        released_at=record.released_at,
    )
