from __future__ import annotations

import pytest

from customer_id import db
from tests.harness import claims, invoke
from tests.integration.helpers import account, adjust, create_profile, ledger

ME = "customer-outbox"


def _redeem(**options):
    return invoke("CreateLoyaltyRedemptionFunction", path={"customerId": ME}, caller=claims(ME),
                  body={"itemId": "coffee-voucher"}, **options)


def test_signal_relayed(fraud_signals) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    reply = _redeem()
    assert reply.status == 201
    signals = fraud_signals()
    assert [s["messageId"] for s in signals] == [f"redemption:{reply.body['redemptionId']}"]


def test_dies_after_commit(monkeypatch: pytest.MonkeyPatch, fraud_signals) -> None:
    create_profile(ME)
    adjust(ME, 1000)
    real = db.UnitOfWork.commit
    def dying(self):
        real(self)
        raise RuntimeError("died after commit")
    monkeypatch.setattr(db.UnitOfWork, "commit", dying)
    first = _redeem(idempotency_key="k1")
    assert first.status == 500
    monkeypatch.setattr(db.UnitOfWork, "commit", real)
    again = _redeem(idempotency_key="k1")
    assert again.status == 201
    assert [e["type"] for e in ledger(ME)].count("redeem") == 1
    assert account(ME)["pointsBalance"] == 700
    third = _redeem(idempotency_key="k1")
    assert third.body == again.body
    assert len(fraud_signals()) == 1
    other = invoke("CreateLoyaltyRedemptionFunction", path={"customerId": ME}, caller=claims(ME),
                  body={"itemId": "gift-card-10"}, idempotency_key="k1")
    print(other.status, other.body)
