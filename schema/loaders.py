"""DataLoaders: every nested lookup of a request is batched into one query per kind of record.

Each batch runs on a short session of its own (one AsyncSession must not serve two tasks at once), and a
request's batches take turns: a request holds at most one pooled connection for its loaders, however
many kinds of record it asks for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.dataloader import DataLoader

from db.models import Education, Household, JobOffer, LanguageTest, Member, Permit, TenantOwned, WorkPeriod
from db.repository import Repository

R = TypeVar("R", bound=TenantOwned)


class Loaders:
    """One request's loaders, by id and by parent id, all scoped to the request's tenant."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> None:
        self._sessions = sessions
        self._tenant_id = tenant_id
        self._turn = asyncio.Lock()
        self.household = self._by_id(Household)
        self.member = self._by_id(Member)
        self.education = self._by_id(Education)
        self.language_test = self._by_id(LanguageTest)
        self.work_period = self._by_id(WorkPeriod)
        self.offer = self._by_id(JobOffer)
        self.permit = self._by_id(Permit)
        self.members_by_household = self._by_parent(Member, Member.household_id)
        self.offers_by_household = self._by_parent(JobOffer, JobOffer.household_id)
        self.education_by_member = self._by_parent(Education, Education.member_id)
        self.language_tests_by_member = self._by_parent(LanguageTest, LanguageTest.member_id)
        self.work_by_member = self._by_parent(WorkPeriod, WorkPeriod.member_id)
        self.permits_by_member = self._by_parent(Permit, Permit.member_id)

    def _by_id(self, model: type[R]) -> DataLoader[int, R | None]:
        async def load(ids: Sequence[int]) -> list[R | None]:
            async with self._turn, self._sessions() as session:
                found = await Repository(session, tenant_id=self._tenant_id).get_many(model, ids)
            return [found.get(record_id) for record_id in ids]

        return DataLoader(load_fn=load)

    def _by_parent(self, model: type[R], parent: InstrumentedAttribute[int]) -> DataLoader[int, list[R]]:
        async def load(parent_ids: Sequence[int]) -> list[list[R]]:
            async with self._turn, self._sessions() as session:
                grouped = await Repository(session, tenant_id=self._tenant_id).children(model, parent, parent_ids)
            return [grouped.get(parent_id, []) for parent_id in parent_ids]

        return DataLoader(load_fn=load)
