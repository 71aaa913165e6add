"""Authentication: a request's bearer key resolved to a `Principal` (tenant, role, key), or a refusal.

A key is `pp_<key id>_<secret>`: the id finds the stored row (of whichever tenant), the secret must match
its hash, and the key must not be revoked. Unknown, forged, mistyped and revoked keys all get the same
401, so a caller learns nothing about which key ids exist. Only `permitpath serve --dev` lets a request
without a key in, as an admin of the development tenant.

A key found valid is remembered with its tenant's revision (db/models.py `Tenant.revision`, bumped in the
transaction of every audited change, revoking a key included). The next request with that key reads only
the revision: unchanged, the remembered row still stands (and the revision goes on to the read cache);
moved, the row is read again. One short query per request, and a revocation takes effect at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.keys import Role, bearer_token, hash_secret, secret_matches, split_key
from api.lru import Lru
from db.models import ApiKey
from db.repository import ensure_tenant, find_api_key_with_revision, tenant_revision
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


@dataclass(frozen=True)
class _Known:
    """A key row found valid, and the tenant's revision read just before it."""

    tenant_id: int
    role: str
    name: str
    secret_hash: str
    revision: int


class Authenticator:
    """Resolves the Authorization header of a request; `dev_tenant` admits requests without one."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        dev_tenant: TenantDefault | None,
        remembered: int = 10_000,
    ) -> None:
        self._sessions = sessions
        self._dev_tenant = dev_tenant
        self._known: Lru[str, _Known] = Lru(remembered)

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
        known = await self._still_valid(key_id)
        if known is None:
            known = await self._look_up(key_id)
        stored_hash = known.secret_hash if known is not None else _NO_SUCH_HASH
        if not secret_matches(secret, stored_hash) or known is None:
            return Unauthenticated(_INVALID_KEY)
        try:
            role = Role(known.role)
        except ValueError:
            return Unauthenticated(_INVALID_KEY)  # a role this version does not know: never more than asked
        return Principal(tenant_id=known.tenant_id, role=role, name=known.name, key_id=key_id, revision=known.revision)

    async def _still_valid(self, key_id: str) -> _Known | None:
        """The remembered row of `key_id` when its tenant's revision has not moved since, else None."""
        known = self._known.get(key_id)
        if known is None:
            return None
        async with self._sessions() as session:
            if await tenant_revision(session, known.tenant_id) != known.revision:
                return None
        return known

    async def _look_up(self, key_id: str) -> _Known | None:
        """The stored row of `key_id` when it exists and is not revoked (remembered), else None."""
        async with self._sessions() as session:
            found = await find_api_key_with_revision(session, key_id)
        if found is None or found[0].revoked_at is not None:
            self._known.pop(key_id)
            return None
        known = _remember(*found)
        self._known.put(key_id, known)
        return known


def _remember(row: ApiKey, revision: int) -> _Known:
    return _Known(tenant_id=row.tenant_id, role=row.role, name=row.name, secret_hash=row.secret_hash, revision=revision)
