"""API.md's access rules, for every route of the template: no token, another customer's token, and
staff roles. A new function must be added to ACCESS, so no route goes untested."""

from __future__ import annotations

import pytest

from tests.harness import NO_CLAIMS, claims, invoke, sample_event, template

OWNER = "customer-owner"
STRANGER = "customer-stranger"

# logical id -> who may call it, as API.md's tables say
ACCESS = {
    "PutProfileFunction": "self",
    "GetProfileFunction": "self, staff",
    "ListTiersFunction": "public",
    "ListCatalogFunction": "public",
    "GetLoyaltyAccountFunction": "self, staff",
    "ListLoyaltyTransactionsFunction": "self, staff",
    "CreateLoyaltyAdjustmentFunction": "admins",
    "CreateLoyaltyRedemptionFunction": "self",
    "RecordPurchaseFunction": "admins",
    "ListPurchasesFunction": "self, staff",
    "GetAnalyticsSummaryFunction": "self, staff",
    "GetSpendingFunction": "self, staff",
    "GetEngagementFunction": "self, staff",
    "GetSegmentFunction": "self, staff",
    "ListSegmentBenefitsFunction": "self, staff",
    "ListSegmentsFunction": "admins",
    "GetSegmentStatsFunction": "admins",
    "RecalculateSegmentFunction": "admins",
    "CreateOfferFunction": "admins",
    "ListOffersFunction": "self, staff",
    "GetOfferFunction": "self, staff",
    "ApplyOfferFunction": "self",
    "CreateReferralCodeFunction": "self",
    "GetReferralCodeFunction": "public",
    "ApplyReferralFunction": "self",
    "ListReferralsFunction": "self, staff",
    "ListReferralRewardsFunction": "self, staff",
    "GetSpecialDatesFunction": "self, staff",
    "PutSpecialDatesFunction": "self, staff",
    "ListRewardsFunction": "self, staff",
    "ClaimRewardFunction": "self",
    "ListUpcomingRewardsFunction": "self, staff",
    "IssueRewardsFunction": "admins",
    "CreateTicketFunction": "self",
    "ListTicketsFunction": "self, staff",
    "GetTicketFunction": "owner, staff",
    "AddTicketCommentFunction": "owner, staff",
    "UpdateTicketFunction": "owner, staff",
    "ListSupportCategoriesFunction": "public",
    "ListFaqFunction": "public",
    "SearchFaqFunction": "public",
    "CreateFaqFunction": "admins",
    "FaqFeedbackFunction": "signed-in",
    "StartChatFunction": "self",
    "ListChatQueueFunction": "staff",
    "ListCustomerChatsFunction": "self, staff",
    "GetChatFunction": "owner, staff",
    "PostChatMessageFunction": "owner, staff",
    "CloseChatFunction": "owner, staff",
    "GetNotificationPreferencesFunction": "self",
    "PutNotificationPreferencesFunction": "self",
    "ListNotificationsFunction": "self",
    "ReadNotificationFunction": "self",
    "GetSecurityProfileFunction": "self, staff",
    "ListSecurityAlertsFunction": "self, staff",
    "ResolveSecurityAlertFunction": "self, staff",
    "ReportSecurityIssueFunction": "self",
    "ListSecurityEventsFunction": "self, staff",
    "RecordSecurityEventFunction": "admins",
    "TwoFactorFunction": "self",
}
# functions with no HTTP route (schedules, queue consumers) have no access rule
TRIGGERED = {
    "SegmentRefreshFunction",
    "SpecialDateRewardsScheduleFunction",
    "PointsExpiryScheduleFunction",
    "NotificationDispatcherFunction",
    "FraudScorerFunction",
}


def _path(logical_id: str) -> dict[str, str] | None:
    """The sample event's path parameters, for the customer OWNER."""
    sample = sample_event(template().function(logical_id)).get("pathParameters")
    if not sample:
        return None
    return {**sample, **({"customerId": OWNER} if "customerId" in sample else {})}


def _call(logical_id: str, caller: dict[str, str]) -> int:
    return invoke(logical_id, path=_path(logical_id), caller=caller).status


def test_every_function_has_an_access_rule() -> None:
    assert {function.logical_id for function in template().functions()} == set(ACCESS) | TRIGGERED


def test_public_routes_are_exactly_the_public_ones() -> None:
    for function in template().functions():
        if function.logical_id in TRIGGERED:
            continue
        assert function.routes[0].public == (ACCESS[function.logical_id] == "public"), function.logical_id


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule != "public"])
def test_no_token_is_401(logical_id: str) -> None:
    reply = invoke(logical_id, path=_path(logical_id), caller=NO_CLAIMS)
    assert reply.status == 401
    assert reply.content_type == "application/problem+json"
    assert reply.body["status"] == 401


@pytest.mark.parametrize(
    "logical_id", [name for name, rule in ACCESS.items() if rule in ("self", "self, staff")]
)
def test_another_customers_token_is_403(logical_id: str) -> None:
    reply = invoke(logical_id, path=_path(logical_id), caller=claims(STRANGER))
    assert reply.status == 403
    assert reply.content_type == "application/problem+json"


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "self"])
def test_staff_may_not_act_as_the_customer(logical_id: str) -> None:
    assert _call(logical_id, claims("agent-1", "agents")) == 403
    assert _call(logical_id, claims("admin-1", "admins")) == 403


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "self, staff"])
def test_staff_may_read(logical_id: str) -> None:
    # past the access check: the customer has no profile yet, so 404, not 403
    assert _call(logical_id, claims("agent-1", "agents")) == 404
    assert _call(logical_id, claims("admin-1", "admins")) == 404


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "admins"])
def test_admin_routes_refuse_customers_and_agents(logical_id: str) -> None:
    assert _call(logical_id, claims(OWNER)) == 403
    assert _call(logical_id, claims("agent-1", "agents")) == 403


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "public"])
def test_public_routes_need_no_token(logical_id: str) -> None:
    assert _call(logical_id, NO_CLAIMS) not in (401, 403)


def test_access_is_checked_before_input() -> None:
    # another customer's path with a malformed body: 403 (access) wins over 400 (input)
    reply = invoke(
        "PutProfileFunction", path={"customerId": OWNER}, caller=claims(STRANGER), raw_body="{nope"
    )
    assert reply.status == 403


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "staff"])
def test_staff_routes_refuse_customers(logical_id: str) -> None:
    assert _call(logical_id, claims(OWNER)) == 403
    assert _call(logical_id, claims("agent-1", "agents")) == 200


@pytest.mark.parametrize("logical_id", [name for name, rule in ACCESS.items() if rule == "owner, staff"])
def test_a_ticket_or_chat_the_caller_may_not_see_is_404(logical_id: str) -> None:
    # the sample's id exists for nobody; the features' own tests check other owners' real ids
    assert _call(logical_id, claims(STRANGER)) == 404
