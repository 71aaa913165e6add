"""A tenant's stored plans (kept by a consultant) and cached plans (the planner's answers, by plan key)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
