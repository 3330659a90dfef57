"""What API Gateway's Cognito authorizer does, locally: the ID token's signature is checked against
the user pool's JWKS (served by moto), with its expiry, issuer, audience and `token_use`."""

from __future__ import annotations

from typing import Any

import jwt


class TokenRejected(Exception):
    pass


class CognitoAuthorizer:
    def __init__(self, endpoint_url: str, region: str, user_pool_id: str, client_ids: list[str]) -> None:
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.audience = client_ids
        self._keys = jwt.PyJWKClient(f"{endpoint_url}/{user_pool_id}/.well-known/jwks.json", cache_keys=True)

    def claims(self, authorization: str | None) -> dict[str, str]:
        """The claims as API Gateway passes them to a REST API function: every value a string."""
        if not authorization or not authorization.startswith("Bearer "):
            raise TokenRejected("no bearer token")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "aud", "iss", "token_use"]},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise TokenRejected(str(error)) from error
        if claims.get("token_use") != "id":
            raise TokenRejected("not an ID token")
        return {
            key: ",".join(value) if isinstance(value, list) else str(value) for key, value in claims.items()
        }
