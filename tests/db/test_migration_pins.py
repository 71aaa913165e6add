"""Migration 0008 (household pins) on SQLite and PostgreSQL: a household stored before it loads with no pins,
the table goes away on the way down with its rows, and on PostgreSQL it is behind row-level security."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from db.engine import make_engine, make_sessions
from db.migrate import current, downgrade, head, upgrade
from db.models import Household, HouseholdPin, Member
from db.repositories.households import Households
from db.scenario import household_to_scenario
from solver.domain import PinKind, Role

BEFORE = "0007_client_file"


async def test_pins_go_up_and_down_with_0008(scratch_database: str) -> None:
    engine = make_engine(scratch_database)
    sessions = make_sessions(engine)
    try:
        await upgrade(engine, BEFORE)
        async with engine.begin() as connection:
            # The tenant as 0007 knows it: the ORM's model has the columns of later revisions.
            tenant = (
                await connection.execute(
                    sa.text("INSERT INTO tenants (slug, name) VALUES ('before-0008', 'Before') RETURNING id")
                )
            ).scalar_one()
            household_id = (
                await connection.execute(
                    sa.text("INSERT INTO households (tenant_id, name, version) VALUES (:t, 'Before', 1) RETURNING id"),
                    {"t": tenant},
                )
            ).scalar_one()
            await connection.execute(
                sa.text(
                    "INSERT INTO members (tenant_id, household_id, role, name, birth_date, citizenships, in_canada,"
                    " status_employer_specific, nomination_employer_restricted, version)"
                    " VALUES (:t, :h, 'PRINCIPAL', 'P', '1990-01-01', '[\"FR\"]', false, false, false, 1)"
                ),
                {"t": tenant, "h": household_id},
            )
        await upgrade(engine)
        assert await current(engine) == head()
        async with sessions() as session:
            household = await Households(session, tenant_id=tenant).load_household_graph(household_id)
            assert household is not None
            assert household_to_scenario(household, dt.date(2026, 12, 1)).pins == ()
        async with sessions() as session, session.begin():
            repo = Households(session, tenant_id=tenant)
            pin = {"household_id": household_id, "kind": PinKind.LEAD_PR, "person": Role.PRINCIPAL}
            await repo.add(HouseholdPin, pin)
        async with sessions() as session:
            household = await Households(session, tenant_id=tenant).load_household_graph(household_id)
            assert household is not None
            assert [(p.kind, p.person) for p in household_to_scenario(household, dt.date(2026, 12, 1)).pins] == [
                (PinKind.LEAD_PR, Role.PRINCIPAL)
            ]
        await downgrade(engine, BEFORE)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
            assert "household_pins" not in tables
            names = (await connection.execute(sa.select(Household.name).where(Household.id == household_id))).all()
            assert names == [("Before",)]
            roles = (await connection.execute(sa.select(Member.role))).scalars().all()
            assert roles == [Role.PRINCIPAL]
    finally:
        await engine.dispose()


async def test_household_pins_are_behind_row_level_security_on_postgres(postgres_database: str) -> None:
    engine = make_engine(postgres_database)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.text(
                        "SELECT c.relrowsecurity, c.relforcerowsecurity, p.polname FROM pg_class c"
                        " JOIN pg_policy p ON p.polrelid = c.oid WHERE c.relname = 'household_pins'"
                    )
                )
            ).one()
        assert tuple(row) == (True, True, "tenant_isolation")
    finally:
        await engine.dispose()
