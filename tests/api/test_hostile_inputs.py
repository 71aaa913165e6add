"""The inputs that broke the service (issue 10, findings 7, 8 and 9) are refused as INVALID_INPUT or BAD_REQUEST,
naming the field and what is allowed, the same on SQLite and PostgreSQL, without an error-level log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.keys import Role
from api.request import MAX_JSON_NESTING
from tests.api.conftest import Service
from tests.schema.records import household_input

SCENARIO = json.loads((Path(__file__).parents[1] / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json").read_text())
PLAN = """query($scenario: ScenarioInput!, $options: PlanOptionsInput) {
  planScenario(scenario: $scenario, options: $options) {
    __typename ... on InvalidScenario { errors { path message } } } }"""
CREATE = """mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) {
  __typename ... on InvalidInput { errors { path message } } } }"""
COUNT = "{ households(first: 100) { edges { node { name } } } }"
DATES = "1900-01-01 to 2100-12-31"


@pytest.fixture
async def key(service: Service) -> str:
    return await service.key(await service.tenant(), Role.CONSULTANT)


@pytest.fixture(autouse=True)
def no_error_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A client's mistake is not the server's: nothing at error level (or above) is logged."""
    caplog.set_level(logging.INFO)
    yield
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


async def refusal(service: Service, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """The one error of a request refused before execution (400 as graphql-response+json)."""
    response = await service.post(body, key)
    payload = response.json()
    assert response.status_code == 400, payload
    assert "data" not in payload, payload
    [error] = payload["errors"]
    return dict(error)


def scenario(**principal: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(SCENARIO["scenario"]))
    data["principal"].update(principal)
    return dict(data)


async def test_a_body_nested_thousands_deep_is_a_bad_request(service: Service, key: str) -> None:
    for depth in (5_000, MAX_JSON_NESTING + 1):
        body = '{"query": "{ rulesVersion }", "extensions": {"x": ' + "[" * depth + "]" * depth + "}}"
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        response = await service.client.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {
                "message": f"the body is nested too deep (at most {MAX_JSON_NESTING} levels of objects and lists)",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]


async def test_a_date_outside_the_range_is_refused_in_a_literal(service: Service, key: str) -> None:
    error = await refusal(service, key, {"query": '{ permitCategories(asOf: "0001-01-01") { code } }'})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert f"0001-01-01 is outside the dates this service accepts, {DATES}" in error["message"]


async def test_a_date_outside_the_range_is_refused_in_a_variable_naming_its_path(service: Service, key: str) -> None:
    variables = {"scenario": {**scenario(), "asOf": "9999-12-31"}}
    error = await refusal(service, key, {"query": PLAN, "variables": variables})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    message = f"9999-12-31 is outside the dates this service accepts, {DATES}"
    assert error["message"] == f"scenario.asOf: {message}"
    assert error["extensions"]["fieldErrors"] == [{"path": "scenario.asOf", "code": "OUT_OF_RANGE", "message": message}]


async def test_plan_options_out_of_range_are_an_invalid_scenario(service: Service, key: str) -> None:
    variables = {"scenario": scenario(), "options": {"itaWaitDays": 100_000_000, "timeLimitMs": 500}}
    data = await service.data(PLAN, key, variables)
    assert data["planScenario"] == {
        "__typename": "InvalidScenario",
        "errors": [{"path": "options.itaWaitDays", "message": "100000000 is outside 0-3650 days"}],
    }


async def test_dates_inside_json_scenarios_are_bounded_too(service: Service, key: str) -> None:
    query = "query($s: JSON!) { crs(scenario: $s) { total } }"
    response = await service.post({"query": query, "variables": {"s": scenario(birthDate="0001-01-01")}}, key)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert f"principal.birthDate: 0001-01-01 is outside the dates this service accepts, {DATES}" in error["message"]


async def test_a_spouse_born_in_the_future_is_not_stored(service: Service, key: str) -> None:
    far = household_input("Far future")
    far["spouse"]["birthDate"] = "9999-12-31"
    error = await refusal(service, key, {"query": CREATE, "variables": {"input": far}})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert ".spouse.birthDate" in error["message"] and DATES in error["message"]

    unborn = household_input("Unborn")
    unborn["spouse"]["birthDate"] = "2099-01-01"
    data = await service.data(CREATE, key, {"input": unborn})
    [problem] = data["createHousehold"]["errors"]
    assert data["createHousehold"]["__typename"] == "InvalidInput"
    assert problem["path"] == "input.spouse.birthDate"
    assert problem["message"].startswith("2099-01-01 is after today")
    assert (await service.data(COUNT, key))["households"]["edges"] == []


@pytest.mark.parametrize(
    ("text", "what"), [("Ta\x00naka", "a control character (U+0000)"), ("Ta\ud800naka", "a lone surrogate (U+D800)")]
)
async def test_text_with_nul_or_a_lone_surrogate_is_refused(service: Service, key: str, text: str, what: str) -> None:
    household = household_input(text)
    body = json.dumps({"query": CREATE, "variables": {"input": household}})  # json.dumps escapes the surrogate
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    response = await service.client.post("/graphql", content=body, headers=headers)
    [error] = response.json()["errors"]
    assert response.status_code == 200  # application/json: a well-formed request that was refused
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"].startswith(f"input.name: contains {what} at position 2")
    [field_error] = error["extensions"]["fieldErrors"]
    assert (field_error["path"], field_error["code"]) == ("input.name", "INVALID_TEXT")
    assert (await service.data(COUNT, key))["households"]["edges"] == []


async def test_a_nul_in_a_filter_matches_nothing_it_is_refused(service: Service, key: str) -> None:
    await service.data(CREATE, key, {"input": household_input("Tanaka")})
    query = '{ households(nameContains: "\\u0000") { edges { node { name } } } }'
    error = await refusal(service, key, {"query": query})
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"].startswith("nameContains: contains a control character (U+0000)")
    [field_error] = error["extensions"]["fieldErrors"]
    assert (field_error["path"], field_error["code"]) == ("nameContains", "INVALID_TEXT")


async def test_names_are_one_line_of_at_most_200_characters(service: Service, key: str) -> None:
    household = household_input("Two\nlines")
    household["principal"]["name"] = "x" * 201
    data = await service.data(CREATE, key, {"input": household})
    assert data["createHousehold"] == {
        "__typename": "InvalidInput",
        "errors": [
            {"path": "input.name", "message": "must be one line (no tabs or line breaks)"},
            {"path": "input.principal.name", "message": "is longer than 200 characters"},
        ],
    }


async def test_crs_takes_only_known_draw_types(service: Service, key: str) -> None:
    query = "query($s: JSON!, $d: String!) { crs(scenario: $s, drawType: $d) { latestCutoff { type score } } }"
    response = await service.post({"query": query, "variables": {"s": scenario(), "d": "x" * 10_000}}, key)
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"].startswith("drawType: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (10000 characters)")
    assert [(e["path"], e["code"]) for e in error["extensions"]["fieldErrors"]] == [("drawType", "UNKNOWN_CODE")]
    assert "allowed: GENERAL, CEC, FSW" in error["message"]
    fine = await service.data(query, key, {"s": scenario(), "d": "CEC"})
    assert fine["crs"]["latestCutoff"]["type"] == "CEC"
