"""A tenant's households and their records: members (education, tests, work, permits) and offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists, func, or_
from sqlalchemy.orm import selectinload

from db.models import Household, JobOffer, Member, Permit, PermitStatus
from db.repositories.scoped import TenantScoped
from solver.domain import Role


class Households(TenantScoped):
    """The tenant's households, their members and offers, and the members' permits."""

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
        """A household with its members (and their education, tests, work, permits), offers, children, pins."""
        query = (
            self._scoped(Household)
            .where(Household.id == household_id)
            .options(
                selectinload(Household.offers),
                selectinload(Household.children),
                selectinload(Household.pins),
                selectinload(Household.members).options(
                    selectinload(Member.education),
                    selectinload(Member.language_tests),
                    selectinload(Member.work_history),
                    selectinload(Member.permits),
                ),
            )
        )
        return await self.session.scalar(query)

    async def member_by_role(self, household_id: int, role: Role, *, lock: bool = False) -> Member | None:
        """The household's member in `role` (PRINCIPAL or SPOUSE), or None; with `lock`, locked as `get` locks."""
        query = self._scoped(Member).where(Member.household_id == household_id, Member.role == role)
        if lock:
            query = query.with_for_update(key_share=True)
        return await self.session.scalar(query.execution_options(populate_existing=lock))

    async def offer_by_ref(self, household_id: int, ref: str) -> JobOffer | None:
        """The household's offer with `ref`, or None."""
        return await self.session.scalar(
            self._scoped(JobOffer).where(JobOffer.household_id == household_id, JobOffer.ref == ref)
        )
