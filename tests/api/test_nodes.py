"""`node(id:)` over HTTP: every id the API hands out (household, member, education, language test, work period,
offer, permit, stored plan, plan job) comes back as its record; an id that names nothing of the firm (unknown
type, malformed, out of range, another firm's) answers null without an error or an ERROR log line; the links
(StoredPlan.household, PlanJob.household, PlanJob.storedPlan) lead to the records the deprecated bare ids name.
Both databases."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from strawberry.relay.utils import to_base64

from api.keys import Role
from tests.api.conftest import Service
from tests.api.test_plan_cache import _variables
from tests.api.test_plan_jobs import _until_finished
from tests.schema.records import household_input

CREATE = """mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) { ... on HouseholdPayload {
  household { id principal { id education { id } languageTests { id } workHistory { id } permits { id } }
    spouse { id } offers { id } } } } }"""
START = """mutation($householdId: ID) { startPlan(householdId: $householdId, asOf: "2026-01-15") {
  ... on PlanJob { id } } }"""
LINKS = """query($job: ID!) { node(id: $job) { ... on PlanJob { state householdId household { id name }
  storedPlanId storedPlan { id householdId household { id name principal { name } } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def _firm(service: Service) -> str:
    return await service.key(await service.tenant(), Role.CONSULTANT)


async def _records(service: Service, key: str) -> dict[str, str]:
    """A household with one record of each kind, planned by a job; the id the API gave each, by type."""
    household = (await service.data(CREATE, key, {"input": household_input("Tanaka")}))["createHousehold"]["household"]
    principal = household["principal"]
    job = (await service.data(START, key, {"householdId": household["id"]}))["startPlan"]
    done = await _until_finished(service, key, job["id"])
    assert done["state"] == "DONE", done
    stored = (await service.data(LINKS, key, {"job": job["id"]}))["node"]["storedPlan"]
    return {
        "Household": household["id"],
        "HouseholdMember": principal["id"],
        "Education": principal["education"][0]["id"],
        "LanguageTest": principal["languageTests"][0]["id"],
        "WorkPeriod": principal["workHistory"][0]["id"],
        "JobOffer": household["offers"][0]["id"],
        "Permit": principal["permits"][0]["id"],
        "StoredPlan": stored["id"],
        "PlanJob": job["id"],
    }


async def test_every_id_the_api_hands_out_is_a_node_of_its_firm_only(service: Service) -> None:
    key, other = await _firm(service), await _firm(service)
    ids = await _records(service, key)
    for type_name, record_id in ids.items():
        assert await service.data(NODE, key, {"id": record_id}) == {
            "node": {"__typename": type_name, "id": record_id}
        }, type_name
        assert await service.data(NODE, other, {"id": record_id}) == {"node": None}, type_name
    # The by-id queries of the older union shape say NotFound to the other firm, as before.
    reopen = "query($id: ID!) { storedPlan(id: $id) { __typename } planJob(id: $job) { __typename } }"
    reopen = reopen.replace("query($id: ID!)", "query($id: ID!, $job: ID!)")
    both = await service.data(reopen, other, {"id": ids["StoredPlan"], "job": ids["PlanJob"]})
    assert both == {"storedPlan": {"__typename": "NotFound"}, "planJob": {"__typename": "NotFound"}}
    assert await service.data("query($id: ID!) { household(id: $id) { id } }", other, {"id": ids["Household"]}) == {
        "household": None
    }


async def test_links_lead_to_the_records_the_deprecated_ids_name(service: Service) -> None:
    key = await _firm(service)
    ids = await _records(service, key)
    job = (await service.data(LINKS, key, {"job": ids["PlanJob"]}))["node"]
    tanaka = {"id": ids["Household"], "name": "Tanaka"}
    assert job == {
        "state": "DONE",
        "householdId": ids["Household"],
        "household": tanaka,
        "storedPlanId": ids["StoredPlan"],
        "storedPlan": {
            "id": ids["StoredPlan"],
            "householdId": ids["Household"],
            "household": {**tanaka, "principal": {"name": "Mei Tanaka"}},
        },
    }
    scenario_job = """mutation($scenario: ScenarioInput) { startPlan(scenario: $scenario) {
      ... on PlanJob { id household { id } storedPlan { id } } } }"""
    started = (await service.data(scenario_job, key, {"scenario": _variables()["scenario"]}))["startPlan"]
    assert {k: started[k] for k in ("household", "storedPlan")} == {"household": None, "storedPlan": None}
    await _until_finished(service, key, started["id"])


def _ids_that_name_nothing() -> list[str]:
    return [
        to_base64("Bogus", 1),  # no such type
        to_base64("Query", 1),  # a type, not a Node
        to_base64("Node", 1),  # the interface itself
        to_base64("PlanStep", 1),
        to_base64("HouseholdConnection", 1),
        to_base64("Household", "abc"),  # not a record number
        to_base64("Household", "-1"),
        to_base64("Household", "0"),
        to_base64("Household", "99999999999999999999"),  # past the id column's range
        to_base64("StoredPlan", "2147483648"),
        to_base64("PlanJob", "٣"),  # a digit, but not an ASCII one
        to_base64("Household", 987654),  # never handed out
        "garbage!!",  # not base64
        "",
        "SG91c2Vob2xk",  # base64 of "Household": no node part
    ]


@pytest.mark.parametrize("raw", _ids_that_name_nothing())
async def test_an_id_that_names_nothing_answers_null_and_logs_no_error(
    service: Service, raw: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = await _firm(service)
    with caplog.at_level(logging.INFO):
        response = await service.post({"query": NODE, "variables": {"id": raw}}, key)
        by_literal = await service.post({"query": f"{{ node(id: {_literal(raw)}) {{ id }} }}"}, key)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert (response.status_code, response.json()) == (200, {"data": {"node": None}})
    assert (by_literal.status_code, by_literal.json()) == (200, {"data": {"node": None}})


def _literal(raw: str) -> str:
    return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def test_node_and_the_links_of_many_records_answer_together(service: Service) -> None:
    """Aliased nodes of every kind in one request, mixed with ids that find nothing, each answered alike."""
    key = await _firm(service)
    ids = await _records(service, key)
    wanted: dict[str, Any] = {**ids, "Missing": to_base64("Household", 987654), "Foreign": to_base64("Bogus", 1)}
    fields = " ".join(f'{name}: node(id: "{value}") {{ __typename }}' for name, value in wanted.items())
    answer = await service.data(f"{{ {fields} }}", key)
    assert answer == {
        **{name: {"__typename": name} for name in ids},
        "Missing": None,
        "Foreign": None,
    }


AUDIT = """query($id: ID) { auditLog(first: 100, recordId: $id) { edges { node { action recordType recordId } } } }"""


async def test_every_record_id_the_audit_trail_shows_is_a_node(service: Service) -> None:
    key = await _firm(service)
    ids = await _records(service, key)
    trail = [edge["node"] for edge in (await service.data(AUDIT, key, {"id": None}))["auditLog"]["edges"]]
    # Records without an id of their own (the firm's API keys) show none.
    shown = {entry["recordId"]: entry["recordType"] for entry in trail if entry["recordId"] is not None}
    assert {entry["recordType"] for entry in trail if entry["recordId"] is None} == {"ApiKey"}
    assert {ids[kind]: kind for kind in ("Household", "StoredPlan", "PlanJob")}.items() <= shown.items()
    for record_id, kind in shown.items():
        assert await service.data(NODE, key, {"id": record_id}) == {"node": {"__typename": kind, "id": record_id}}
    for kind in ("StoredPlan", "PlanJob"):  # and the trail is filtered by them
        only = (await service.data(AUDIT, key, {"id": ids[kind]}))["auditLog"]["edges"]
        assert {edge["node"]["recordId"] for edge in only} == {ids[kind]}, kind


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def test_nodes_answers_each_id_in_order_null_for_what_names_nothing(service: Service) -> None:
    key, other = await _firm(service), await _firm(service)
    ids = await _records(service, key)
    asked = [*ids.values(), to_base64("Bogus", 1), "garbage!!", ids["Household"]]
    expected = [{"__typename": kind, "id": record_id} for kind, record_id in ids.items()]
    assert await service.data(NODES, key, {"ids": asked}) == {"nodes": [*expected, None, None, expected[0]]}
    assert await service.data(NODES, other, {"ids": asked}) == {"nodes": [None] * len(asked)}
    assert await service.data(NODES, key, {"ids": []}) == {"nodes": []}


async def test_nodes_takes_at_most_a_page_of_ids(service: Service) -> None:
    """The request's list limit (api/limits.py) refuses more, in the variables or written in the document,
    before execution; `nodes` refuses them itself where the schema runs alone (tests/schema/test_ids.py)."""
    key = await _firm(service)
    too_many = [to_base64("Household", 1)] * 101
    literal = ", ".join(f'"{raw}"' for raw in too_many)
    for body in (
        {"query": NODES, "variables": {"ids": too_many}},
        {"query": f"{{ nodes(ids: [{literal}]) {{ id }} }}"},
    ):
        response = await service.post(body, key)
        field_error = {"path": "ids", "code": "TOO_MANY", "message": "101 items; the limit is 100 items per list"}
        message = f"ids: {field_error['message']}"
        assert (response.status_code, response.json()) == (
            400,
            {"errors": [{"message": message, "extensions": {"code": "INVALID_INPUT", "fieldErrors": [field_error]}}]},
        )
