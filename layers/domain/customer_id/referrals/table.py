"""The referrals table's base record (its keys and its table): the codes (`code_store`) and the
referrals and payouts (`models`) subclass it."""

from __future__ import annotations

from customer_id import db


class ReferralsModel(db.TableModel):
    Meta = db.meta("referrals_table")
