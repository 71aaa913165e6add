"""Tenants themselves, which are not tenant-scoped: found by slug, made when missing, and their revision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Tenant


async def tenant_revision(session: AsyncSession, tenant_id: int) -> int:
    """How many audited changes the tenant's records have seen (0 for an unknown tenant)."""
    return await session.scalar(select(Tenant.revision).where(Tenant.id == tenant_id)) or 0


async def find_tenant(session: AsyncSession, slug: str) -> Tenant | None:
    """The tenant called `slug`, or None."""
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def ensure_tenant(session: AsyncSession, *, slug: str, name: str) -> Tenant:
    """The tenant called `slug`, created when missing (tenants themselves are not tenant-scoped)."""
    found = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if found is not None:
        return found
    tenant = Tenant(slug=slug, name=name)
    session.add(tenant)
    await session.flush()
    return tenant


async def tenant_ids(session: AsyncSession) -> list[int]:
    """Every tenant's id (tenants are not tenant-scoped)."""
    return list((await session.scalars(select(Tenant.id).order_by(Tenant.id))).all())
