"""A stored household maps onto the planner's Scenario field by field, and the demo households are valid."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.relay import GlobalID

from api.demo import DEMO_HOUSEHOLDS, seed_demo
from db.repositories.households import Households
from db.scenario import household_to_scenario
from solver.domain import (
    Credential,
    Education,
    HeldPermit,
    InstitutionKind,
    LanguageTest,
    LanguageTestKind,
    Nomination,
    Offer,
    Person,
    Role,
    Scenario,
    Status,
    StatusKind,
    WorkPeriod,
)
from solver.fields import validate_scenario
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input

AS_OF = dt.date(2026, 1, 15)


async def test_household_to_scenario_maps_every_fact(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    data = household_input("Tanaka", spouse=True, offers=1)
    data["principal"]["permits"].append({"code": "C12", "open": False, "status": "PLANNED", "offerRef": "offer-0"})
    data["spouse"]["provincialNomination"] = {"province": "NS", "nominatedOn": "2025-12-01"}
    data["offers"][0].update(latestStart="2026-04-01", months=36, lmiaExemptCode="C12")
    created = await gql(CREATE_HOUSEHOLD, {"input": data})
    household_id = int(GlobalID.from_id(created["createHousehold"]["household"]["id"]).node_id)

    async with sessions() as session:
        household = await Households(session, tenant_id=tenant_id).load_household_graph(household_id)
    assert household is not None
    scenario = household_to_scenario(household, AS_OF)

    assert scenario == Scenario(
        as_of=AS_OF,
        principal=Person(
            birth_date=dt.date(1995, 3, 14),
            citizenships=("JP",),
            in_canada=True,
            passport_expiry=dt.date(2032, 1, 31),
            status=Status(kind=StatusKind.WORKER, valid_to=dt.date(2027, 6, 30), permit_code="C43"),
            permit_history=(HeldPermit(code="C43", valid_from=dt.date(2024, 6, 15), valid_to=dt.date(2027, 6, 30)),),
            education=(
                Education(
                    credential=Credential.MASTER,
                    institution=InstitutionKind.UNIVERSITY,
                    canadian=True,
                    start=dt.date(2022, 9, 1),
                    completion=dt.date(2024, 5, 31),
                    pgwp_eligible_dli=True,
                ),
            ),
            language_tests=(
                LanguageTest(
                    test=LanguageTestKind.IELTS_GENERAL,
                    taken=dt.date(2025, 1, 20),
                    listening=9,
                    reading=8,
                    writing=7,
                    speaking=8,
                ),
            ),
            work_history=(
                WorkPeriod(noc_code="21231", start=dt.date(2024, 7, 1), hours_per_week=40.0, in_canada=True),
            ),
        ),
        spouse=Person(
            birth_date=dt.date(1994, 8, 2),
            citizenships=("JP",),
            in_canada=True,
            provincial_nomination=Nomination(province="NS", nominated_on=dt.date(2025, 12, 1)),
        ),
        offers=(
            Offer(
                ref="offer-0",
                holder=Role.PRINCIPAL,
                noc_code="21231",
                province="ON",
                hours_per_week=40.0,
                earliest_start=dt.date(2026, 2, 1),
                latest_start=dt.date(2026, 4, 1),
                months=36,
                lmia_exempt_code="C12",
            ),
        ),
    )
    assert validate_scenario(scenario) == ()


async def test_every_demo_household_is_a_valid_scenario(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    assert await seed_demo(sessions, tenant_id) == len(DEMO_HOUSEHOLDS)
    assert await seed_demo(sessions, tenant_id) == 0  # only into a tenant without households
    async with sessions() as session:
        repo = Households(session, tenant_id=tenant_id)
        households = await repo.list_households(limit=100)
        scenarios = {}
        for household in households:
            graph = await repo.load_household_graph(household.id)
            assert graph is not None
            scenarios[household.name] = household_to_scenario(graph, AS_OF)
    assert sorted(scenarios) == sorted(h["name"] for h in DEMO_HOUSEHOLDS)
    assert {name: validate_scenario(s) for name, s in scenarios.items()} == {name: () for name in scenarios}
    assert scenarios["Sharma"].spouse is not None
    assert scenarios["Nguyen"].principal.provincial_nomination == Nomination("BC", dt.date(2025, 11, 3), True)
