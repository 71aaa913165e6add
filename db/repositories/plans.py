"""A tenant's stored plans (kept by a consultant) and cached plans (the planner's answers, by plan key)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from db.models import CachedPlan, StoredPlan
from db.repositories.scoped import TenantScoped


class Plans(TenantScoped):
    """The tenant's stored plans, newest first, and its plan cache."""

    async def stored_plans(
        self, household_id: int, *, before_id: int | None = None, limit: int
    ) -> Sequence[StoredPlan]:
        """A page of the household's stored plans, newest first."""
        query = (
            self._scoped(StoredPlan)
            .where(StoredPlan.household_id == household_id)
            .order_by(StoredPlan.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(StoredPlan.id < before_id)
        return (await self.session.scalars(query)).all()

    async def stored_plan_pages(
        self, household_ids: Sequence[int], *, before_id: int | None, limit: int
    ) -> dict[int, list[StoredPlan]]:
        """The same page (newest first, older than `before_id`, at most `limit`) of each household's stored
        plans, in one query: each household's plans are numbered newest first and the first `limit` kept."""
        if not household_ids or limit <= 0:
            return {}
        numbered = self._scoped(StoredPlan).where(StoredPlan.household_id.in_(set(household_ids)))
        if before_id is not None:
            numbered = numbered.where(StoredPlan.id < before_id)
        rank = func.row_number().over(partition_by=StoredPlan.household_id, order_by=StoredPlan.id.desc())
        ranked = numbered.add_columns(rank.label("rank")).subquery()
        plan = aliased(StoredPlan, ranked)
        query = select(plan).where(ranked.c.rank <= limit).order_by(plan.household_id, plan.id.desc())
        pages: dict[int, list[StoredPlan]] = {}
        for row in await self.session.scalars(query):
            pages.setdefault(row.household_id, []).append(row)
        return pages

    async def cached_plan(self, plan_key: str) -> CachedPlan | None:
        """The tenant's cached plan for `plan_key`, or None."""
        return await self.session.scalar(self._scoped(CachedPlan).where(CachedPlan.plan_key == plan_key))

    async def put_cached_plan(self, plan_key: str, values: Mapping[str, Any]) -> CachedPlan:
        """Stores (or replaces) the tenant's cached plan for `plan_key`; a cache entry is not audited."""
        row = await self.cached_plan(plan_key)
        if row is None:
            row = CachedPlan(plan_key=plan_key, tenant_id=self.tenant_id, **values)
            self.session.add(row)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await self.session.flush()
        return row
