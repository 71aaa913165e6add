"""A tenant's caseload re-plans: the runs, the households each covers, and their results recorded once each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ReplanResult, ReplanRun, StoredPlan, Tenant
from db.repositories.scoped import TenantScoped

UNFINISHED = ("QUEUED", "RUNNING")


class Replans(TenantScoped):
    """The tenant's re-plan runs and results."""

    async def scope_transaction(self) -> None:
        """Names this tenant for the transaction already begun (row-level security reads it per transaction)."""
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(self.tenant_id)}
            )

    async def latest_stored_plans(self) -> list[tuple[int, int]]:
        """Each household's newest stored plan, as (household_id, stored_plan_id), by household."""
        newest = (
            select(StoredPlan.household_id, func.max(StoredPlan.id))
            .where(StoredPlan.tenant_id == self.tenant_id)
            .group_by(StoredPlan.household_id)
            .order_by(StoredPlan.household_id)
        )
        return [(household_id, plan_id) for household_id, plan_id in (await self.session.execute(newest)).all()]

    async def stored_plans(self, ids: Sequence[int]) -> dict[int, StoredPlan]:
        """The tenant's stored plans with these ids (a plan deleted since is missing)."""
        return dict(await self.get_many(StoredPlan, ids))

    async def recorded(self, run_id: int) -> set[int]:
        """The households of the run whose result is recorded."""
        query = select(ReplanResult.household_id).where(
            ReplanResult.tenant_id == self.tenant_id, ReplanResult.run_id == run_id
        )
        return set((await self.session.scalars(query)).all())

    async def counts(self, run_id: int) -> tuple[int, int]:
        """How many results the run has recorded, and how many of them failed."""
        query = select(func.count(), func.count(ReplanResult.error)).where(
            ReplanResult.tenant_id == self.tenant_id, ReplanResult.run_id == run_id
        )
        done, failed = (await self.session.execute(query)).one()
        return int(done), int(failed)

    async def record(self, run_id: int, household_id: int, values: Mapping[str, Any]) -> bool:
        """Records a household's result unless the run has one already (the first wins: a task run twice, on a
        lost worker or across a restart, reports the same plan); whether this call recorded it."""
        row = {"tenant_id": self.tenant_id, "run_id": run_id, "household_id": household_id, **values}
        dialect = (await self.session.connection()).dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ReplanResult).values(row).on_conflict_do_nothing(index_elements=["run_id", "household_id"])
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def results(self, run_id: int) -> Sequence[ReplanResult]:
        """The run's results, most urgent first (level, then the first affected day, then household)."""
        query = (
            self._scoped(ReplanResult)
            .where(ReplanResult.run_id == run_id)
            .order_by(
                ReplanResult.rank_level,
                ReplanResult.rank_day.is_(None),
                ReplanResult.rank_day,
                ReplanResult.household_id,
            )
        )
        return (await self.session.scalars(query)).all()

    async def save_run(self, run: ReplanRun, values: Mapping[str, Any]) -> ReplanRun:
        """Records a run's progress without an audit row (starting and cancelling one are audited)."""
        for key, value in values.items():
            setattr(run, key, value)
        await self.session.flush()
        return run


async def unfinished_runs(session: AsyncSession, owner: str) -> list[tuple[int, int]]:
    """Across tenants: the (tenant_id, run_id) of `owner`'s runs left QUEUED or RUNNING (a restart resumes them).

    Under PostgreSQL's row-level security a transaction sees one tenant's rows: each tenant is asked in turn.
    """
    found: list[tuple[int, int]] = []
    for tenant_id in (await session.scalars(select(Tenant.id).order_by(Tenant.id))).all():
        repo = Replans(session, tenant_id=tenant_id)
        await repo.scope_transaction()
        query = repo._scoped(ReplanRun).where(ReplanRun.state.in_(UNFINISHED), ReplanRun.owner == owner)
        found += [(tenant_id, run.id) for run in (await session.scalars(query.order_by(ReplanRun.id))).all()]
    return found
