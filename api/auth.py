"""Authentication: a request's bearer key resolved to a `Principal` (tenant, role, key), or a refusal.

A key is `pp_<key id>_<secret>`: the id finds the stored row (of whichever tenant), the secret must match
its hash, and the key must not be revoked. Unknown, forged, mistyped and revoked keys all get the same
401, so a caller learns nothing about which key ids exist. Only `permitpath serve --dev` lets a request
without a key in, as an admin of the development tenant.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.keys import Role, bearer_token, hash_secret, secret_matches, split_key
from db.repository import ensure_tenant, find_api_key
from schema.auth import Principal

DEV_NAME = "dev"
_INVALID_KEY = "the API key is not valid (unknown, revoked or mistyped); ask your firm's admin for a key"
# Compared against when no key row exists, so a forged id costs the same time as a wrong secret.
_NO_SUCH_HASH = hash_secret("no such key")


@dataclass(frozen=True)
class Unauthenticated:
    """Why a request has no principal; answered with 401 and extensions.code UNAUTHENTICATED."""

    message: str


class TenantDefault:
    """The development tenant of `serve --dev`, created on first use and then remembered."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], slug: str, name: str) -> None:
        self._sessions = sessions
        self._slug = slug
        self._name = name
        self._id: int | None = None
        self._lock = asyncio.Lock()

    async def tenant_id(self) -> int:
        """The tenant's id; looked up (or created) once, so a database that starts late is no problem."""
        if self._id is None:
            async with self._lock:
                if self._id is None:
                    async with self._sessions() as session, session.begin():
                        self._id = (await ensure_tenant(session, slug=self._slug, name=self._name)).id
        return self._id


class Authenticator:
    """Resolves the Authorization header of a request; `dev_tenant` admits requests without one."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, dev_tenant: TenantDefault | None) -> None:
        self._sessions = sessions
        self._dev_tenant = dev_tenant

    async def authenticate(self, authorization: str | None) -> Principal | Unauthenticated:
        """The principal the header names, or why there is none."""
        if authorization is None:
            if self._dev_tenant is not None:
                return Principal(tenant_id=await self._dev_tenant.tenant_id(), role=Role.ADMIN, name=DEV_NAME)
            return Unauthenticated("this endpoint needs an API key: send `Authorization: Bearer pp_...`")
        token = bearer_token(authorization)
        if token is None:
            return Unauthenticated("the Authorization header must read `Bearer <API key>`")
        parts = split_key(token)
        if parts is None:
            return Unauthenticated(_INVALID_KEY)
        key_id, secret = parts
        async with self._sessions() as session:
            row = await find_api_key(session, key_id)
        stored_hash = row.secret_hash if row is not None else _NO_SUCH_HASH
        if not secret_matches(secret, stored_hash) or row is None or row.revoked_at is not None:
            return Unauthenticated(_INVALID_KEY)
        try:
            role = Role(row.role)
        except ValueError:
            return Unauthenticated(_INVALID_KEY)  # a role this version does not know: never more than asked
        return Principal(tenant_id=row.tenant_id, role=role, name=row.name, key_id=row.key_id)
