"""The customer's identity in the Cognito user pool (its `sub` is the customer id)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from customer_id.settings import require, settings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


def delete_user(customer_id: str) -> bool:
    """Delete the customer's user (AdminDeleteUser; the pool's username is the `sub`); False when
    there is none any more (deleted before: a redelivered erasure)."""
    client = _cognito()
    try:
        client.admin_delete_user(
            UserPoolId=require(settings().user_pool_id, "USER_POOL_ID"), Username=customer_id
        )
    except client.exceptions.UserNotFoundException:
        return False
    return True


@cache
def _cognito() -> CognitoIdentityProviderClient:
    import boto3  # only the erasure worker calls Cognito

    return boto3.client("cognito-idp", region_name=settings().region)
