"""A firm's own processing times over GraphQL: set by an admin, audited, listed, applied to the firm's plans and
to no other firm's; a request's what-if figures checked with paths. Both databases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import Gql, new_tenant
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.solver.test_processing_spread import VISITOR

SET = """mutation($input: SetProcessingTimeInput!) { setProcessingTime(input: $input) {
  __typename ... on FirmProcessingTime { code insideCanada p50Days p90Days }
  ... on InvalidInput { errors { path message } } } }"""
REMOVE = """mutation($input: RemoveProcessingTimeInput!) { removeProcessingTime(input: $input) {
  __typename ... on NotFound { message } } }"""
LIST = "{ processingTimes { code insideCanada country effectiveFrom p50Days p90Days } }"
AUDIT = "{ auditLog(first: 5) { edges { node { action recordType changes } } } }"
PLAN = """query($s: ScenarioInput!, $o: PlanOptionsInput) { planScenario(scenario: $s, options: $o) {
  __typename ... on Plan { permits { code applyOn validFrom }
    robustness { basis expected { prReadyDate gaps { person daysWithoutStatus } }
      slow { gaps { person daysWithoutStatus drivenBy } } } }
  ... on InvalidScenario { errors { path message } } } }"""
TFWP_OUTSIDE = {"code": "TFWP", "insideCanada": False}


async def _processing_days(gql: Gql, *, tenant: int | None = None, options: dict[str, Any] | None = None) -> int:
    """Days from applying to the TFWP permit's first valid day in the visitor's plan (at the plan's basis)."""
    found = await gql(PLAN, {"s": VISITOR, "o": {"timeLimitMs": 20_000, **(options or {})}}, tenant=tenant)
    plan = found["planScenario"]
    assert plan["__typename"] == "Plan", plan
    (permit,) = plan["permits"]
    return (dt.date.fromisoformat(permit["validFrom"]) - dt.date.fromisoformat(permit["applyOn"])).days


async def test_a_firms_processing_time_changes_its_plans_and_the_audit_shows_it(
    gql: Gql, sessions: async_sessionmaker[AsyncSession]
) -> None:
    other = await new_tenant(sessions)
    assert await _processing_days(gql) == 154  # the rules' slow figure: the plan is made at p90

    made = await gql(SET, {"input": {**TFWP_OUTSIDE, "p50Days": 20, "p90Days": 30}})
    assert made["setProcessingTime"] == {
        "__typename": "FirmProcessingTime", **TFWP_OUTSIDE, "p50Days": 20, "p90Days": 30,
    }  # fmt: skip
    assert await _processing_days(gql) in (20, 30)
    assert await _processing_days(gql, tenant=other) == 154  # another firm's plans keep the rules'

    # Setting it again replaces the figures (one row), and the audit trail names both changes.
    await gql(SET, {"input": {**TFWP_OUTSIDE, "p50Days": 25, "p90Days": 40}})
    listed = (await gql(LIST))["processingTimes"]
    assert listed == [{**TFWP_OUTSIDE, "country": None, "effectiveFrom": None, "p50Days": 25, "p90Days": 40}]
    entries = [e["node"] for e in (await gql(AUDIT))["auditLog"]["edges"]]
    assert entries[0]["recordType"] == "ProcessingOverride" and entries[0]["action"] == "update"
    assert entries[0]["changes"] == {"p50_days": {"from": 20, "to": 25}, "p90_days": {"from": 30, "to": 40}}
    assert entries[1]["recordType"] == "ProcessingOverride" and entries[1]["action"] == "create"
    assert entries[1]["changes"]["code"] == "TFWP"

    # A request's what-if wins over the firm's figures.
    assert await _processing_days(gql, options={"processing": [{**TFWP_OUTSIDE, "p50Days": 70, "p90Days": 70}]}) == 70

    removed = await gql(REMOVE, {"input": TFWP_OUTSIDE})
    assert removed["removeProcessingTime"]["__typename"] == "Deleted"
    assert (await gql(LIST))["processingTimes"] == []
    assert await _processing_days(gql) == 154
    again = await gql(REMOVE, {"input": TFWP_OUTSIDE})
    assert again["removeProcessingTime"]["__typename"] == "NotFound"


async def test_bad_processing_times_are_refused_with_their_paths(gql: Gql) -> None:
    refused = await gql(SET, {"input": {"code": "C99", "insideCanada": True, "p50Days": 90, "p90Days": 60}})
    errors = refused["setProcessingTime"]["errors"]
    assert [e["path"] for e in errors] == ["input.code", "input.p90Days"]
    assert (await gql(LIST))["processingTimes"] == []

    bad = {"processing": [{**TFWP_OUTSIDE, "p50Days": -3, "p90Days": 10}]}
    found = await gql(PLAN, {"s": VISITOR, "o": bad})
    assert found["planScenario"]["__typename"] == "InvalidScenario"
    assert [e["path"] for e in found["planScenario"]["errors"]] == ["options.processing[0].p50Days"]


async def test_the_plan_says_what_slow_processing_does(gql: Gql) -> None:
    found = (await gql(PLAN, {"s": VISITOR, "o": {"timeLimitMs": 20_000}}))["planScenario"]
    robustness = found["robustness"]
    assert robustness["basis"] == "P90"
    for outcome in ("expected", "slow"):
        assert all(g["daysWithoutStatus"] == 0 for g in robustness[outcome]["gaps"])


STORED_PLAN = """mutation($id: ID!) {
  planHousehold(householdId: $id, asOf: "2026-01-15", options: {timeLimitMs: 20000}) { __typename
    ... on StoredPlan { planKey plan { permits { code applyOn validFrom } robustness { basis } } } } }"""


async def test_a_firms_processing_time_changes_its_stored_households_plans(gql: Gql) -> None:
    # The PGWP ends 2026-04-30, before PR approval: the plan files a bridging permit (A75) inside Canada.
    data = household_input()
    data["principal"]["status"]["validTo"] = "2026-04-30"
    data["principal"]["permits"][0]["validTo"] = "2026-04-30"
    household = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]["household"]
    before = (await gql(STORED_PLAN, {"id": household["id"]}))["planHousehold"]
    assert before["__typename"] == "StoredPlan" and before["plan"]["permits"], before
    code = before["plan"]["permits"][0]["code"]
    for inside in (True, False):
        await gql(SET, {"input": {"code": code, "insideCanada": inside, "p50Days": 7, "p90Days": 9}})
    after = (await gql(STORED_PLAN, {"id": household["id"]}))["planHousehold"]
    assert after["planKey"] != before["planKey"]
    assert after["plan"]["permits"] != before["plan"]["permits"]
    # Decided after 7 days, the bridging permit is issued once the R10 check allows (A75.completeness), not
    # after the rules' 120: it starts sooner.
    first = {p["code"]: p["validFrom"] for p in before["plan"]["permits"]}
    assert all(p["validFrom"] < first[p["code"]] for p in after["plan"]["permits"] if p["code"] == code)


COMPARE = """query($a: ScenarioInput!, $b: ScenarioInput!, $o: PlanOptionsInput) {
  comparePlanScenarios(a: $a, b: $b, options: $o) { __typename
    ... on PlanDiff { permitsRemoved { code applyOn validFrom } } } }"""


async def test_compared_scenarios_are_planned_with_the_firms_processing_times(gql: Gql) -> None:
    await gql(SET, {"input": {**TFWP_OUTSIDE, "p50Days": 20, "p90Days": 30}})
    without_offer = {**VISITOR, "offers": []}
    found = await gql(COMPARE, {"a": VISITOR, "b": without_offer, "o": {"timeLimitMs": 20_000}})
    compared = found["comparePlanScenarios"]
    assert compared["__typename"] == "PlanDiff", compared
    (before,) = compared["permitsRemoved"]
    assert before["code"] == "TFWP"
    # Plan a is the firm's plan of the household (as planScenario makes it), not one at the rules' 60/154 days.
    days = (dt.date.fromisoformat(before["validFrom"]) - dt.date.fromisoformat(before["applyOn"])).days
    assert days in (20, 30)
