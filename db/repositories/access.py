"""Who may call and what they may send: a tenant's API keys and its trusted (persisted) documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ApiKey, PersistedDocument, Tenant
from db.repositories.scoped import TenantScoped


async def find_api_key(session: AsyncSession, key_id: str) -> ApiKey | None:
    """The key with `key_id`, of whichever tenant (the key is what names the tenant)."""
    return await session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))


@dataclass(frozen=True)
class KeyStanding:
    """What a key check reads of a key: its row's columns that decide, and its tenant's revision."""

    tenant_id: int
    role: str
    name: str
    secret_hash: str
    revoked: bool
    revision: int


# Plain columns, not an ORM entity: this runs on every request, and no identity map is wanted for it.
_KEY_STANDING = select(
    ApiKey.tenant_id, ApiKey.role, ApiKey.name, ApiKey.secret_hash, ApiKey.revoked_at.is_not(None), Tenant.revision
).join(Tenant, Tenant.id == ApiKey.tenant_id)


async def find_api_key_with_revision(session: AsyncSession, key_id: str) -> KeyStanding | None:
    """The key with `key_id` and its tenant's revision, read in one statement (so from one snapshot)."""
    row = (await session.execute(_KEY_STANDING.where(ApiKey.key_id == key_id))).first()
    return None if row is None else KeyStanding(*row)


class Access(TenantScoped):
    """The tenant's API keys and trusted documents, revoked ones included (marked)."""

    async def api_keys(self) -> Sequence[ApiKey]:
        """The tenant's keys, oldest first (revoked ones included, marked)."""
        return (await self.session.scalars(self._scoped(ApiKey).order_by(ApiKey.id))).all()

    async def revoke_api_key(self, key_id: str) -> ApiKey | None:
        """Revokes the tenant's key `key_id` (idempotent); None when the tenant has no such key."""
        key = await self.session.scalar(self._scoped(ApiKey).where(ApiKey.key_id == key_id))
        if key is not None and key.revoked_at is None:
            await self.update(key, {"revoked_at": dt.datetime.now(dt.UTC)})
        return key

    async def firm_language(self) -> str | None:
        """The firm's language setting ("en", "fr"), or None when it has none."""
        return await self.session.scalar(select(Tenant.language).where(Tenant.id == self.tenant_id))

    async def set_firm_language(self, language: str | None) -> str | None:
        """Sets the firm's language (None: no setting), audited as a change of the tenant's record."""
        tenant = await self.session.scalar(select(Tenant).where(Tenant.id == self.tenant_id).with_for_update())
        if tenant is None:
            raise ValueError(f"no tenant {self.tenant_id}")  # a bug: a principal names an existing tenant
        if tenant.language != language:
            change = {"language": {"from": tenant.language, "to": language}}
            tenant.language = language
            await self.session.flush()
            await self._audit("update", Tenant, tenant.id, change)
        return language

    async def trusted_document(self, digest: str) -> str | None:
        """The text of the tenant's registered, unrevoked document with sha256 `digest`."""
        return await self.session.scalar(
            select(PersistedDocument.text).where(
                PersistedDocument.tenant_id == self.tenant_id,
                PersistedDocument.digest == digest,
                PersistedDocument.revoked_at.is_(None),
            )
        )

    async def documents(self) -> Sequence[PersistedDocument]:
        """The tenant's registered documents, oldest first (revoked ones included, marked)."""
        return (await self.session.scalars(self._scoped(PersistedDocument).order_by(PersistedDocument.id))).all()

    async def register_documents(self, manifest: Mapping[str, str]) -> list[PersistedDocument]:
        """Registers `{sha256 hex: text}` (already checked); a revoked document registered again is restored."""
        stored = []
        for digest, operation in manifest.items():
            row = await self.session.scalar(self._scoped(PersistedDocument).where(PersistedDocument.digest == digest))
            if row is None:
                row = await self.add(PersistedDocument, {"digest": digest, "text": operation})
            elif row.revoked_at is not None:
                row = await self.update(row, {"revoked_at": None})
            stored.append(row)
        return stored

    async def revoke_document(self, digest: str) -> PersistedDocument | None:
        """Revokes the tenant's document `digest` (idempotent); None when the tenant never registered it."""
        row = await self.session.scalar(self._scoped(PersistedDocument).where(PersistedDocument.digest == digest))
        if row is not None and row.revoked_at is None:
            await self.update(row, {"revoked_at": dt.datetime.now(dt.UTC)})
        return row
