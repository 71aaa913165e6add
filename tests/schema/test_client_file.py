"""The client file over GraphQL: planScenario's new inputs checked by `solver.fields` (errors named by their
contract paths), explicit nulls refused naming the field, and the stored household's new facts written, shown
and replaced through the household mutations (children as a whole list, the version counting the change)."""

from __future__ import annotations

import copy
from typing import Any

import strawberry
from strawberry.tools import merge_types

from schema.planning import PlanningQuery
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.schema.test_unknown_and_null import SCENARIO

SCHEMA = strawberry.Schema(query=merge_types("Query", (PlanningQuery,)))
PLAN = """query($s: ScenarioInput!) { planScenario(scenario: $s) {
    __typename ... on InvalidScenario { errors { path message } } } }"""


def _scenario() -> dict[str, Any]:
    scenario = copy.deepcopy(SCENARIO)
    scenario["principal"]["pendingApplications"] = [{"code": "C10", "appliedOn": "2026-11-20", "offerRef": "acme"}]
    scenario["principal"]["prApplication"] = {"program": "CEC", "submittedOn": "2026-10-01"}
    scenario["principal"]["biometricsGivenOn"] = "2023-06-01"
    scenario["offers"][0]["lmiaExemptCode"] = "C10"
    scenario["children"] = [{"birthDate": "2022-02-02", "citizenships": ["CA"], "inCanada": True}]
    return scenario


async def _plan(scenario: dict[str, Any]) -> dict[str, Any]:
    result = await SCHEMA.execute(PLAN, variable_values={"s": scenario})
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] = result.data["planScenario"]
    return answer


async def test_plan_scenario_takes_the_whole_file() -> None:
    assert (await _plan(_scenario()))["__typename"] == "Plan"


async def test_plan_scenario_names_each_bad_fact_of_the_file_by_its_path() -> None:
    scenario = _scenario()
    scenario["principal"]["pendingApplications"][0]["appliedOn"] = "2026-12-02"
    scenario["principal"]["pendingApplications"].append({"code": "Z99", "appliedOn": "2026-11-01"})
    scenario["principal"]["prApplication"] = {"program": "EE", "submittedOn": "2026-10-01", "aorOn": "2026-09-01"}
    scenario["offers"][0]["lmiaAppliedOn"] = "2026-10-01"
    scenario["spouse"] = {"birthDate": "1990-01-01", "citizenships": ["CA"], "inCanada": False}
    scenario["spouse"]["canadianStatus"] = "CITIZEN"
    scenario["spouse"]["status"] = {"kind": "VISITOR", "validTo": "2027-01-01"}
    scenario["children"][0]["citizenships"] = ["ca"]
    answer = await _plan(scenario)
    assert answer["__typename"] == "InvalidScenario"
    assert [(e["path"], e["message"].split(";")[0]) for e in answer["errors"]] == [
        ("scenario.principal.pendingApplications[0].appliedOn", "2026-12-02 is after asOf 2026-12-01"),
        ("scenario.principal.pendingApplications[1].code", "'Z99' is not a permit category of the catalog"),
        ("scenario.principal.prApplication.program", "'EE' is not a permanent-residence program (PR.programs)"),
        ("scenario.principal.prApplication.aorOn", "aorOn 2026-09-01 is before submittedOn 2026-10-01"),
        (
            "scenario.spouse.status",
            "must be empty for a citizen (canadianStatus): a Canadian needs no temporary status, permit or PR "
            "application",
        ),
        (
            "scenario.spouse.inCanada",
            "must be true for a citizen (canadianStatus): the planner takes a Canadian member as in Canada",
        ),
        (
            "scenario.children[0].citizenships[0]",
            "'ca' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. IN, FR, US)",
        ),
        ("scenario.offers[0].lmiaAppliedOn", "an offer under LMIA-exempt code C10 needs no LMIA"),
    ]


async def test_plan_scenario_refuses_a_null_for_a_new_field_with_a_default() -> None:
    scenario = _scenario()
    scenario["principal"]["pendingApplications"][0]["insideCanada"] = None
    scenario["principal"]["pendingApplications"][0]["withRestoration"] = None
    scenario["children"] = None
    assert await _plan(scenario) == {
        "__typename": "InvalidScenario",
        "errors": [
            {"path": path, "message": f"must not be null; omit it to use the default ({default})"}
            for path, default in [
                ("scenario.principal.pendingApplications[0].insideCanada", "true"),
                ("scenario.principal.pendingApplications[0].withRestoration", "false"),
                ("scenario.children", "[]"),
            ]
        ],
    }


SHOW = """query($id: ID!) { node(id: $id) { ... on Household { version children { birthDate citizenships inCanada }
    principal { biometricsGivenOn canadianStatus prApplication { program submittedOn aorOn }
      permits { code status appliedOn insideCanada withRestoration offer { ref } } }
    spouse { canadianStatus status { kind } }
    offers { ref lmiaAppliedOn } } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateHouseholdInput!, $v: Int) { updateHousehold(id: $id, input: $input,
    version: $v) { __typename ... on HouseholdPayload { household { version children { birthDate } } }
    ... on InvalidInput { errors { path message } } ... on Conflict { message } } }"""


def _file_household() -> dict[str, Any]:
    data = household_input()
    data["offers"] = [
        {**data["offers"][0], "lmiaExemptCode": None, "lmiaAppliedOn": "2025-11-03"},
    ]
    data["principal"]["biometricsGivenOn"] = "2024-06-01"
    data["principal"]["prApplication"] = {"program": "CEC", "submittedOn": "2025-10-01", "aorOn": "2025-10-20"}
    data["principal"]["permits"].append(
        {
            "code": "TFWP",
            "open": False,
            "status": "APPLIED",
            "appliedOn": "2025-12-01",
            "offerRef": "offer-0",
            "insideCanada": False,
            "withRestoration": True,
        }
    )
    data["spouse"] = {**data["spouse"], "citizenships": ["CA"], "canadianStatus": "CITIZEN"}
    data["children"] = [{"birthDate": "2021-04-04", "citizenships": ["CA", "JP"], "inCanada": True}]
    return data


async def test_a_stored_household_keeps_the_file_and_replaces_its_children(gql: Gql) -> None:
    created = (await gql(CREATE_HOUSEHOLD, {"input": _file_household()}))["createHousehold"]
    assert created["__typename"] == "HouseholdPayload", created
    household_id = created["household"]["id"]
    shown = (await gql(SHOW, {"id": household_id}))["node"]
    assert shown == {
        "version": 1,
        "children": [{"birthDate": "2021-04-04", "citizenships": ["CA", "JP"], "inCanada": True}],
        "principal": {
            "biometricsGivenOn": "2024-06-01",
            "canadianStatus": None,
            "prApplication": {"program": "CEC", "submittedOn": "2025-10-01", "aorOn": "2025-10-20"},
            "permits": [
                {
                    "code": "C43",
                    "status": "APPROVED",
                    "appliedOn": None,
                    "insideCanada": True,
                    "withRestoration": False,
                    "offer": None,
                },
                {
                    "code": "TFWP",
                    "status": "APPLIED",
                    "appliedOn": "2025-12-01",
                    "insideCanada": False,
                    "withRestoration": True,
                    "offer": {"ref": "offer-0"},
                },
            ],
        },
        "spouse": {"canadianStatus": "CITIZEN", "status": None},
        "offers": [{"ref": "offer-0", "lmiaAppliedOn": "2025-11-03"}],
    }
    two = [
        {"birthDate": "2021-04-04", "citizenships": ["CA"], "inCanada": True},
        {"birthDate": "2024-01-09", "citizenships": ["CA"], "inCanada": True},
    ]
    replaced = (await gql(UPDATE, {"id": household_id, "input": {"children": two}, "v": 1}))["updateHousehold"]
    assert replaced == {
        "__typename": "HouseholdPayload",
        "household": {"version": 2, "children": [{"birthDate": "2021-04-04"}, {"birthDate": "2024-01-09"}]},
    }
    stale = (await gql(UPDATE, {"id": household_id, "input": {"children": []}, "v": 1}))["updateHousehold"]
    assert stale["__typename"] == "Conflict"
    refused = (await gql(UPDATE, {"id": household_id, "input": {"children": None}}))["updateHousehold"]
    assert refused == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.children", "message": "must not be null; give [] for a household without children"}],
    }
    bad = [{"birthDate": "2021-04-04", "citizenships": [], "inCanada": True}]
    refused = (await gql(UPDATE, {"id": household_id, "input": {"children": bad}}))["updateHousehold"]
    assert refused == {
        "__typename": "InvalidInput",
        "errors": [{"path": "input.children[0].citizenships", "message": "at least one citizenship is required"}],
    }
    emptied = (await gql(UPDATE, {"id": household_id, "input": {"children": []}}))["updateHousehold"]
    assert emptied == {"__typename": "HouseholdPayload", "household": {"version": 3, "children": []}}


async def test_household_mutations_refuse_the_file_s_bad_facts_naming_the_field(gql: Gql) -> None:
    data = _file_household()
    data["principal"]["permits"][1]["insideCanada"] = None
    data["principal"]["prApplication"]["program"] = "EE"
    data["offers"][0]["lmiaExemptCode"] = "C10"
    data["spouse"]["status"] = {"kind": "VISITOR", "validTo": "2027-01-01"}
    data["spouse"]["inCanada"] = False
    data["spouse"]["permits"] = [{"code": "C41", "open": True, "status": "APPLIED", "appliedOn": "2025-09-09"}]
    answer = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]
    assert answer == {
        "__typename": "InvalidInput",
        "errors": [
            {
                "path": "input.principal.permits[1].insideCanada",
                "message": "must not be null; omit it to use the default (true)",
            }
        ],
    }
    data["principal"]["permits"][1]["insideCanada"] = False
    answer = (await gql(CREATE_HOUSEHOLD, {"input": data}))["createHousehold"]
    assert answer["__typename"] == "InvalidInput"
    assert [(e["path"], e["message"].split(";")[0].split(":")[0]) for e in answer["errors"]] == [
        ("input.principal.prApplication.program", "'EE' is not a permanent-residence program (PR.programs)"),
        ("input.spouse.status", "must be empty for a citizen (canadianStatus)"),
        ("input.spouse.inCanada", "must be true for a citizen (canadianStatus)"),
        ("input.spouse.permits", "must be empty for a citizen (canadianStatus)"),
        ("input.offers[0].lmiaAppliedOn", "an offer under LMIA-exempt code C10 needs no LMIA"),
    ]


WHAT = """query($s: ScenarioInput!) { planScenario(scenario: $s) { __typename ... on Plan {
    explanation { ruleId effective effectiveFrom } closedRoutes { reasons { effective effectiveFrom } }
    deadlines { kind what date ruleId } } } }"""
PHRASES = {
    "APPLY_TO_KEEP_STATUS": "apply to keep status",
    "RESTORATION_ENDS": "restoration window closes",
    "WINDOW_CLOSES": "PGWP window closes",
    "TEST_EXPIRES": "language test expires",
    "ITA_ACCEPTANCE": "accept the invitation",
}


async def test_findings_cite_effective_from_and_deadlines_say_what_is_due() -> None:
    # The file as it stands before anything was filed: with the C10 extension pending, status is maintained and
    # nothing is due (no deadline to say what of).
    result = await SCHEMA.execute(WHAT, variable_values={"s": copy.deepcopy(SCENARIO)})
    assert result.errors is None and result.data is not None
    plan = result.data["planScenario"]
    findings = plan["explanation"] + [r for route in plan["closedRoutes"] for r in route["reasons"]]
    assert any(f["effectiveFrom"] is not None for f in findings)
    assert all(f["effective"] == f["effectiveFrom"] for f in findings)
    assert plan["deadlines"]
    assert all(d["what"] == PHRASES[d["kind"]] for d in plan["deadlines"])


def test_finding_effective_is_a_deprecated_alias_of_effective_from() -> None:
    finding = SCHEMA._schema.get_type("Finding")
    assert finding is not None
    fields = finding.fields  # type: ignore[attr-defined]
    assert fields["effective"].deprecation_reason == "Use effectiveFrom (the contract's name since December 2026)."
    assert fields["effectiveFrom"].deprecation_reason is None
