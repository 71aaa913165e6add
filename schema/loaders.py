"""DataLoaders: every nested lookup of a request is batched into one query per kind of record.

Each batch runs on a short session of its own (one AsyncSession must not serve two tasks at once), and a
request's batches take turns: a request holds at most one pooled connection for its loaders, however
many kinds of record it asks for.

GraphQL execution reaches the members of twenty households over several event-loop turns, so batches
split. A page of households therefore prefetches what its query selects (`prefetch_households`, from the
selection the resolver sees): one session, one query per kind of record, and the loaders primed with
the answers, so the nested fields resolve without another query.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.dataloader import DataLoader

from db.models import (
    Child,
    Education,
    Household,
    HouseholdPin,
    JobOffer,
    LanguageTest,
    Member,
    Permit,
    PlanJob,
    StoredPlan,
    TenantOwned,
    WorkPeriod,
)
from db.repositories.access import Access
from db.repositories.households import Households
from db.repositories.plans import Plans

R = TypeVar("R", bound=TenantOwned)


@dataclass(frozen=True)
class PlansPage:
    """Which stored plans of a household a connection asks for: newest first, older than `before_id`, `limit`."""

    household_id: int
    before_id: int | None
    limit: int


@dataclass(frozen=True)
class Wanted:
    """What a households query selects below each household (GraphQL field names of a member)."""

    members: bool = False
    offers: bool = False
    member_fields: frozenset[str] = frozenset()


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
        self.stored_plan = self._by_id(StoredPlan)
        self.plan_job = self._by_id(PlanJob)
        # A page of households asking each for its plans: one query per distinct (cursor, size), not per household.
        self.plans_page: DataLoader[PlansPage, list[StoredPlan]] = DataLoader(load_fn=self._plans_pages)
        # The firm's language, read once however many of the plan's sentences default to it (keyed by tenant).
        self.firm_language: DataLoader[int, str | None] = DataLoader(load_fn=self._firm_languages)
        self.members_by_household = self._by_parent(Member, Member.household_id)
        self.offers_by_household = self._by_parent(JobOffer, JobOffer.household_id)
        self.children_by_household = self._by_parent(Child, Child.household_id)
        self.pins_by_household = self._by_parent(HouseholdPin, HouseholdPin.household_id)
        self.education_by_member = self._by_parent(Education, Education.member_id)
        self.language_tests_by_member = self._by_parent(LanguageTest, LanguageTest.member_id)
        self.work_by_member = self._by_parent(WorkPeriod, WorkPeriod.member_id)
        self.permits_by_member = self._by_parent(Permit, Permit.member_id)

    async def _firm_languages(self, tenant_ids: Sequence[int]) -> list[str | None]:
        async with self._turn, self._sessions() as session:
            language = await Access(session, tenant_id=self._tenant_id).firm_language()
        return [language for _ in tenant_ids]

    async def prefetch_households(self, household_ids: Sequence[int], wanted: Wanted) -> None:
        """Loads what `wanted` names for these households on one session and primes the loaders with it."""
        if not household_ids or not (wanted.members or wanted.offers):
            return
        async with self._turn, self._sessions() as session:
            repo = Households(session, tenant_id=self._tenant_id)
            if wanted.offers:
                await _prime(repo, self.offers_by_household, JobOffer, JobOffer.household_id, household_ids)
            if not wanted.members:
                return
            members = await _prime(repo, self.members_by_household, Member, Member.household_id, household_ids)
            member_ids = [m.id for rows in members.values() for m in rows]
            if not member_ids:
                return
            for name, loader, model, parent in (
                ("permits", self.permits_by_member, Permit, Permit.member_id),
                ("languageTests", self.language_tests_by_member, LanguageTest, LanguageTest.member_id),
                ("education", self.education_by_member, Education, Education.member_id),
                ("workHistory", self.work_by_member, WorkPeriod, WorkPeriod.member_id),
            ):
                if name in wanted.member_fields:
                    await _prime(repo, loader, model, parent, member_ids)  # type: ignore[misc]

    async def _plans_pages(self, pages: Sequence[PlansPage]) -> list[list[StoredPlan]]:
        groups: dict[tuple[int | None, int], list[int]] = {}
        for wanted in pages:
            groups.setdefault((wanted.before_id, wanted.limit), []).append(wanted.household_id)
        found: dict[tuple[int | None, int], dict[int, list[StoredPlan]]] = {}
        async with self._turn, self._sessions() as session:
            repo = Plans(session, tenant_id=self._tenant_id)
            for (before_id, limit), household_ids in groups.items():
                found[before_id, limit] = await repo.stored_plan_pages(household_ids, before_id=before_id, limit=limit)
        return [found[w.before_id, w.limit].get(w.household_id, []) for w in pages]

    def _by_id(self, model: type[R]) -> DataLoader[int, R | None]:
        async def load(ids: Sequence[int]) -> list[R | None]:
            async with self._turn, self._sessions() as session:
                found = await Households(session, tenant_id=self._tenant_id).get_many(model, ids)
            return [found.get(record_id) for record_id in ids]

        return DataLoader(load_fn=load)

    def _by_parent(self, model: type[R], parent: InstrumentedAttribute[int]) -> DataLoader[int, list[R]]:
        async def load(parent_ids: Sequence[int]) -> list[list[R]]:
            async with self._turn, self._sessions() as session:
                grouped = await Households(session, tenant_id=self._tenant_id).children(model, parent, parent_ids)
            return [grouped.get(parent_id, []) for parent_id in parent_ids]

        return DataLoader(load_fn=load)


async def _prime(
    repo: Households,
    loader: DataLoader[int, list[R]],
    model: type[R],
    parent: InstrumentedAttribute[int],
    parent_ids: Sequence[int],
) -> dict[int, list[R]]:
    """Loads the children of `parent_ids` in one query and primes `loader` with them (none is []); returns them."""
    grouped = await repo.children(model, parent, parent_ids)
    loader.prime_many({parent_id: grouped.get(parent_id, []) for parent_id in parent_ids})
    return grouped
