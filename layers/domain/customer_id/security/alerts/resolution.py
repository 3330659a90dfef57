"""POST /customers/{customerId}/security/alerts/{alertId}/resolution: legitimate or fraud."""

from __future__ import annotations

from dataclasses import replace

from customer_id import clock, db, operations
from customer_id.auth import Caller
from customer_id.errors import Conflict, NotFound
from customer_id.i18n import Language
from customer_id.profile.service import require_profile
from customer_id.security.alerts import repository
from customer_id.security.alerts.output import alert_output
from customer_id.security.alerts.repository import RiskMoved
from customer_id.security.alerts.staging import stage_hold, stage_lift
from customer_id.security.schemas.alerts import AlertOutput


def resolve(
    customer_id: str, alert_id: str, resolution: str, caller: Caller, language: Language
) -> AlertOutput:
    """`fraud` puts a redemption hold; `legitimate` resolves the alert, and only staff's lifts a
    hold. The resolution, its effect on the risk, the hold and its notification are one unit of
    work, done once per operation (`Idempotency-Key`). A customer's own `legitimate` on a window
    rule's alert is remembered: the rule's next trip while its activity goes on counts this
    alert's weight again (`fraud.scoring`)."""
    require_profile(customer_id)
    resolved_by = "staff" if caller.is_staff else "customer"

    def attempt(work: db.UnitOfWork) -> AlertOutput:
        alert = repository.alert(customer_id, alert_id)
        if alert is None:
            raise NotFound("alert_not_found", alertId=alert_id)
        if alert.status != "open":
            raise Conflict("alert_already_resolved")
        now = clock.now()
        repository.resolve_alert(work, alert, resolution, resolved_by, now, repository.risk(customer_id))
        if resolution == "fraud":
            stage_hold(work, customer_id, f"resolution:{alert_id}")
        elif caller.is_staff:
            stage_lift(work, customer_id)
        resolved = replace(
            alert, status="resolved", resolved_at=now, resolution=resolution, resolved_by=resolved_by
        )
        return alert_output(resolved, language)

    return operations.retry(attempt, answer=AlertOutput, retry_on=(RiskMoved,), attempts=10)
