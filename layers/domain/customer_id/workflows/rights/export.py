"""`GET /customers/{id}/data-export`: everything the service holds about the customer, as one
document. Each part is what the feature's own read answers (the same service functions as its
routes, so the export cannot drift from them); lists are read to the end, 100 at a time; display
texts (segment, alerts, notifications, recommendations) are in the customer's profile language,
whoever asks. Tickets and chats are read as their owner reads them, so internal comments stay out
even when staff export. Purchases are the documents `GET .../purchases/{purchaseId}` answers (with
their returns: one read of all the customer's returns, not one per purchase); redemptions carry
their status (a cancelled one its refund) and the lots their points came from; offer applications
their release (an order returned whole gave the use back).

Size: Lambda answers at most 6 MB (the API Gateway proxy envelope, in which the body is a JSON
string, escaped again). A ticket holds at most 50 comments, but a ledger or an inbox grows with the
years, so the document is measured as it will travel (`MAX_ANSWER_BYTES`, with room for the
envelope's headers) and a document past it is 413 `export-too-large` (never a 502 from Lambda's
limit): such a customer's export needs the asynchronous path (an object in S3 and a presigned link),
which is not built yet."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Protocol

from customer_id import clock
from customer_id.analytics import purchases as analytics
from customer_id.auth import Caller
from customer_id.errors import PayloadTooLarge
from customer_id.loyalty import accounts, transactions
from customer_id.loyalty import repository as ledger
from customer_id.money import money
from customer_id.notifications import inbox, preferences
from customer_id.offers import repository as offers
from customer_id.profile.api import profile_output
from customer_id.profile.service import require_profile
from customer_id.referrals import code_store, referral_list, reward_list
from customer_id.referrals import codes as referral_codes
from customer_id.referrals import repository as referral_records
from customer_id.rewards import listing as rewards
from customer_id.rewards import special_dates
from customer_id.security import profile as security
from customer_id.security.alerts import listing as security_alerts
from customer_id.security.events import listing as security_events
from customer_id.segments import customer as segments
from customer_id.support.chat import repository as chat_records
from customer_id.support.chat import service as chats
from customer_id.support.faq import repository as faq_records
from customer_id.support.tickets import service as tickets
from customer_id.workflows.rights.schemas import (
    DataExport,
    ExportedChat,
    ExportedFaqFeedback,
    ExportedLoyalty,
    ExportedOfferApplication,
    ExportedRedemption,
    ExportedReferredBy,
    ExportedSecurity,
    ExportedSpentLot,
)

PAGE = 100
MAX_ANSWER_BYTES = 6 * 1024 * 1024 - 64 * 1024  # Lambda's 6 MB, less room for the envelope's headers


class _Page[T](Protocol):
    @property
    def items(self) -> list[T]: ...

    @property
    def next_cursor(self) -> str | None: ...


def _all[T](read: Callable[[str | None], _Page[T]]) -> list[T]:
    """Every item of a paginated list, following its cursors."""
    found: list[T] = []
    cursor: str | None = None
    while True:
        page = read(cursor)
        found.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return found


def export(customer_id: str) -> DataExport:
    profile = require_profile(customer_id)
    language = profile.language
    owner = Caller(customer_id=customer_id, roles=frozenset())  # reads as the customer reads
    own_code = code_store.code_of(customer_id)
    referred_by = referral_records.referred_by(customer_id)
    security_profile = security.profile(customer_id, language)
    document = DataExport(
        exported_at=clock.now(),
        profile=profile_output(profile),
        loyalty=ExportedLoyalty(
            account=accounts.get_account(customer_id),
            transactions=_all(lambda cursor: transactions.list_transactions(customer_id, None, PAGE, cursor)),
            redemptions=[_redemption(redemption) for redemption in ledger.redemptions(customer_id)],
        ),
        purchases=analytics.purchase_details(
            customer_id, _all(lambda cursor: analytics.list_purchases(customer_id, None, None, PAGE, cursor))
        ),
        referrals=_all(lambda cursor: referral_list.list_referrals(customer_id, PAGE, cursor)),
        # the customer has a code: create_code answers it, as its route does, and writes nothing
        referral_code=None if own_code is None else referral_codes.create_code(customer_id)[0],
        referred_by=None
        if referred_by is None
        else ExportedReferredBy(
            referral_id=referred_by.referral_id,
            status=referred_by.status,
            created_at=referred_by.created_at,
        ),
        referral_rewards=_all(lambda cursor: reward_list.list_rewards(customer_id, PAGE, cursor)),
        segment=segments.get_segment(customer_id, language),
        offer_applications=[
            ExportedOfferApplication(
                application_id=application.application_id,
                offer_id=application.offer_id,
                order_id=application.order_id,
                order_amount=money(application.order_amount),
                discount_amount=money(application.discount_amount),
                final_amount=money(application.final_amount),
                applied_at=application.applied_at,
                released_at=application.released_at,
            )
            for application in offers.applications(customer_id)
        ],
        notification_preferences=preferences.get_preferences(customer_id),
        notifications=_all(
            lambda cursor: inbox.list_notifications(customer_id, False, PAGE, cursor, language)
        ),
        tickets=[
            tickets.get_ticket(summary.ticket_id, owner)
            for summary in _all(lambda cursor: tickets.list_tickets(customer_id, None, PAGE, cursor))
        ],
        chats=[
            _whole_chat(summary.chat_id, owner)
            for summary in _all(lambda cursor: chats.customer_chats(customer_id, PAGE, cursor))
        ],
        faq_feedback=[
            ExportedFaqFeedback(faq_id=faq_id, helpful=helpful, voted_at=voted_at)
            for faq_id, helpful, voted_at in faq_records.votes_by(customer_id)
        ],
        special_dates=special_dates.get_special_dates(customer_id),
        rewards=rewards.list_rewards(customer_id, None).items,
        security=ExportedSecurity(
            two_factor_enabled=security_profile.two_factor_enabled,
            events=_all(lambda cursor: security_events.list_events(customer_id, PAGE, cursor)),
            alerts=_all(
                lambda cursor: security_alerts.list_alerts(customer_id, None, PAGE, cursor, language)
            ),
        ),
    )
    if answer_size(document) > MAX_ANSWER_BYTES:
        raise PayloadTooLarge("export_too_large", limit=MAX_ANSWER_BYTES)
    return document


def _redemption(redemption: ledger.RedemptionHeld) -> ExportedRedemption:
    return ExportedRedemption(
        **asdict(redemption)
        | {
            "lots": None
            if redemption.lots is None
            else [
                ExportedSpentLot(
                    points=lot.points,
                    transaction_id=lot.transaction_id,
                    earned_at=lot.earned_at,
                    expires_at=lot.expires_at,
                )
                for lot in redemption.lots
            ]
        }
    )


def answer_size(document: DataExport) -> int:
    """The bytes the document takes in Lambda's answer: its JSON, as a string inside the envelope."""
    return len(json.dumps(document.model_dump_json(by_alias=True)).encode())


def _whole_chat(chat_id: str, owner: Caller) -> ExportedChat:
    """The chat with every message (a read answers 100 after a given one) and its closing comment,
    which no read of the chat shows."""
    chat = chats.get_chat(chat_id, None, owner)
    messages = list(chat.messages)
    while messages and len(messages) % chats.MESSAGES_PER_READ == 0:
        more = chats.get_chat(chat_id, messages[-1].message_id, owner).messages
        if not more:
            break
        messages.extend(more)
    stored = chat_records.get_chat(chat_id)
    return ExportedChat(
        **chat.model_dump(exclude={"messages"}),
        messages=messages,
        closing_comment=None if stored is None else stored.closing_comment,
    )
