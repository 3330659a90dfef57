from __future__ import annotations

from typing import Literal

from pydantic import Field

from customer_id.analytics.schemas.purchases import PurchaseDetail
from customer_id.loyalty.schemas.accounts import LoyaltyAccountOutput
from customer_id.loyalty.schemas.transactions import TransactionOutput
from customer_id.money import Money
from customer_id.notifications.schemas.inbox import NotificationOutput
from customer_id.notifications.schemas.preferences import NotificationPreferences
from customer_id.profile.schemas import ProfileOutput
from customer_id.referrals.schemas.codes import ReferralCodeOutput
from customer_id.referrals.schemas.referral_list import ReferralOutput
from customer_id.referrals.schemas.reward_list import ReferralRewardOutput
from customer_id.rewards.schemas.rewards import RewardOutput
from customer_id.rewards.schemas.special_dates import SpecialDatesOutput
from customer_id.schemas import ApiModel, Timestamp
from customer_id.security.schemas.alerts import AlertOutput
from customer_id.security.schemas.events import SecurityEventOutput
from customer_id.segments.schemas.segment import SegmentOutput
from customer_id.support.chat.schemas import ChatOutput
from customer_id.support.tickets.schemas import TicketOutput


class ExportedSpentLot(ApiModel):
    """Points a redemption took from a lot: the lot's credit, when it was earned and expires."""

    points: int
    transaction_id: str = Field(description="The credit (`earn`, `bonus`...) that made the lot")
    earned_at: Timestamp
    expires_at: Timestamp


class ExportedRedemption(ApiModel):
    redemption_id: str
    item_id: str
    voucher_code: str
    points_spent: int
    transaction_id: str
    created_at: Timestamp
    status: Literal["active", "cancelled"] = Field(description="`cancelled`: the voucher is void")
    cancelled_at: Timestamp | None
    refund_transaction_id: str | None = Field(description="A cancelled redemption's `refund` transaction")
    lots: list[ExportedSpentLot] | None = Field(
        description="The lots its points came from, oldest first (null: more than the record holds)"
    )


class ExportedLoyalty(ApiModel):
    account: LoyaltyAccountOutput = Field(description="As `GET /customers/{customerId}/loyalty` answers it")
    transactions: list[TransactionOutput] = Field(description="Every ledger entry, newest first")
    redemptions: list[ExportedRedemption] = Field(description="Every redemption, with its voucher code")


class ExportedFaqFeedback(ApiModel):
    faq_id: str
    helpful: bool
    voted_at: Timestamp


class ExportedOfferApplication(ApiModel):
    application_id: str
    offer_id: str
    order_id: str
    order_amount: Money
    discount_amount: Money
    final_amount: Money
    applied_at: Timestamp
    released_at: Timestamp | None = Field(
        description="When the order was returned whole and the offer's use given back (null: it counts)"
    )


class ExportedReferredBy(ApiModel):
    referral_id: str
    status: str
    created_at: Timestamp


class ExportedChat(ChatOutput):
    """The chat as its owner reads it, every message, and the comment they closed it with."""

    closing_comment: str | None


class ExportedSecurity(ApiModel):
    two_factor_enabled: bool
    events: list[SecurityEventOutput] = Field(description="Every recorded event, newest first")
    alerts: list[AlertOutput] = Field(description="Every alert, open and resolved")


class DataExport(ApiModel):
    """Everything the service holds about the customer, display texts in the customer's language."""

    exported_at: Timestamp
    profile: ProfileOutput
    loyalty: ExportedLoyalty
    purchases: list[PurchaseDetail] = Field(
        description="Every purchase, newest first, as `GET /customers/{customerId}/purchases/{purchaseId}` "
        "answers it (with its returns)"
    )
    referrals: list[ReferralOutput] = Field(description="Every referral the customer made")
    referral_code: ReferralCodeOutput | None = Field(description="The customer's own code, if they made one")
    referred_by: ExportedReferredBy | None = Field(description="The referral the customer applied, if any")
    referral_rewards: list[ReferralRewardOutput] = Field(description="Points granted through referrals")
    segment: SegmentOutput
    offer_applications: list[ExportedOfferApplication]
    notification_preferences: NotificationPreferences
    notifications: list[NotificationOutput] = Field(description="The whole inbox, newest first")
    tickets: list[TicketOutput] = Field(
        description="Each ticket with its comments, internal comments left out"
    )
    chats: list[ExportedChat] = Field(description="Each chat with all of its messages")
    faq_feedback: list[ExportedFaqFeedback] = Field(description="The customer's votes on FAQ items")
    special_dates: SpecialDatesOutput
    rewards: list[RewardOutput]
    security: ExportedSecurity


class ErasureAccepted(ApiModel):
    customer_id: str
    status: Literal["erasing"]
