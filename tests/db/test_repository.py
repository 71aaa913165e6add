"""The repository never crosses tenants, and leaves the transaction to its caller."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Household, JobOffer, Member, Tenant
from db.repositories.households import Households
from db.repositories.tenants import ensure_tenant
from solver.domain import Role
from tests.conftest import new_tenant


async def _household(sessions: async_sessionmaker[AsyncSession], tenant_id: int, name: str) -> tuple[int, int]:
    async with sessions() as session, session.begin():
        repo = Households(session, tenant_id=tenant_id)
        household = await repo.add(Household, {"name": name})
        member = await repo.add(
            Member,
            {
                "household_id": household.id,
                "role": Role.PRINCIPAL,
                "name": f"{name} principal",
                "birth_date": dt.date(1990, 1, 1),
                "citizenships": ["BR"],
                "in_canada": False,
            },
        )
        return household.id, member.id


async def test_records_of_another_tenant_are_invisible(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household_id, member_id = await _household(sessions, tenant_id, "Silva")
    other = await new_tenant(sessions)
    async with sessions() as session, session.begin():
        theirs = Households(session, tenant_id=other)
        assert await theirs.get(Household, household_id) is None
        assert await theirs.get_many(Member, [member_id]) == {}
        assert await theirs.children(Member, Member.household_id, [household_id]) == {}
        assert await theirs.list_households(limit=10) == []
        assert await theirs.load_household_graph(household_id) is None
        assert await theirs.member_by_role(household_id, Role.PRINCIPAL) is None
        assert await theirs.delete(Household, household_id) is False
    async with sessions() as session:
        ours = Households(session, tenant_id=tenant_id)
        assert [h.name for h in await ours.list_households(limit=10)] == ["Silva"]
        member = await ours.get(Member, member_id)
        assert member is not None
        with pytest.raises(ValueError, match="belongs to another tenant"):
            await Households(session, tenant_id=other).update(member, {"name": "Stolen"})


async def test_the_caller_owns_the_transaction(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> None:
    async with sessions() as session, session.begin():
        repo = Households(session, tenant_id=tenant_id)
        household = await repo.add(Household, {"name": "Rolled back"})
        assert household.id is not None  # flushed, so the id is known
        await session.rollback()
    async with sessions() as session:
        assert await Households(session, tenant_id=tenant_id).list_households(limit=10) == []


async def test_deleting_a_household_cascades_to_its_records(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    household_id, member_id = await _household(sessions, tenant_id, "Kowalski")
    async with sessions() as session, session.begin():
        repo = Households(session, tenant_id=tenant_id)
        offer = await repo.add(
            JobOffer,
            {
                "household_id": household_id,
                "ref": "job",
                "holder": Role.PRINCIPAL,
                "employer_name": "Vistula Ltd.",
                "noc_code": "21231",
                "province": "ON",
                "hours_per_week": 40.0,
                "earliest_start": dt.date(2026, 1, 1),
            },
        )
        assert await repo.delete(Household, household_id) is True
    async with sessions() as session:
        repo = Households(session, tenant_id=tenant_id)
        assert await repo.get(Member, member_id) is None
        assert await repo.get(JobOffer, offer.id) is None


async def test_ensure_tenant_creates_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        first = await ensure_tenant(session, slug="acme-immigration-test", name="Acme")
        again = await ensure_tenant(session, slug="acme-immigration-test", name="Other name")
        assert (again.id, again.name) == (first.id, "Acme")
        assert isinstance(again, Tenant)
        await session.rollback()
