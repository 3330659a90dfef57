"""GET /customers/{customerId}/security: risk, 2FA, hold, open alerts and recommendations."""

from __future__ import annotations

from customer_id.errors import NotFound
from customer_id.i18n import Language, text
from customer_id.loyalty.account import get_account
from customer_id.profile.service import require_profile
from customer_id.security import repository
from customer_id.security.levels import risk_level
from customer_id.security.schemas.profile import SecurityProfile


def profile(customer_id: str, language: Language) -> SecurityProfile:
    require_profile(customer_id)
    state = repository.state(customer_id)
    account = get_account(customer_id)
    if account is None:  # opened with the profile: missing means there is no profile
        raise NotFound("profile_not_found", customerId=customer_id)
    score = min(100, max(0, int(state.open_weight or 0)))
    open_alerts = int(state.open_alerts or 0)
    recommendations = []
    if not state.two_factor_enabled:
        recommendations.append(text("recommendation.enable_two_factor", language))
    if open_alerts:
        recommendations.append(text("recommendation.review_alerts", language, count=open_alerts))
    if account.redemption_hold:
        recommendations.append(text("recommendation.contact_support", language))
    if score >= 30:
        recommendations.append(text("recommendation.change_password", language))
    return SecurityProfile(
        risk_score=score,
        risk_level=risk_level(score),
        two_factor_enabled=bool(state.two_factor_enabled),
        redemption_hold=account.redemption_hold,
        open_alerts=open_alerts,
        last_evaluated_at=state.last_evaluated_at,
        recommendations=recommendations,
    )
