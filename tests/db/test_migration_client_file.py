"""Migration 0007 (the client file) on a database that holds households stored before it, on SQLite and PostgreSQL.

Rows written under 0006 must load after the upgrade as the scenario they were (every new fact at its default:
no biometrics, not Canadian, no PR application, no children, no LMIA applied for; an application that was
APPLIED is a pending one, filed inside Canada without restoration) and plan exactly as the same household
described without the December 2026 fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from db.engine import make_engine, make_sessions
from db.migrate import current, downgrade, head, upgrade
from db.repositories.households import Households
from db.scenario import household_to_scenario
from solver.domain import (
    Credential,
    Education,
    HeldPermit,
    InstitutionKind,
    InvalidScenario,
    Offer,
    PendingApplication,
    Person,
    PlanOptions,
    Role,
    Scenario,
    Status,
    StatusKind,
)
from solver.scenario_json import parse_scenario
from tests.solver.planner_cases import solve

BEFORE = "0006_versions_and_idempotency"
AS_OF = dt.date(2026, 6, 1)

# The tables as 0006 left them (only the columns these rows set; the rest take their server defaults or null).
_TENANTS = sa.table("tenants", sa.column("id"), sa.column("slug"), sa.column("name"))
_HOUSEHOLDS = sa.table("households", sa.column("id"), sa.column("tenant_id"), sa.column("name"))
_MEMBERS = sa.table(
    "members",
    *(sa.column(name) for name in ("id", "tenant_id", "household_id", "role", "name", "birth_date", "in_canada")),
    sa.column("citizenships", sa.JSON),
    *(sa.column(name) for name in ("status_kind", "status_permit_code", "status_valid_to")),
    *(sa.column(name) for name in ("status_employer_specific", "nomination_employer_restricted")),
)
_EDUCATION = sa.table(
    "education",
    *(sa.column(name) for name in ("id", "tenant_id", "member_id", "credential", "institution", "canadian")),
    *(sa.column(name) for name in ("pgwp_eligible_dli", "field_of_study_eligible", "full_time", "start", "completion")),
)
_OFFERS = sa.table(
    "offers",
    *(sa.column(name) for name in ("id", "tenant_id", "household_id", "ref", "holder", "employer_name", "noc_code")),
    *(sa.column(name) for name in ("province", "hours_per_week", "earliest_start", "lmia_exempt_code")),
    *(sa.column(name) for name in ("lmia_approved", "compliance_fee_paid")),
)
_PERMITS = sa.table(
    "permits",
    *(sa.column(name) for name in ("id", "tenant_id", "member_id", "code", "open", "offer_id", "valid_from")),
    *(sa.column(name) for name in ("valid_to", "applied_on", "status")),
)


async def _store_old_household(connection: AsyncConnection) -> None:
    """A PGWP holder with a degree and an offer, an earlier PGWP issued and a C10 application pending."""
    if connection.dialect.name == "postgresql":
        await connection.execute(sa.text("SELECT set_config('app.tenant_id', '1', false)"))
    await connection.execute(sa.insert(_TENANTS).values(id=1, slug="old", name="Old firm"))
    await connection.execute(sa.insert(_HOUSEHOLDS).values(id=1, tenant_id=1, name="Stored in November"))
    await connection.execute(
        sa.insert(_MEMBERS).values(
            id=1,
            tenant_id=1,
            household_id=1,
            role="PRINCIPAL",
            name="Asha",
            birth_date=dt.date(1996, 3, 2),
            in_canada=True,
            citizenships=["IN"],
            status_kind="WORKER",
            status_permit_code="C43",
            status_valid_to=dt.date(2027, 5, 31),
            status_employer_specific=False,
            nomination_employer_restricted=False,
        )
    )
    await connection.execute(
        sa.insert(_EDUCATION).values(
            id=1,
            tenant_id=1,
            member_id=1,
            credential="MASTER",
            institution="UNIVERSITY",
            canadian=True,
            pgwp_eligible_dli=True,
            field_of_study_eligible=True,
            full_time=True,
            start=dt.date(2022, 9, 1),
            completion=dt.date(2024, 5, 15),
        )
    )
    await connection.execute(
        sa.insert(_OFFERS).values(
            id=1,
            tenant_id=1,
            household_id=1,
            ref="acme",
            holder="PRINCIPAL",
            employer_name="Acme",
            noc_code="21231",
            province="ON",
            hours_per_week=40.0,
            earliest_start=dt.date(2026, 7, 1),
            lmia_exempt_code="C10",
            lmia_approved=False,
            compliance_fee_paid=False,
        )
    )
    await connection.execute(
        sa.insert(_PERMITS).values(
            [
                {
                    "id": 1,
                    "tenant_id": 1,
                    "member_id": 1,
                    "code": "C43",
                    "open": True,
                    "offer_id": None,
                    "valid_from": dt.date(2024, 6, 1),
                    "valid_to": dt.date(2027, 5, 31),
                    "applied_on": dt.date(2024, 5, 20),
                    "status": "APPROVED",
                },
                {
                    "id": 2,
                    "tenant_id": 1,
                    "member_id": 1,
                    "code": "C10",
                    "open": False,
                    "offer_id": 1,
                    "valid_from": None,
                    "valid_to": None,
                    "applied_on": dt.date(2026, 5, 1),
                    "status": "APPLIED",
                },
            ]
        )
    )


EXPECTED = Scenario(
    as_of=AS_OF,
    principal=Person(
        birth_date=dt.date(1996, 3, 2),
        citizenships=("IN",),
        in_canada=True,
        status=Status(kind=StatusKind.WORKER, valid_to=dt.date(2027, 5, 31), permit_code="C43"),
        permit_history=(HeldPermit(code="C43", valid_from=dt.date(2024, 6, 1), valid_to=dt.date(2027, 5, 31)),),
        education=(
            Education(
                credential=Credential.MASTER,
                institution=InstitutionKind.UNIVERSITY,
                canadian=True,
                start=dt.date(2022, 9, 1),
                completion=dt.date(2024, 5, 15),
                pgwp_eligible_dli=True,
            ),
        ),
        pending_applications=(PendingApplication(code="C10", applied_on=dt.date(2026, 5, 1), offer_ref="acme"),),
    ),
    offers=(
        Offer(
            ref="acme",
            holder=Role.PRINCIPAL,
            noc_code="21231",
            province="ON",
            hours_per_week=40.0,
            earliest_start=dt.date(2026, 7, 1),
            lmia_exempt_code="C10",
        ),
    ),
)


async def test_a_household_stored_before_0007_loads_as_it_was(scratch_database: str) -> None:
    engine = make_engine(scratch_database)
    try:
        await upgrade(engine, BEFORE)
        async with engine.begin() as connection:
            await _store_old_household(connection)
        await upgrade(engine)
        assert await current(engine) == head()
        async with make_sessions(engine)() as session:
            household = await Households(session, tenant_id=1).load_household_graph(1)
        assert household is not None
        assert household_to_scenario(household, AS_OF) == EXPECTED
        # Planned as of a day before it was filed, the application was not yet pending.
        assert household_to_scenario(household, dt.date(2026, 4, 30)).principal.pending_applications == ()
        # And 0007 goes down again with the rows in place, the old columns kept.
        await downgrade(engine, BEFORE)
        assert await current(engine) == BEFORE
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(sa.text("SELECT set_config('app.tenant_id', '1', false)"))
            codes = (await connection.execute(sa.text("SELECT code, status FROM permits ORDER BY id"))).all()
        assert [tuple(row) for row in codes] == [("C43", "APPROVED"), ("C10", "APPLIED")]
    finally:
        await engine.dispose()


def _old_file() -> dict[str, Any]:
    """The same household as a scenario file of November 2026: no key of the December additions."""
    return {
        "asOf": "2026-06-01",
        "principal": {
            "birthDate": "1996-03-02",
            "citizenships": ["IN"],
            "inCanada": True,
            "status": {"kind": "WORKER", "validTo": "2027-05-31", "permitCode": "C43"},
            "permitHistory": [{"code": "C43", "validFrom": "2024-06-01", "validTo": "2027-05-31"}],
            "education": [
                {
                    "credential": "MASTER",
                    "institution": "UNIVERSITY",
                    "canadian": True,
                    "start": "2022-09-01",
                    "completion": "2024-05-15",
                    "pgwpEligibleDli": True,
                }
            ],
        },
        "offers": [
            {
                "ref": "acme",
                "holder": "PRINCIPAL",
                "nocCode": "21231",
                "province": "ON",
                "hoursPerWeek": 40,
                "earliestStart": "2026-07-01",
                "lmiaExemptCode": "C10",
            }
        ],
    }


def test_an_old_household_without_an_application_plans_as_its_old_file() -> None:
    """Without the pending application (the one fact the stored rows add), the loaded household is exactly the
    old file's scenario, so it plans as it did: every December field is at its default."""
    without_pending = dataclasses.replace(
        EXPECTED, principal=dataclasses.replace(EXPECTED.principal, pending_applications=())
    )
    parsed = parse_scenario(_old_file())
    assert not isinstance(parsed, InvalidScenario), parsed
    scenario, _ = parsed
    assert scenario == without_pending
    options = PlanOptions(time_limit_ms=5000)
    first, second = solve(without_pending, options), solve(scenario, options)
    assert dataclasses.replace(first, solve_ms=0.0) == dataclasses.replace(second, solve_ms=0.0)
