"""RulesQuery over GraphQL: the catalog, the rules, eligibility and CRS for an inline scenario."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import strawberry

from schema.rules import RulesQuery
from solver.rules.registry import load_rules
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input

SCHEMA = strawberry.Schema(query=RulesQuery)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _run(query: str, **variables: Any) -> dict[str, Any]:
    result = SCHEMA.execute_sync(query, variable_values=variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _scenario(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / "scenarios" / f"{name}.json").read_text())
    return doc["scenario"]  # type: ignore[no-any-return]


def test_permit_categories_as_in_the_contract() -> None:
    data = _run(
        "query($asOf: Date) { permitCategories(asOf: $asOf) { code name program open requiresOffer } }",
        asOf="2026-06-01",
    )
    rows = {r["code"]: r for r in data["permitCategories"]}
    assert rows["C43"] == {
        "code": "C43",
        "name": "Post-graduation work permit",
        "program": "IMP",
        "open": True,
        "requiresOffer": False,
    }
    assert rows["TFWP"]["program"] == "TFWP"
    assert rows["C63"]["open"] is False and rows["C63"]["requiresOffer"] is True
    assert "C12" not in rows and "C30" not in rows


@pytest.mark.parametrize(
    ("as_of", "present"),
    [("2023-05-09", False), ("2023-05-10", True)],
    ids=["day before A74", "A74 from 2023-05-10"],
)
def test_permit_categories_by_date(as_of: str, present: bool) -> None:
    data = _run("query($asOf: Date) { permitCategories(asOf: $asOf) { code } }", asOf=as_of)
    assert ("A74" in {r["code"] for r in data["permitCategories"]}) is present


def test_permit_category_by_code_and_alias() -> None:
    query = """query($code: String!) { permitCategory(code: $code, asOf: "2026-06-01") {
        code employerComplianceFee processingFee openPermitHolderFee biometricsFee processingDaysInside
        maxDurationRule aliases documents streams { code open } } }"""
    c63 = _run(query, code="C63")["permitCategory"]
    assert (c63["code"], c63["employerComplianceFee"], c63["aliases"]) == ("C63", 230.0, ["C12"])
    assert _run(query, code="T23")["permitCategory"]["code"] == "T36"
    assert _run(query, code="C30")["permitCategory"] is None
    assert [s["code"] for s in _run(query, code="C21")["permitCategory"]["streams"]] == ["WH", "YP", "COOP"]


def test_rules_with_dates_params_and_sources() -> None:
    query = """query($on: Date) { rules(asOf: $on, program: "C41") {
        id effective ends inForce params source confidence versions { effective ends params } } }"""
    before = {r["id"]: r for r in _run(query, on="2025-01-20")["rules"]}
    after = {r["id"]: r for r in _run(query, on="2025-01-21")["rules"]}
    assert json.loads(before["C41.principal_validity"]["params"]) == {"months": 6}
    assert json.loads(after["C41.principal_validity"]["params"]) == {"months": 16}
    assert [v["effective"] for v in after["C41.principal_validity"]["versions"]] == ["1900-01-01", "2025-01-21"]
    assert all(r["source"].startswith("http") for r in after.values())
    assert _run("{ rulesVersion }")["rulesVersion"] == load_rules().version


def test_eligibility_for_an_inline_scenario_file() -> None:
    query = """query($s: JSON!) { eligibility(scenario: $s, person: SPOUSE) {
        code kind verdict eligibleFrom missing reasons { ruleId source } } }"""
    rows = {r["code"]: r for r in _run(query, s=_scenario("p02-spouse-of-master-student"))["eligibility"]}
    assert rows["C42"]["verdict"] == "ELIGIBLE"
    assert rows["C42"]["eligibleFrom"] == "2026-09-14"
    assert {r["ruleId"] for r in rows["C42"]["reasons"]} == {"C42.principal_status", "C42.principal_program"}
    assert rows["CEC"]["kind"] == "PR"


def test_invalid_scenario_is_a_public_error() -> None:
    result = SCHEMA.execute_sync('{ eligibility(scenario: {asOf: "nope"}) { code } }')
    assert result.errors is not None
    assert result.errors[0].message.startswith("scenario.asOf: expected an ISO date")
    assert result.errors[0].extensions is not None
    assert [(e["path"], e["code"]) for e in result.errors[0].extensions["fieldErrors"]] == [
        ("scenario.asOf", "INVALID_VALUE"),
        ("scenario.principal", "REQUIRED"),
    ]


def test_crs_breakdown() -> None:
    query = """query($s: JSON!) { crs(scenario: $s) { total core transferability additional
        factors { name points ruleId } latestCutoff { date type score } rulesVersion } }"""
    data = _run(query, s=_scenario("p04-teer2-bowp"))["crs"]
    points = {f["name"]: f["points"] for f in data["factors"]}
    # 31 on 2026-11-02 and single: 99; no education: 0; CLB 6 in four abilities: 4 x 9; 1 year in Canada: 40.
    assert (points["age"], points["education"], points["first_language"], points["canadian_experience"]) == (
        99,
        0,
        36,
        40,
    )
    assert (data["total"], data["core"], data["transferability"], data["additional"]) == (175, 175, 0, 0)
    assert data["latestCutoff"] == {"date": "2026-01-07", "type": "CEC", "score": 511}


HOUSEHOLD_ELIGIBILITY = """query($id: ID!, $person: Person!, $on: Date) {
  householdEligibility(id: $id, person: $person, on: $on) { code verdict eligibleFrom missing reasons { ruleId } }
}"""


async def test_eligibility_of_a_stored_household(gql: Gql) -> None:
    created = await gql(CREATE_HOUSEHOLD, {"input": household_input()})
    household_id = created["createHousehold"]["household"]["id"]
    data = await gql(HOUSEHOLD_ELIGIBILITY, {"id": household_id, "person": "SPOUSE", "on": "2026-01-05"})
    rows = {r["code"]: r for r in data["householdEligibility"]}
    # The principal works in NOC 21231 (TEER 1) on a PGWP valid to 2027-06-30: 17+ months left on 2026-01-05.
    assert rows["C41"]["verdict"] == "ELIGIBLE"
    assert {r["ruleId"] for r in rows["C41"]["reasons"]} >= {"C41.principal_occupation", "C41.principal_validity"}
    later = await gql(HOUSEHOLD_ELIGIBILITY, {"id": household_id, "person": "SPOUSE", "on": "2026-03-01"})
    c41 = {r["code"]: r for r in later["householdEligibility"]}["C41"]
    assert c41["verdict"] == "NOT_ELIGIBLE"  # fewer than 16 months left on 2026-03-01


async def test_unknown_household_is_null(gql: Gql) -> None:
    data = await gql(HOUSEHOLD_ELIGIBILITY, {"id": "SG91c2Vob2xkOjk5OTk5OQ==", "person": "PRINCIPAL", "on": None})
    assert data["householdEligibility"] is None
    data = await gql(HOUSEHOLD_ELIGIBILITY, {"id": "not-an-id", "person": "PRINCIPAL", "on": None})
    assert data["householdEligibility"] is None
