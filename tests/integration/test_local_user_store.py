"""The local stack keeps its user pool's users across restarts (`local_stack/users.py`): on moto's
Cognito, as the stack runs it."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import jwt

from local_stack.template import Template
from local_stack.users import UserStore, _backend_pool

PASSWORD = "Kept-Passw0rd-123"


def _sign_in(pool: Template, email: str) -> dict[str, object]:
    tokens = boto3.client("cognito-idp").initiate_auth(
        ClientId=pool.names["UserPoolClient"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    claims: dict[str, object] = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    return claims


def test_kept_users_come_back_with_their_sub_password_and_groups(aws: Template, tmp_path: Path) -> None:
    cognito, pool_id = boto3.client("cognito-idp"), aws.names["UserPool"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="kept@example.com", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username="kept@example.com", Password=PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="kept@example.com", GroupName="admins")
    before = _sign_in(aws, "kept@example.com")
    UserStore(tmp_path / "users.json", {"UserPool": pool_id}).save()

    pool = _backend_pool(pool_id)  # a restart: the pool is made anew, without users
    pool.users.clear()
    for group in pool.groups.values():
        group.users.clear()
    assert UserStore(tmp_path / "users.json", {"UserPool": pool_id}).restore() == 1

    after = _sign_in(aws, "kept@example.com")
    assert after["sub"] == before["sub"]
    assert after["cognito:groups"] == ["admins"]
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username="kept@example.com")["UserAttributes"]
    assert {"Name": "sub", "Value": before["sub"]} in attributes


def test_every_cognito_change_is_written_at_once(aws: Template, tmp_path: Path) -> None:
    cognito, pool_id = boto3.client("cognito-idp"), aws.names["UserPool"]
    store = UserStore(tmp_path / "users.json", {"UserPool": pool_id})
    store.track()
    try:
        cognito.admin_create_user(UserPoolId=pool_id, Username="new@example.com", MessageAction="SUPPRESS")
        kept = json.loads((tmp_path / "users.json").read_text())["pools"]["UserPool"]
        assert [user["attributes"] for user in kept] == [
            [{"Name": "email", "Value": "new@example.com"}, {"Name": "sub", "Value": kept[0]["sub"]}]
        ]
    finally:
        store.untrack()
