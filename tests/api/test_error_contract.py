"""One error contract for every input problem (issue 13, item 2): a corpus of bad inputs, one per row.

Each row is a request a client could send, to planScenario, startPlan, eligibility, crs, households and the
household mutations, wrong in one way: found by variable coercion (before any resolver), by the limits of
the variables and the document (before execution), or by the checks of facts (while resolving). Whatever
found it, the answer names the field by its path from the operation's variables or arguments, with a code
from `FieldErrorCode`, and a short message that does not echo the input: in a result union's `errors`
(InvalidScenario, InvalidInput) or in `errors[].extensions.fieldErrors`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.keys import Role
from schema.errors import MAX_MESSAGE, FieldErrorCode
from tests.api.conftest import Service
from tests.schema.records import CREATE_HOUSEHOLD, OFFER, PRINCIPAL, household_input

FIXTURE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json"
SCENARIO: dict[str, Any] = json.loads(FIXTURE.read_text())["scenario"]
ERRORS = "errors { path code message }"
PLAN = f"""query($scenario: ScenarioInput!, $options: PlanOptionsInput) {{
  planScenario(scenario: $scenario, options: $options) {{ __typename ... on InvalidScenario {{ {ERRORS} }} }} }}"""
START = f"""mutation($scenario: ScenarioInput, $options: PlanOptionsInput) {{
  startPlan(scenario: $scenario, options: $options) {{
    __typename ... on InvalidScenario {{ {ERRORS} }} ... on InvalidInput {{ {ERRORS} }} }} }}"""
ELIGIBILITY = "query($scenario: JSON!) { eligibility(scenario: $scenario) { code } }"
ELIGIBILITY_TYPED = "query($scenarioInput: ScenarioInput!) { eligibility(scenarioInput: $scenarioInput) { code } }"
CRS_TYPED = "query($scenarioInput: ScenarioInput!) { crs(scenarioInput: $scenarioInput, draw: CEC) { total } }"
CRS = """query($scenario: JSON!, $drawType: String! = "CEC", $noc: String) {
  crs(scenario: $scenario, drawType: $drawType, arrangedEmploymentNoc: $noc) { total } }"""
CREATE = f"""mutation($input: CreateHouseholdInput!) {{
  createHousehold(input: $input) {{ __typename ... on InvalidInput {{ {ERRORS} }} }} }}"""
CREATE_OFFER = f"""mutation($householdId: ID!, $input: CreateOfferInput!) {{
  createOffer(householdId: $householdId, input: $input) {{ __typename ... on InvalidInput {{ {ERRORS} }} }} }}"""
UPDATE_MEMBER = f"""mutation($id: ID!, $input: UpdateMemberInput!) {{
  updateMember(id: $id, input: $input) {{ __typename ... on InvalidInput {{ {ERRORS} }} }} }}"""
CREATE_EDUCATION = f"""mutation($memberId: ID!, $input: CreateEducationInput!) {{
  createEducation(memberId: $memberId, input: $input) {{ __typename ... on InvalidInput {{ {ERRORS} }} }} }}"""
UPDATE_HOUSEHOLD = f"""mutation($id: ID!, $input: UpdateHouseholdInput!) {{
  updateHousehold(id: $id, input: $input) {{ __typename ... on InvalidInput {{ {ERRORS} }} }} }}"""
# Stand-ins for the ids of a household stored before each row runs (`stored`).
HOUSEHOLD_ID = "<household>"
PRINCIPAL_ID = "<principal>"
CHILD = {"birthDate": "2021-04-04", "citizenships": ["CA"], "inCanada": True}
HOUSEHOLDS = """query($first: Int!, $nameContains: String) {
  households(first: $first, nameContains: $nameContains) { edges { cursor } } }"""
LITERAL_DATE = """query { planScenario(scenario: {asOf: "2026-13-01",
  principal: {birthDate: "2002-03-03", citizenships: ["NG"], inCanada: true}}) { __typename } }"""
LITERAL_FIELD = """query { planScenario(scenario: {asOf: "2026-12-01",
  principal: {birthDate: "2002-03-03", citizenships: ["NG"], inCanada: true, education: [{credential: MASTER}]}}) {
  __typename } }"""
LITERAL_TIME = """query($scenario: ScenarioInput!) {
  planScenario(scenario: $scenario, options: {timeLimitMs: 60000}) { __typename } }"""


def scenario(change: Callable[[dict[str, Any]], object] = lambda s: None) -> dict[str, Any]:
    """The fixture's scenario with one change."""
    copied = copy.deepcopy(SCENARIO)
    change(copied)
    return copied


def principal(**fields: Any) -> dict[str, Any]:
    return scenario(lambda s: s["principal"].update(fields))


def offer(**fields: Any) -> dict[str, Any]:
    return scenario(lambda s: s["offers"][0].update(fields))


def education(**fields: Any) -> dict[str, Any]:
    return scenario(lambda s: s["principal"]["education"][0].update(fields))


def without(*path: str) -> dict[str, Any]:
    def drop(s: dict[str, Any]) -> None:
        holder = s
        for step in path[:-1]:
            holder = holder[step]
        del holder[path[-1]]

    return scenario(drop)


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def household(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = household_input("Tanaka")
    change(data)
    return data


EDUCATION = PRINCIPAL["education"][0]
WORK = {"nocCode": "21999", "start": "2025-01-06", "hoursPerWeek": 40, "inCanada": True}


@dataclass(frozen=True)
class Bad:
    """One bad input: the operation, its variables, and the field error it must answer with."""

    layer: str  # coercion, limit or check: which layer finds it
    query: str
    variables: dict[str, Any]
    path: str
    code: FieldErrorCode


CORPUS: dict[str, Bad] = {
    # --- planScenario: variable coercion, before any resolver ---
    "plan-date-not-a-date": Bad(
        "coercion",
        PLAN,
        {"scenario": principal(birthDate="nope")},
        "scenario.principal.birthDate",
        FieldErrorCode.INVALID_VALUE,
    ),
    "plan-date-not-a-string": Bad(
        "coercion",
        PLAN,
        {"scenario": principal(birthDate=12)},
        "scenario.principal.birthDate",
        FieldErrorCode.INVALID_TYPE,
    ),
    "plan-date-out-of-range": Bad(
        "coercion",
        PLAN,
        {"scenario": scenario(lambda s: s.update(asOf="9999-12-31"))},
        "scenario.asOf",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-required-field-missing": Bad(
        "coercion",
        PLAN,
        {"scenario": without("principal", "inCanada")},
        "scenario.principal.inCanada",
        FieldErrorCode.REQUIRED,
    ),
    "plan-required-field-null": Bad(
        "coercion", PLAN, {"scenario": principal(inCanada=None)}, "scenario.principal.inCanada", FieldErrorCode.NOT_NULL
    ),
    "plan-unknown-field": Bad(
        "coercion", PLAN, {"scenario": principal(bogus=1)}, "scenario.principal.bogus", FieldErrorCode.UNKNOWN_FIELD
    ),
    "plan-unknown-enum-value": Bad(
        "coercion",
        PLAN,
        {"scenario": education(credential="XX")},
        "scenario.principal.education[0].credential",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "plan-text-for-an-int": Bad(
        "coercion",
        PLAN,
        {"scenario": scenario(lambda s: s.update(horizonMonths="x" * 5000))},
        "scenario.horizonMonths",
        FieldErrorCode.INVALID_TYPE,
    ),
    "plan-int-over-32-bits": Bad(
        "coercion",
        PLAN,
        {"scenario": scenario(lambda s: s.update(horizonMonths=2**40))},
        "scenario.horizonMonths",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-text-for-an-object": Bad(
        "coercion",
        PLAN,
        {"scenario": scenario(lambda s: s.update(principal="me"))},
        "scenario.principal",
        FieldErrorCode.INVALID_TYPE,
    ),
    "plan-variable-null": Bad("coercion", PLAN, {"scenario": None}, "scenario", FieldErrorCode.NOT_NULL),
    "plan-variable-missing": Bad("coercion", PLAN, {}, "scenario", FieldErrorCode.REQUIRED),
    # --- planScenario: values written in the document (validation, with the same messages) ---
    "plan-literal-date-not-a-date": Bad("coercion", LITERAL_DATE, {}, "scenario.asOf", FieldErrorCode.INVALID_VALUE),
    "plan-literal-required-field-missing": Bad(
        "coercion", LITERAL_FIELD, {}, "scenario.principal.education[0].completion", FieldErrorCode.REQUIRED
    ),
    # --- planScenario: the checks of facts and options (InvalidScenario) ---
    "plan-horizon-out-of-range": Bad(
        "check",
        PLAN,
        {"scenario": scenario(lambda s: s.update(horizonMonths=500))},
        "scenario.horizonMonths",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-unknown-country": Bad(
        "check",
        PLAN,
        {"scenario": principal(citizenships=["XX"])},
        "scenario.principal.citizenships[0]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "plan-unknown-noc": Bad(
        "check",
        PLAN,
        {"scenario": principal(workHistory=[WORK])},
        "scenario.principal.workHistory[0].nocCode",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "plan-unknown-province": Bad(
        "check", PLAN, {"scenario": offer(province="ZZ")}, "scenario.offers[0].province", FieldErrorCode.UNKNOWN_CODE
    ),
    "plan-hours-out-of-range": Bad(
        "check",
        PLAN,
        {"scenario": offer(hoursPerWeek=500)},
        "scenario.offers[0].hoursPerWeek",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-duplicate-offer-ref": Bad(
        "check",
        PLAN,
        {"scenario": scenario(lambda s: s["offers"].append(dict(s["offers"][0])))},
        "scenario.offers[1].ref",
        FieldErrorCode.DUPLICATE,
    ),
    "plan-born-after-as-of": Bad(
        "check",
        PLAN,
        {"scenario": principal(birthDate="2027-01-01")},
        "scenario.principal.birthDate",
        FieldErrorCode.INVALID_VALUE,
    ),
    "plan-null-for-a-default": Bad(
        "check",
        PLAN,
        {"scenario": education(pgwpEligibleDli=None)},
        "scenario.principal.education[0].pgwpEligibleDli",
        FieldErrorCode.NOT_NULL,
    ),
    "plan-time-limit-negative": Bad(
        "check",
        PLAN,
        {"scenario": scenario(), "options": {"timeLimitMs": -1}},
        "options.timeLimitMs",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-ita-wait-out-of-range": Bad(
        "check",
        PLAN,
        {"scenario": scenario(), "options": {"itaWaitDays": 10**8}},
        "options.itaWaitDays",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "plan-objective-repeated": Bad(
        "check",
        PLAN,
        {"scenario": scenario(), "options": {"objective": ["PR_READY", "PR_READY"]}},
        "options.objective",
        FieldErrorCode.DUPLICATE,
    ),
    # --- planScenario: the limits, before execution ---
    "plan-time-over-the-cap": Bad(
        "limit",
        PLAN,
        {"scenario": scenario(), "options": {"timeLimitMs": 60_000}},
        "options.timeLimitMs",
        FieldErrorCode.LIMIT,
    ),
    "plan-time-over-the-cap-literal": Bad(
        "limit", LITERAL_TIME, {"scenario": scenario()}, "options.timeLimitMs", FieldErrorCode.LIMIT
    ),
    "plan-too-many-offers": Bad(
        "limit",
        PLAN,
        {"scenario": scenario(lambda s: s.update(offers=[{**s["offers"][0], "ref": f"o{i}"} for i in range(51)]))},
        "scenario.offers",
        FieldErrorCode.TOO_MANY,
    ),
    "plan-too-many-citizenships": Bad(
        "limit",
        PLAN,
        {"scenario": principal(citizenships=["FR"] * 6)},
        "scenario.principal.citizenships",
        FieldErrorCode.TOO_MANY,
    ),
    "plan-nul-in-text": Bad(
        "limit", PLAN, {"scenario": offer(ref="a\x00b")}, "scenario.offers[0].ref", FieldErrorCode.INVALID_TEXT
    ),
    "plan-nested-too-deep": Bad(
        "limit",
        PLAN,
        {"scenario": principal(bogus=nested(14))},
        "scenario.principal.bogus" + ".a" * 10,
        FieldErrorCode.LIMIT,
    ),
    # --- startPlan ---
    "start-unknown-country": Bad(
        "check",
        START,
        {"scenario": principal(citizenships=["XX"])},
        "scenario.principal.citizenships[0]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "start-neither-household-nor-scenario": Bad("check", START, {}, "householdId", FieldErrorCode.INVALID_VALUE),
    "start-time-over-the-cap": Bad(
        "limit",
        START,
        {"scenario": scenario(), "options": {"timeLimitMs": 60_000}},
        "options.timeLimitMs",
        FieldErrorCode.LIMIT,
    ),
    "start-date-not-a-date": Bad(
        "coercion",
        START,
        {"scenario": principal(birthDate="03/03/2002")},
        "scenario.principal.birthDate",
        FieldErrorCode.INVALID_VALUE,
    ),
    # --- eligibility and crs ---
    "eligibility-unknown-noc": Bad(
        "check",
        ELIGIBILITY,
        {"scenario": principal(workHistory=[WORK])},
        "scenario.principal.workHistory[0].nocCode",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "eligibility-missing-as-of": Bad(
        "check", ELIGIBILITY, {"scenario": without("asOf")}, "scenario.asOf", FieldErrorCode.REQUIRED
    ),
    "eligibility-date-out-of-range": Bad(
        "check",
        ELIGIBILITY,
        {"scenario": principal(birthDate="0001-01-01")},
        "scenario.principal.birthDate",
        FieldErrorCode.OUT_OF_RANGE,
    ),
    "eligibility-typed-unknown-country": Bad(
        "check",
        ELIGIBILITY_TYPED,
        {"scenarioInput": principal(citizenships=["XX"])},
        "scenarioInput.principal.citizenships[0]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "crs-typed-date-not-a-date": Bad(
        "coercion",
        CRS_TYPED,
        {"scenarioInput": principal(birthDate="nope")},
        "scenarioInput.principal.birthDate",
        FieldErrorCode.INVALID_VALUE,
    ),
    "crs-typed-null-for-a-default": Bad(
        "check",
        CRS_TYPED,
        {"scenarioInput": education(pgwpEligibleDli=None)},
        "scenarioInput.principal.education[0].pgwpEligibleDli",
        FieldErrorCode.NOT_NULL,
    ),
    "crs-unknown-draw-type": Bad(
        "check", CRS, {"scenario": scenario(), "drawType": "x" * 10_000}, "drawType", FieldErrorCode.UNKNOWN_CODE
    ),
    "crs-unknown-noc": Bad(
        "check", CRS, {"scenario": scenario(), "noc": "21999"}, "arrangedEmploymentNoc", FieldErrorCode.UNKNOWN_CODE
    ),
    "crs-unknown-country": Bad(
        "check",
        CRS,
        {"scenario": principal(citizenships=["XX"])},
        "scenario.principal.citizenships[0]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    # --- households and the household mutations ---
    "households-page-too-large": Bad("check", HOUSEHOLDS, {"first": 101}, "first", FieldErrorCode.OUT_OF_RANGE),
    "households-filter-too-long": Bad(
        "check", HOUSEHOLDS, {"first": 10, "nameContains": "x" * 201}, "nameContains", FieldErrorCode.TOO_LONG
    ),
    "create-unknown-country": Bad(
        "check",
        CREATE,
        {"input": household(lambda h: h["principal"].update(citizenships=["XX"]))},
        "input.principal.citizenships[0]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "create-name-two-lines": Bad(
        "check",
        CREATE,
        {"input": household(lambda h: h.update(name="Two\nlines"))},
        "input.name",
        FieldErrorCode.INVALID_TEXT,
    ),
    "create-name-too-long": Bad(
        "check",
        CREATE,
        {"input": household(lambda h: h["principal"].update(name="x" * 201))},
        "input.principal.name",
        FieldErrorCode.TOO_LONG,
    ),
    "create-principal-missing": Bad(
        "coercion",
        CREATE,
        {"input": household(lambda h: h.pop("principal"))},
        "input.principal",
        FieldErrorCode.REQUIRED,
    ),
    "create-unknown-holder": Bad(
        "coercion",
        CREATE,
        {"input": household(lambda h: h["offers"][0].update(holder="BOSS"))},
        "input.offers[0].holder",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "create-nul-in-name": Bad(
        "limit",
        CREATE,
        {"input": household(lambda h: h.update(name="Ta\x00naka"))},
        "input.name",
        FieldErrorCode.INVALID_TEXT,
    ),
    "create-too-many-offers": Bad(
        "limit",
        CREATE,
        {"input": household(lambda h: h.update(offers=[{**h["offers"][0], "ref": f"o{i}"} for i in range(51)]))},
        "input.offers",
        FieldErrorCode.TOO_MANY,
    ),
    "create-offer-unknown-province": Bad(
        "check",
        CREATE_OFFER,
        {"householdId": HOUSEHOLD_ID, "input": {**OFFER, "ref": "second", "province": "ZZ"}},
        "input.province",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "update-member-unknown-country": Bad(
        "check",
        UPDATE_MEMBER,
        {"id": PRINCIPAL_ID, "input": {"citizenships": ["JP", "XX"]}},
        "input.citizenships[1]",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "create-education-unknown-credential": Bad(
        "coercion",
        CREATE_EDUCATION,
        {"memberId": PRINCIPAL_ID, "input": {**EDUCATION, "credential": "PHD"}},
        "input.credential",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    "update-household-too-many-children": Bad(
        "limit",
        UPDATE_HOUSEHOLD,
        {"id": HOUSEHOLD_ID, "input": {"children": [CHILD] * 21}},
        "input.children",
        FieldErrorCode.TOO_MANY,
    ),
}


def with_ids(value: Any, ids: dict[str, str]) -> Any:
    """`value` with the stand-in ids replaced by the stored household's."""
    if isinstance(value, dict):
        return {k: with_ids(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [with_ids(v, ids) for v in value]
    return ids.get(value, value) if isinstance(value, str) else value


def field_errors(body: dict[str, Any]) -> list[dict[str, str]]:
    """Every field error of a response: a result union's `errors` and each error's `extensions.fieldErrors`."""
    found: list[dict[str, str]] = []
    for value in (body.get("data") or {}).values():
        if isinstance(value, dict) and value.get("__typename") in ("InvalidScenario", "InvalidInput"):
            found += value["errors"]
    for error in body.get("errors") or []:
        assert error["extensions"]["code"] == "INVALID_INPUT", error
        assert error["extensions"]["fieldErrors"], error
        found += error["extensions"]["fieldErrors"]
    return found


@pytest.fixture
async def key(service: Service) -> str:
    return await service.key(await service.tenant(), Role.CONSULTANT)


@pytest.fixture
async def stored(service: Service, key: str) -> dict[str, str]:
    """A household of the key's firm: the stand-in ids of the rows that change one."""
    created = (await service.data(CREATE_HOUSEHOLD, key, {"input": household_input("Stored")}))["createHousehold"]
    household = created["household"]
    return {HOUSEHOLD_ID: household["id"], PRINCIPAL_ID: household["principal"]["id"]}


def test_the_corpus_covers_every_layer_and_operation() -> None:
    assert len(CORPUS) >= 30
    assert {bad.layer for bad in CORPUS.values()} == {"coercion", "limit", "check"}
    operations = {bad.query for bad in CORPUS.values()}
    assert {
        PLAN,
        START,
        ELIGIBILITY,
        CRS,
        CREATE,
        CREATE_OFFER,
        UPDATE_MEMBER,
        UPDATE_HOUSEHOLD,
        HOUSEHOLDS,
    } <= operations


@pytest.mark.parametrize("name", list(CORPUS))
async def test_a_bad_input_names_its_field_with_a_code(
    service: Service, key: str, stored: dict[str, str], name: str
) -> None:
    bad = CORPUS[name]
    response = await service.post({"query": bad.query, "variables": with_ids(bad.variables, stored)}, key)
    assert response.status_code in (200, 400), response.text
    errors = field_errors(response.json())
    assert {"path": bad.path, "code": bad.code.name} in [{"path": e["path"], "code": e["code"]} for e in errors], errors
    sent = json.dumps(bad.variables)
    for error in errors:
        assert error["path"] and error["code"] in FieldErrorCode.__members__, error
        # Short English, never the client's input echoed back (at most a value, cut).
        assert 0 < len(error["message"]) <= MAX_MESSAGE, error
        assert "found:" not in error["message"] and sent not in error["message"], error
    for error in response.json().get("errors") or []:
        assert len(error["message"]) <= MAX_MESSAGE + 200 and "found:" not in error["message"], error
