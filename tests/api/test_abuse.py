"""Abuse: each hostile request gets its own clear error, and the service keeps answering everyone else."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from api.keys import Role
from schema.root import CACHE_SIZE
from tests.api.conftest import BUILTIN_ID, Service

SCENARIO = json.loads((Path(__file__).parents[1] / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json").read_text())
VERSION = "{ rulesVersion }"


def only_error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def only_field_error(path: str, code: str, message: str) -> dict[str, Any]:
    """The one error of a request refused by a limit, in the error contract (docs/integrators.md "Errors")."""
    field_errors = [{"path": path, "code": code, "message": message}]
    return only_error(f"{path}: {message}", "INVALID_INPUT", fieldErrors=field_errors)


async def still_answers(service: Service, key: str) -> None:
    """The service answers an ordinary request after the abuse."""
    response = await service.post({"query": VERSION}, key)
    assert response.status_code == 200
    assert set(response.json()["data"]) == {"rulesVersion"}


@pytest.fixture
async def key(service: Service) -> str:
    return await service.key(await service.tenant(), Role.CONSULTANT)


def _without_locations(body: dict[str, Any]) -> dict[str, Any]:
    return {"errors": [{k: v for k, v in e.items() if k != "locations"} for e in body["errors"]]}


async def test_a_50_level_nested_query(service: Service, key: str) -> None:
    nested = '{ __type(name: "Query") ' + "{ ofType " * 49 + "{ name }" + " }" * 49 + " }"
    response = await service.post({"query": nested}, key)
    assert (response.status_code, _without_locations(response.json())) == (
        400,
        only_error(
            "Operation 'anonymous' nests 51 fields deep; the limit is 20.", "QUERY_TOO_COMPLEX", depth=51, maxDepth=20
        ),
    )
    households = "{ households { edges { node " + "{ members { household " * 24 + "{ id }" + " } }" * 24 + " } } }"
    deep = await service.post({"query": households}, key)
    assert deep.status_code == 400
    assert deep.json()["errors"][0]["message"] == "Operation 'anonymous' nests 52 fields deep; the limit is 20."
    await still_answers(service, key)


async def test_a_thousand_aliases(service: Service, key: str) -> None:
    aliases = "{ " + " ".join(f"a{i}: rulesVersion" for i in range(1000)) + " }"
    response = await service.post({"query": aliases}, key)
    assert (response.status_code, response.json()) == (
        400,
        only_error("1000 aliases found. Allowed: 30", "QUERY_TOO_COMPLEX"),
    )
    await still_answers(service, key)


async def test_too_many_tokens(service: Service, key: str) -> None:
    response = await service.post({"query": "{ rulesVersion " + "__typename " * 6000 + "}"}, key)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["message"], error["extensions"]) == (
        "Syntax Error: Document contains more than 5000 tokens. Parsing aborted.",
        {"code": "QUERY_TOO_COMPLEX"},
    )
    await still_answers(service, key)


async def test_a_query_over_the_cost_limit(service: Service, key: str) -> None:
    page = (
        "households(first: 100) { edges { node { members { education { credential } languageTests { test }"
        " workHistory { nocCode } permits { code } } offers { ref } principal { name } spouse { name } } } }"
    )
    response = await service.post({"query": "{ " + " ".join(f"h{i}: {page}" for i in range(3)) + " }"}, key)
    assert (response.status_code, _without_locations(response.json())) == (
        400,
        only_error(
            "Query cost 3003 exceeds the limit of 3000: ask for smaller pages (first) or fewer nested connections.",
            "QUERY_TOO_COMPLEX",
            cost=3003,
            maxCost=3000,
        ),
    )
    await still_answers(service, key)


async def test_a_10_mb_body_is_413(service: Service, key: str) -> None:
    body = json.dumps({"query": VERSION, "variables": {"pad": "x" * 10_000_000}}).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    response = await service.client.post("/graphql", content=body, headers=headers)
    assert (response.status_code, response.json()) == (
        413,
        only_error("the body is over the limit of 2000000 bytes", "PAYLOAD_TOO_LARGE"),
    )

    async def chunks() -> Any:  # no Content-Length: the limit holds while reading
        for _ in range(10):
            yield b" " * 1_000_000

    streamed = await service.client.post("/graphql", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    await still_answers(service, key)


async def test_a_10000_offer_scenario_names_the_list_limit(service: Service, key: str) -> None:
    scenario = copy.deepcopy(SCENARIO["scenario"])
    offer = scenario["offers"][0]
    scenario["offers"] = [{**offer, "ref": f"o{i}"} for i in range(10_000)]
    body = {"documentId": BUILTIN_ID, "operationName": "PlanScenario", "variables": {"scenario": scenario}}
    response = await service.post(body, key)
    assert (response.status_code, response.json()) == (
        400,
        only_field_error(
            "scenario.offers", "TOO_MANY", "10000 items; the limit is 50 offers per scenario or household"
        ),
    )
    await still_answers(service, key)


async def test_any_long_list_in_the_variables_names_the_limit(service: Service, key: str) -> None:
    query = "query($c: [String!]!) { rulesVersion }"
    response = await service.post({"query": query, "variables": {"c": ["x"] * 101}}, key, accept="application/json")
    assert (response.status_code, response.json()) == (
        200,
        only_field_error("c", "TOO_MANY", "101 items; the limit is 100 items per list"),
    )


@pytest.mark.parametrize("where", ["variables", "literal"])
async def test_a_solve_time_over_the_cap_is_refused(service: Service, key: str, where: str) -> None:
    if where == "variables":
        body: dict[str, Any] = {
            "documentId": BUILTIN_ID,
            "operationName": "PlanScenario",
            "variables": {"scenario": SCENARIO["scenario"], "options": {"timeLimitMs": 60_000}},
        }
        path = "options.timeLimitMs"
    else:
        query = "query($s: ScenarioInput!) { planScenario(scenario: $s, options: {timeLimitMs: 60000}) { __typename } }"
        body = {"query": query, "variables": {"s": SCENARIO["scenario"]}}
        path = "options.timeLimitMs"
    response = await service.post(body, key)
    assert (response.status_code, response.json()) == (
        400,
        only_field_error(
            path, "LIMIT", "60000 ms is over this server's cap of 10000 ms per solve (ask for 10000 or less)"
        ),
    )


async def test_malformed_json_and_wrong_content_types(service: Service, key: str) -> None:
    auth = {"Authorization": f"Bearer {key}"}
    cases = [
        ({"Content-Type": "application/json"}, b'{"query": "{ rulesVersion }"', 400),
        ({"Content-Type": "application/json"}, b"\x00\x01\x02", 400),
        ({"Content-Type": "text/plain"}, b'{"query": "{ rulesVersion }"}', 415),
        ({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--", 415),
        ({"Content-Type": "application/graphql"}, b"{ rulesVersion }", 415),
    ]
    for headers, content, status in cases:
        response = await service.client.post("/graphql", content=content, headers={**auth, **headers})
        assert response.status_code == status, (headers, response.json())
        assert response.json()["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE")
    await still_answers(service, key)


async def test_forged_and_revoked_keys_keep_out_and_others_keep_in(service: Service, key: str) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    victim = await service.key(tenant, Role.CONSULTANT)
    await service.data(
        "mutation($k: String!) { revokeApiKey(keyId: $k) { __typename } }", admin, {"k": victim.split("_")[1]}
    )
    for bad in (victim, "pp_" + victim.split("_")[1] + "_" + "A" * 43, "Bearer", "pp__"):
        response = await service.post({"query": VERSION}, bad)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    await still_answers(service, key)
    await still_answers(service, admin)


async def test_a_bug_is_masked_with_the_request_id_and_logged(
    service: Service, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The database fails under the request: an unexpected error, logged in full, shown to no one.
    gateway = service.app.state.gateway
    original = gateway.sessions

    def broken() -> Any:
        raise RuntimeError("database password is hunter2")

    gateway.sessions = broken
    try:
        masked = await service.post(
            {"query": "{ households { edges { node { id } } } }"}, key, headers={"X-Request-ID": "abuse-req-0001"}
        )
    finally:
        gateway.sessions = original
    assert (masked.status_code, masked.json()) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "Unexpected error.",
                    "locations": [{"line": 1, "column": 3}],
                    "path": ["households"],
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "abuse-req-0001"},
                }
            ],
        },
    )
    assert "hunter2" not in masked.text
    [logged] = [r for r in caplog.records if "database password is hunter2" in r.getMessage()]
    assert (logged.levelname, getattr(logged, "request_id", None)) == ("ERROR", "abuse-req-0001")


async def test_parsing_and_validation_are_cached_across_requests(service: Service, key: str) -> None:
    parses: Any = _get_parse_cache(CACHE_SIZE)  # functools.lru_cache, shared by the view and strawberry
    validations: Any = _get_validate_cache(CACHE_SIZE)
    # planJob is not a root the read cache answers (api/response_cache.py), so every request executes.
    query = (
        f"query CacheProbe{uuid.uuid4().hex} {{ rulesVersion households(first: 3) {{ edges {{ cursor }} }}"
        ' planJob(id: "none") { __typename } }'
    )
    parsed_before, validated_before = parses.cache_info(), validations.cache_info()
    assert (await service.post({"query": query}, key)).status_code == 200
    for _ in range(3):
        assert (await service.post({"query": query}, key)).status_code == 200
    parsed, validated = parses.cache_info(), validations.cache_info()
    # One parse and one validation for four requests: the view's parse (once: it keeps what it checks of a
    # document) is the one strawberry reuses on each request.
    assert (parsed.misses - parsed_before.misses, parsed.hits - parsed_before.hits) == (1, 4)
    assert (validated.misses - validated_before.misses, validated.hits - validated_before.hits) == (1, 3)


async def test_a_long_literal_list_in_the_query_names_the_limit(service: Service, key: str) -> None:
    offer = (
        '{{ref: "o{i}", holder: PRINCIPAL, employerName: "E", nocCode: "21231", province: "ON", hoursPerWeek: 40,'
        ' earliestStart: "2027-01-01"}}'
    )
    offers = ", ".join(offer.format(i=i) for i in range(60))
    mutation = (
        'mutation { createHousehold(input: {name: "Big", principal: {name: "P", birthDate: "1990-01-01",'
        f' citizenships: ["FR"], inCanada: false}}, offers: [{offers}]}}) {{ __typename }} }}'
    )
    response = await service.post({"query": mutation}, key)
    assert (response.status_code, response.json()) == (
        400,
        only_field_error("input.offers", "TOO_MANY", "60 items; the limit is 50 offers per scenario or household"),
    )
    assert await service.data("{ households { edges { cursor } } }", key) == {"households": {"edges": []}}
