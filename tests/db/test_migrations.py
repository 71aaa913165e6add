"""The Alembic migrations build exactly the models' schema, and undo cleanly, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import make_engine
from db.migrate import current, downgrade, head, upgrade
from db.models import Base

TABLES = {
    "alembic_version",
    "tenants",
    "households",
    "members",
    "education",
    "language_tests",
    "work_periods",
    "offers",
    "permits",
    "api_keys",
    "persisted_documents",
    "audit_log",
    "stored_plans",
    "plan_jobs",
    "cached_plans",
    "idempotency_keys",
    "children",
    "household_pins",
    "replan_runs",
    "replan_results",
    "calendar_tokens",
    "processing_overrides",
}


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
    return list(compare_metadata(context, Base.metadata))


async def test_migrated_database_matches_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
    assert await current(engine) == head()


async def test_every_table_carries_the_tenant(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {table: {c["name"] for c in inspect(sync).get_columns(table)} for table in TABLES}
        )
    assert {table for table, names in columns.items() if "tenant_id" not in names} == {"alembic_version", "tenants"}


async def test_migrations_go_down_and_up_again(scratch_database: str) -> None:
    engine = make_engine(scratch_database)
    try:
        assert await current(engine) is None
        await upgrade(engine)
        assert await _tables(engine) == TABLES
        await downgrade(engine)
        assert await current(engine) is None
        assert await _tables(engine) == {"alembic_version"}
        await upgrade(engine)
        assert await current(engine) == head()
    finally:
        await engine.dispose()


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
