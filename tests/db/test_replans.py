"""The re-plan tables: a household's result is recorded once per run (the first wins), and on PostgreSQL the
row-level security hides other firms' runs and results while the restart's search still finds every firm's."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import make_engine, make_sessions
from db.models import Household, ReplanResult, ReplanRun
from db.repositories.replans import Replans, unfinished_runs
from tests.conftest import new_tenant

RUN = {
    "state": "RUNNING",
    "rules_version": "after",
    "today": dt.date(2026, 12, 1),
    "households": [],
    "total": 1,
    "owner": "here",
}


def _result(urgency: str) -> dict[str, object]:
    return {"rules_version_before": "before", "rules_version_after": "after", "urgency": urgency, "rank_level": 0}


async def _run_with_household(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> tuple[int, int]:
    async with sessions() as session, session.begin():
        repo = Replans(session, tenant_id=tenant_id)
        household = await repo.add(Household, {"name": "Household"})
        run = await repo.add(ReplanRun, {**RUN, "households": [[household.id, 0]]})
        return run.id, household.id


async def test_a_result_recorded_twice_is_kept_once(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> None:
    run_id, household_id = await _run_with_household(sessions, tenant_id)
    for urgency, expected in (("BLOCKED", True), ("CHANGED", False)):
        async with sessions() as session, session.begin():
            assert (
                await Replans(session, tenant_id=tenant_id).record(run_id, household_id, _result(urgency)) is expected
            )
    async with sessions() as session:
        repo = Replans(session, tenant_id=tenant_id)
        assert [row.urgency for row in await repo.results(run_id)] == ["BLOCKED"]
        assert await repo.counts(run_id) == (1, 0)
        assert await repo.recorded(run_id) == {household_id}


async def test_postgres_row_security_covers_replan_runs_and_results(postgres_database: str) -> None:
    role = f"permitpath_rls_{secrets.token_hex(4)}"
    engine = make_engine(postgres_database)
    sessions = make_sessions(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            await connection.execute(
                text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            )
            await connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        tenants = [await new_tenant(sessions), await new_tenant(sessions)]
        runs = {}
        for tenant in tenants:
            run_id, household_id = await _run_with_household(sessions, tenant)
            runs[tenant] = run_id
            async with sessions() as session, session.begin():
                await Replans(session, tenant_id=tenant).record(run_id, household_id, _result("CHANGED"))

        async with sessions() as session, session.begin():
            Replans(session, tenant_id=tenants[0])
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            for model in (ReplanRun, ReplanResult):
                assert set((await session.scalars(select(model.tenant_id))).all()) == {tenants[0]}

        async with sessions() as session, session.begin():
            await session.execute(text(f"SET LOCAL ROLE {role}"))
            found = await unfinished_runs(session, "here")
        assert {(tenant, runs[tenant]) for tenant in tenants} <= set(found)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text(f"DROP OWNED BY {role}"))
            await connection.execute(text(f"DROP ROLE {role}"))
        await engine.dispose()
