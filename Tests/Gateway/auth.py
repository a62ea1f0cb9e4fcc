"""Request authentication: Kong's `apikey` check, then PostgREST's JWT check (reference §4.3, §5.1, §5.2).

`apikey` (header, else query parameter) must be the anon or the service-role key,
or the request never reaches PostgREST. Then `Authorization: Bearer <jwt>` is
verified with HS256 and the shared secret (30 s leeway on exp/nbf/iat); the role
comes from the `role` claim; no token means the anonymous role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

import jwt

from gateway_errors import ApiError, KongError


@dataclass(frozen=True)
class Identity:
    """Who a request runs as: the database role and the claims given to SQL as request.jwt.claims."""

    role: str
    claims: dict
    anonymous: bool

    def claims_json(self) -> str:
        return json.dumps(self.claims, separators=(",", ":"))


def _jwt_error(code: str, message: str) -> ApiError:
    challenge = f'Bearer error="invalid_token", error_description="{message}"'
    return ApiError(401, code, message, headers=[("WWW-Authenticate", challenge)])


class Authenticator:
    """Checks API keys and JWTs with the secrets given on the command line."""

    def __init__(
        self,
        jwt_secret: str,
        anon_key: str,
        service_key: str,
        anon_role: str = "anon",
        audience: Optional[str] = None,
    ):
        self.jwt_secret = jwt_secret
        self.keys = {anon_key, service_key}
        self.anon_role = anon_role
        self.audience = audience

    def check_api_key(self, headers, query_pairs: list) -> list:
        """Kong key-auth; returns the query pairs without `apikey` (the gateway strips it)."""
        header_values = headers.get_all("apikey") or []
        if len(header_values) > 1:
            raise KongError("Duplicate API key found")
        if header_values:
            key = header_values[0]
        else:
            query_keys = [v for k, v in query_pairs if k == "apikey"]
            if len(query_keys) > 1:
                raise KongError("Duplicate API key found")
            key = query_keys[0] if query_keys else None
        if key is None:
            raise KongError("No API key found in request", [("WWW-Authenticate", 'Key realm="kong"')])
        if key not in self.keys:
            raise KongError("Invalid authentication credentials")
        return [(k, v) for k, v in query_pairs if k != "apikey"]

    def authenticate(self, headers) -> Identity:
        """The role and claims for `Authorization`; raises 401 PGRST301/PGRST303 for bad tokens."""
        authorization = headers.get("Authorization")
        if authorization is None or not authorization[:7].lower() == "bearer ":
            if authorization is not None and authorization.strip().lower() == "bearer":
                raise _jwt_error("PGRST301", "Empty JWT is sent in Authorization header")
            return self._anonymous({})
        token = authorization[7:].strip()
        if not token:
            raise _jwt_error("PGRST301", "Empty JWT is sent in Authorization header")
        parts = token.count(".") + 1
        if parts != 3:
            raise _jwt_error("PGRST301", f"Expected 3 parts in JWT; got {parts}")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _jwt_error("PGRST301", "JWT cryptographic operation failed")
        if header.get("alg") != "HS256":
            raise _jwt_error("PGRST301", "Wrong or unsupported encoding algorithm")
        try:
            claims = jwt.decode(
                token,
                self.jwt_secret,
                algorithms=["HS256"],
                leeway=30,
                audience=self.audience,
                options={"verify_aud": self.audience is not None, "require": []},
            )
        except jwt.ExpiredSignatureError:
            raise _jwt_error("PGRST303", "JWT expired")
        except jwt.ImmatureSignatureError as error:
            text = "JWT issued at future" if "iat" in str(error) else "JWT not yet valid"
            raise _jwt_error("PGRST303", text)
        except jwt.InvalidAudienceError:
            raise _jwt_error("PGRST303", "JWT not in audience")
        except jwt.DecodeError as error:
            text = str(error)
            for claim in ("exp", "nbf", "iat"):
                if f"({claim})" in text:
                    raise _jwt_error("PGRST303", f"The JWT '{claim}' claim must be a number")
            raise _jwt_error("PGRST301", "JWT cryptographic operation failed")
        except jwt.PyJWTError:
            raise _jwt_error("PGRST301", "JWT cryptographic operation failed")
        role = claims.get("role")
        if not isinstance(role, str) or not role:
            return self._anonymous(claims)
        claims = dict(claims)
        return Identity(role, claims, role == self.anon_role)

    def _anonymous(self, claims: dict) -> Identity:
        claims = dict(claims)
        claims["role"] = self.anon_role
        return Identity(self.anon_role, claims, True)
