"""Every read and write of a tenant's records.

A `Repository` is bound to one session and one tenant when it is made, and every statement it issues
starts from `_scoped(model)`, which filters on that tenant: no query can forget it. The caller owns the
transaction (it opens the session and commits or rolls back); the repository only flushes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from db.models import Household, JobOffer, Member, Permit, PermitStatus, Tenant, TenantOwned
from solver.domain import Role

R = TypeVar("R", bound=TenantOwned)


async def ensure_tenant(session: AsyncSession, *, slug: str, name: str) -> Tenant:
    """The tenant called `slug`, created when missing (tenants themselves are not tenant-scoped)."""
    found = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if found is not None:
        return found
    tenant = Tenant(slug=slug, name=name)
    session.add(tenant)
    await session.flush()
    return tenant


class Repository:
    """A tenant's records through one session; every query is filtered by `tenant_id`."""

    def __init__(self, session: AsyncSession, *, tenant_id: int) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def _scoped(self, model: type[R]) -> Select[R]:
        return select(model).where(model.tenant_id == self.tenant_id)

    # --- generic record access ------------------------------------------------------------------

    async def get(self, model: type[R], record_id: int) -> R | None:
        """The record of `model` with `record_id` in this tenant, or None."""
        return await self.session.scalar(self._scoped(model).where(model.id == record_id))

    async def get_many(self, model: type[R], ids: Iterable[int]) -> dict[int, R]:
        """The records of `model` among `ids` in this tenant, by id (missing ids are absent)."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self.session.scalars(self._scoped(model).where(model.id.in_(wanted)))
        return {row.id: row for row in rows}

    async def children(
        self, model: type[R], parent: InstrumentedAttribute[int], parent_ids: Iterable[int]
    ) -> dict[int, list[R]]:
        """The records of `model` whose `parent` column is among `parent_ids`, grouped by parent, by id."""
        wanted = set(parent_ids)
        grouped: dict[int, list[R]] = defaultdict(list)
        if not wanted:
            return grouped
        rows = await self.session.scalars(self._scoped(model).where(parent.in_(wanted)).order_by(model.id))
        for row in rows:
            grouped[getattr(row, parent.key)].append(row)
        return grouped

    async def add(self, model: type[R], values: Mapping[str, Any]) -> R:
        """Insert a record of `model` in this tenant and flush (its id is set on return)."""
        row = model(**values, tenant_id=self.tenant_id)
        self.session.add(row)
        await self.session.flush()
        return row

    async def update(self, row: R, values: Mapping[str, Any]) -> R:
        """Set `values` on `row` (a record of this tenant) and flush."""
        if row.tenant_id != self.tenant_id:
            raise ValueError(f"{type(row).__name__} {row.id} belongs to another tenant")  # a bug, not input
        for key, value in values.items():
            setattr(row, key, value)
        await self.session.flush()
        return row

    async def delete(self, model: type[R], record_id: int) -> bool:
        """Delete the record (its children go by ON DELETE CASCADE); False when there was none."""
        result = await self.session.execute(
            delete(model).where(model.tenant_id == self.tenant_id, model.id == record_id).returning(model.id)
        )
        return result.scalar_one_or_none() is not None

    # --- households -----------------------------------------------------------------------------

    async def list_households(
        self,
        *,
        after_id: int | None = None,
        limit: int,
        name_contains: str | None = None,
        permit_expiring_before: dt.date | None = None,
    ) -> Sequence[Household]:
        """A page of households by id: name filter on the household or a member, or a held permit expiring."""
        query = self._scoped(Household).order_by(Household.id).limit(limit)
        if after_id is not None:
            query = query.where(Household.id > after_id)
        if name_contains:
            needle = name_contains.lower()
            # autoescape: a % or _ in the name is matched literally, not as a LIKE wildcard.
            member_named = exists().where(
                Member.household_id == Household.id,
                Member.tenant_id == self.tenant_id,
                func.lower(Member.name).contains(needle, autoescape=True),
            )
            query = query.where(or_(func.lower(Household.name).contains(needle, autoescape=True), member_named))
        if permit_expiring_before is not None:
            query = query.where(
                exists().where(
                    Member.household_id == Household.id,
                    Permit.member_id == Member.id,
                    Permit.tenant_id == self.tenant_id,
                    Permit.status == PermitStatus.APPROVED,
                    Permit.valid_to < permit_expiring_before,
                )
            )
        return (await self.session.scalars(query)).all()

    async def list_permits(
        self,
        *,
        after_id: int | None = None,
        limit: int,
        expiring_before: dt.date | None = None,
        status: PermitStatus | None = None,
    ) -> Sequence[Permit]:
        """A page of permits by id, optionally only those valid to before a date, or in one status."""
        query = self._scoped(Permit).order_by(Permit.id).limit(limit)
        if after_id is not None:
            query = query.where(Permit.id > after_id)
        if expiring_before is not None:
            query = query.where(Permit.valid_to < expiring_before)
        if status is not None:
            query = query.where(Permit.status == status)
        return (await self.session.scalars(query)).all()

    async def load_household_graph(self, household_id: int) -> Household | None:
        """A household with its members (and their education, tests, work, permits) and offers loaded."""
        query = (
            self._scoped(Household)
            .where(Household.id == household_id)
            .options(
                selectinload(Household.offers),
                selectinload(Household.members).options(
                    selectinload(Member.education),
                    selectinload(Member.language_tests),
                    selectinload(Member.work_history),
                    selectinload(Member.permits),
                ),
            )
        )
        return await self.session.scalar(query)

    async def member_by_role(self, household_id: int, role: Role) -> Member | None:
        """The household's member in `role` (PRINCIPAL or SPOUSE), or None."""
        return await self.session.scalar(
            self._scoped(Member).where(Member.household_id == household_id, Member.role == role)
        )

    async def offer_by_ref(self, household_id: int, ref: str) -> JobOffer | None:
        """The household's offer with `ref`, or None."""
        return await self.session.scalar(
            self._scoped(JobOffer).where(JobOffer.household_id == household_id, JobOffer.ref == ref)
        )
