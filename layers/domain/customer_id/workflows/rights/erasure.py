"""Erasure (`DELETE /customers/{id}`): the customer is gone at once, their data within seconds.

The request writes, in one unit of work, the erasure mark (`customer_id.erasures`: from then on
every `/customers/{id}/...` route answers 404, whoever asks; a second DELETE is 404 by the mark's
condition) and the sweep's first step to the outbox. The relay sends it to the erasure queue, whose
worker (`work`) does one bounded step per message and puts the next step(s) into the outbox:

1. `referrals` (25 of the customer's referrals a step): those still pending are rejected (they
   can pay a customer who is gone no more); then the customer's code stops resolving, and in the
   list of whoever referred them the customer shows as `Deleted customer` (that referrer's
   status, points and stats stand).
2. `tickets`, `chats` (25 a step, following their cursor): the customer's texts in them become
   `[erased]`; staff's texts and the records themselves stay for the support history.
3. then, in parallel: `clear` for each table that keys by customer (100 items a step, until none is
   left: the profile, the ledger, lots and redemptions, purchases with their returns and id
   lookups, and aggregates, the segment assignment, offer uses and applications (released or not),
   referral items, special dates and rewards, the chat index, preferences,
   inbox and delivery records, security events, devices, alerts, windows and 2FA state), and
   `identity`: the Cognito user is deleted.

What others rely on is not in the customer's partitions and stays: another customer's referral and
payout, the segments' counters, the offers' use counts, FAQ helpful counts. The mark stays too.

Every step is idempotent and redelivery-safe: it overwrites or deletes, and a step's message id
names the customer, the step and its page, so a step done twice emits the same next message (the
outbox item is overwritten with itself; its second delivery finds nothing left to do). A step that
keeps failing ends in the erasure dead-letter queue, which has an alarm."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from customer_id import clock, db, erasures, identity, observability, outbox
from customer_id.auth import Caller
from customer_id.profile.service import require_profile
from customer_id.referrals import code_store as referral_codes
from customer_id.referrals import qualification as referral_rules
from customer_id.referrals import repository as referrals
from customer_id.referrals.models import Referral, ReferralItemRecord
from customer_id.schemas import ApiModel
from customer_id.support.chat import repository as chats
from customer_id.support.tickets import repository as tickets
from customer_id.workflows.rights.schemas import ErasureAccepted

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

TEXTS_PER_STEP = 25  # tickets or chats, each with its comments or messages
ITEMS_PER_STEP = 100  # items deleted from one table

Step = Literal["referrals", "tickets", "chats", "clear", "identity"]


class ErasureStep(ApiModel):
    """A message of the erasure queue: one bounded step of one customer's sweep."""

    message_id: str
    customer_id: str
    step: Step
    table: str | None = Field(default=None, description="`clear`: the settings name of the table")
    page: int = 0
    start: dict[str, Any] | None = Field(default=None, description="`tickets`, `chats`: where to go on")


def request_erasure(customer_id: str, caller: Caller) -> ErasureAccepted:
    require_profile(customer_id)  # a customer who never had a profile has nothing to erase: 404
    requested_by = "self" if caller.customer_id == customer_id else "admin"

    def attempt(work: db.UnitOfWork) -> None:
        erasures.mark(work, customer_id, clock.now(), requested_by)  # or 404: already erased
        _emit(work, ErasureStep(message_id="", customer_id=customer_id, step="referrals"))

    db.retry(attempt)
    return ErasureAccepted(customer_id=customer_id, status="erasing")


def _emit(work: db.UnitOfWork, step: ErasureStep) -> None:
    message_id = f"erasure:{step.customer_id}:{step.step}:{step.table or ''}:{step.page}"
    outbox.emit(work, "erasure", message_id, step.model_copy(update={"message_id": message_id}))


def _then(*steps: ErasureStep) -> None:
    work = db.UnitOfWork()
    for step in steps:
        _emit(work, step)
    work.commit()


def do(step: ErasureStep) -> dict[str, Any]:
    """One step (see the module's docstring); what it did, for the log."""
    customer = step.customer_id
    if step.step == "referrals":
        records, next_key = referrals.referrals_page(customer, TEXTS_PER_STEP, step.start)
        closed = sum(_close_if_pending(customer, record) for record in records)
        if next_key is not None:
            _then(step.model_copy(update={"page": step.page + 1, "start": _plain(next_key)}))
            return {"closed": closed, "more": True}
        referral_codes.forget_code(customer)
        referrals.forget_referee(customer)
        _then(ErasureStep(message_id="", customer_id=customer, step="tickets"))
        return {"closed": closed, "more": False}
    if step.step in ("tickets", "chats"):
        erase = tickets.erase_texts if step.step == "tickets" else chats.erase_chat_texts
        next_key = erase(customer, TEXTS_PER_STEP, step.start)
        if next_key is not None:
            _then(step.model_copy(update={"page": step.page + 1, "start": _plain(next_key)}))
        elif step.step == "tickets":
            _then(ErasureStep(message_id="", customer_id=customer, step="chats"))
        else:
            _then(
                *(
                    ErasureStep(message_id="", customer_id=customer, step="clear", table=table)
                    for table in erasures.CUSTOMER_TABLES
                ),
                ErasureStep(message_id="", customer_id=customer, step="identity"),
            )
        return {"more": next_key is not None}
    if step.step == "clear":
        assert step.table in erasures.CUSTOMER_TABLES, step.table
        deleted = erasures.clear_partition(step.table, customer, ITEMS_PER_STEP)
        if deleted:  # perhaps more: the next step finds out
            _then(step.model_copy(update={"page": step.page + 1}))
        return {"deleted": deleted}
    return {"userDeleted": identity.delete_user(customer)}


def _close_if_pending(referrer_id: str, record: ReferralItemRecord) -> bool:
    """A referral the customer made that has not qualified yet can pay its referrer no more: it is
    rejected (the referee's `REFERRED_BY` says so; the referrer's side goes with their partition),
    so the referee's next purchase neither pays a customer who is gone nor writes into their
    partition again. Whether it was pending, and is no more."""
    if record.status != "pending":
        return False
    referral = Referral(
        referral_id=record.referral_id,
        referrer_id=referrer_id,
        referee_id=record.referee_id,
        status=record.status,
        created_at=record.created_at,
        referrer_item=record.sk,
    )
    try:
        db.retry(lambda work: referral_rules.stage_conclusion(work, referral, "rejected", clock.now()))
    except referrals.NotPending:  # concluded meanwhile (a qualifying purchase won): it stands
        return False
    return True


def _plain(key: dict[str, Any]) -> dict[str, Any]:
    """A resume key as JSON (DynamoDB's attribute-value form is JSON already)."""
    plain: dict[str, Any] = json.loads(json.dumps(key))
    return plain


def worker(record: SQSRecord) -> dict[str, Any]:
    """The erasure queue's consumer: one step per message (raising reports it alone as failed)."""
    step = ErasureStep.model_validate_json(record.body)
    done = do(step)
    observability.logger().info(
        "erasure step done", extra={"step": step.step, "table": step.table, "page": step.page, "done": done}
    )
    return done
