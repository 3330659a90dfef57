"""The security table, keyed by customer (`CUSTOMER#<id>`), and its `SECURITY` record: the risk
(the summed weight of open alerts, the open alert count, a revision every change of it moves) and the
2FA state. The other records, each with the part that uses it:

- `ALERT#<createdAt>#<alertId>` (index `alertsByStatus` on `<status>#<createdAt>#<alertId>`) and
  `ALERTREF#<alertId>` pointing at it: `security.alerts.models`
- `EVENT#<occurredAt>#<eventId>`: the security event log, `security.events.models`
- `DEVICE#<deviceId>`: devices seen; `LAST_LOGIN`: the previous login's time and country;
  `WINDOW#<kind>#<at>#<messageId>`: sliding-window entries for the fraud rules, expiring by TTL;
  `LATCH#<alertType>`: the periods a window rule has alerted on, with a revision:
  `security.fraud.models`
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from customer_id import db


class SecurityTableModel(db.TableModel):
    """The security table's records."""

    Meta = db.meta("security_table")


class SecurityStateRecord(SecurityTableModel):
    open_weight = NumberAttribute(default=0)
    open_alerts = NumberAttribute(default=0)
    risk_revision = NumberAttribute(null=True, attr_name="riskRevision")  # moved by every risk change
    last_evaluated_at = UTCDateTimeAttribute(null=True)
    two_factor_enabled = BooleanAttribute(default=False)
    totp_secret = UnicodeAttribute(null=True)
    pending_totp_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(default=0)
