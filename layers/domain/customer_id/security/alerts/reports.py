"""POST /customers/{customerId}/security/reports: the customer reports a problem; it raises an alert."""

from __future__ import annotations

from customer_id import db, operations
from customer_id.i18n import Language
from customer_id.profile.service import require_profile
from customer_id.security.alerts import repository
from customer_id.security.alerts.output import alert_output
from customer_id.security.alerts.repository import RiskMoved
from customer_id.security.alerts.staging import alert_id_for, stage_alert
from customer_id.security.schemas.alerts import AlertOutput
from customer_id.security.schemas.reports import ReportInput

REPORT_WEIGHTS = {"account_takeover": 60, "unrecognized_transaction": 40, "phishing": 20, "other": 10}


def report(customer_id: str, data: ReportInput, language: Language) -> AlertOutput:
    """The report's alert, once per operation: its fact derives from the operation."""
    require_profile(customer_id)
    fact = f"report:{operations.derive('report')}"
    alert_type = f"customer_report_{data.category}"

    def attempt(work: db.UnitOfWork) -> AlertOutput:
        alert = stage_alert(work, customer_id, alert_type, REPORT_WEIGHTS[data.category], fact)
        if alert is None:  # stored by an execution that lost its answer: answer with it
            alert = repository.alert(customer_id, alert_id_for(fact, alert_type))
            assert alert is not None
        return alert_output(alert, language)

    return operations.retry(attempt, answer=AlertOutput, retry_on=(RiskMoved,), attempts=10)
