"""GraphQL over HTTP, rule by rule: media types, status codes and the exact bodies (with stable codes)."""

from __future__ import annotations

from typing import Any

import pytest

from api.keys import Role
from tests.api.conftest import GRAPHQL_RESPONSE, Service

JSON = "application/json"
EMPTY: dict[str, Any] = {"data": {"households": {"edges": []}}}
LIST = "{ households { edges { node { id } } } }"
UNKNOWN_ID = "sha256:" + "0" * 64


def only_error(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


async def consultant(service: Service) -> str:
    return await service.key(await service.tenant(), Role.CONSULTANT)


async def test_application_json_is_served_as_asked(service: Service) -> None:
    key = await consultant(service)
    response = await service.post({"query": LIST}, key, accept=JSON)
    assert (response.status_code, response.headers["content-type"], response.json()) == (
        200,
        "application/json; charset=utf-8",
        EMPTY,
    )
    assert len(response.headers["x-request-id"]) == 32


async def test_graphql_response_json_is_served_as_asked(service: Service) -> None:
    key = await consultant(service)
    response = await service.post({"query": LIST}, key, accept=GRAPHQL_RESPONSE)
    assert (response.status_code, response.headers["content-type"], response.json()) == (
        200,
        "application/graphql-response+json; charset=utf-8",
        EMPTY,
    )


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("*/*", JSON),
        ("application/*", JSON),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.2, application/json", JSON),
        ("application/json, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("text/html;q=0.9, application/json;charset=utf-8", JSON),
    ],
)
async def test_accept_negotiation(service: Service, accept: str, served: str) -> None:
    response = await service.post({"query": LIST}, await consultant(service), accept=accept)
    assert (response.status_code, response.headers["content-type"]) == (200, f"{served}; charset=utf-8")


async def test_a_request_id_sent_is_echoed(service: Service) -> None:
    response = await service.post({"query": LIST}, await consultant(service), headers={"X-Request-ID": "req-12345678"})
    assert response.headers["x-request-id"] == "req-12345678"


REQUEST_ERRORS = [
    pytest.param(
        {"query": "{ households"},
        [
            {
                "message": "Syntax Error: Expected Name, found <EOF>.",
                "locations": [{"line": 1, "column": 13}],
                "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
            }
        ],
        id="parse",
    ),
    pytest.param(
        {"query": "{ nope }"},
        [
            {
                "message": "Cannot query field 'nope' on type 'Query'. Did you mean 'node' or 'nodes'?",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ],
        id="validation",
    ),
    pytest.param(
        {"query": "query($n: Int!) { households(first: $n) { edges { cursor } } }", "variables": {"n": "ten"}},
        [
            {
                "message": "n: expected Int, got 'ten'",
                "locations": [{"line": 1, "column": 7}],
                "extensions": {
                    "code": "INVALID_INPUT",
                    "fieldErrors": [{"path": "n", "code": "INVALID_TYPE", "message": "expected Int, got 'ten'"}],
                },
            }
        ],
        id="variables",
    ),
    pytest.param(
        {"documentId": UNKNOWN_ID},
        [
            {
                "message": f"no registered document has id {UNKNOWN_ID}; register it first",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ],
        id="unknown-document",
    ),
    pytest.param(
        {"query": "query A { rulesVersion } query B { rulesVersion }", "operationName": "C"},
        [{"message": 'Unknown operation named "C".', "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}],
        id="unknown-operation",
    ),
]


@pytest.mark.parametrize(("body", "errors"), REQUEST_ERRORS)
async def test_a_request_error_is_400_as_graphql_response_json(
    service: Service, body: dict[str, Any], errors: list[dict[str, Any]]
) -> None:
    response = await service.post(body, await consultant(service), accept=GRAPHQL_RESPONSE)
    assert (response.status_code, response.json()) == (400, {"errors": errors})


@pytest.mark.parametrize(("body", "errors"), REQUEST_ERRORS)
async def test_a_request_error_stays_200_as_application_json(
    service: Service, body: dict[str, Any], errors: list[dict[str, Any]]
) -> None:
    response = await service.post(body, await consultant(service), accept=JSON)
    assert (response.status_code, response.json()) == (200, {"errors": errors})


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_partial_data_is_200(service: Service, accept: str) -> None:
    key = await consultant(service)
    version = (await service.data("{ rulesVersion }", key))["rulesVersion"]
    response = await service.post({"query": "{ rulesVersion crs(scenario: {}) { total } }"}, key, accept=accept)
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"rulesVersion": version, "crs": None}
    field_errors = [
        {"path": "scenario.asOf", "code": "REQUIRED", "message": "is required"},
        {"path": "scenario.principal", "code": "REQUIRED", "message": "is required"},
    ]
    assert [(e["path"], e["extensions"]) for e in body["errors"]] == [
        (["crs"], {"code": "INVALID_INPUT", "fieldErrors": field_errors})
    ]
    assert body["errors"][0]["message"] == "scenario.asOf: is required (and 1 more)"


async def test_an_error_inside_a_field_keeps_its_code(service: Service) -> None:
    response = await service.post(
        {"query": "{ households(first: 101) { edges { cursor } } }"}, await consultant(service)
    )
    assert (response.status_code, response.json()) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "first must be between 0 and 100; got 101",
                    "locations": [{"line": 1, "column": 3}],
                    "path": ["households"],
                    "extensions": {
                        "code": "INVALID_INPUT",
                        "fieldErrors": [
                            {"path": "first", "code": "OUT_OF_RANGE", "message": "must be between 0 and 100; got 101"}
                        ],
                    },
                }
            ],
        },
    )


# --- methods --------------------------------------------------------------------------------------


async def test_other_methods_are_405_with_allow(service: Service) -> None:
    response = await service.client.put("/graphql", json={"query": LIST})
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        "GET, POST",
        only_error("/graphql takes GET and POST", "METHOD_NOT_ALLOWED"),
    )


async def test_a_query_over_get(service: Service) -> None:
    response = await service.get({"query": LIST}, await consultant(service))
    assert (response.status_code, response.json()) == (200, EMPTY)


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_a_mutation_over_get_is_405(service: Service, accept: str) -> None:
    query = 'mutation { deleteHousehold(id: "SG91c2Vob2xkOjE=") { __typename } }'
    response = await service.get({"query": query}, await consultant(service), accept=accept)
    assert (response.status_code, response.headers["allow"], response.json()) == (
        405,
        "POST",
        only_error("mutations are sent with POST (GET only runs queries)", "METHOD_NOT_ALLOWED"),
    )


async def test_a_registered_mutation_by_document_id_over_get_is_405(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    mutation = 'mutation Drop { deleteHousehold(id: "SG91c2Vob2xkOjE=") { __typename } }'
    registered = await service.data(
        "mutation($m: JSON!) { registerDocuments(manifest: $m) { ... on RegisteredDocuments { documents { id } } } }",
        admin,
        {"m": {_digest(mutation): mutation}},
    )
    document_id = registered["registerDocuments"]["documents"][0]["id"]
    response = await service.get({"documentId": document_id}, await service.key(tenant, Role.INTEGRATOR))
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    posted = await service.post({"documentId": document_id}, await service.key(tenant, Role.INTEGRATOR))
    assert posted.json() == {"data": {"deleteHousehold": {"__typename": "NotFound"}}}


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


# --- what the request carries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept", ["text/plain", "application/xml, text/html", "application/graphql-response+json;charset=latin1"]
)
async def test_an_accept_the_server_cannot_serve_is_406(service: Service, accept: str) -> None:
    response = await service.post({"query": LIST}, await consultant(service), accept=accept)
    assert (response.status_code, response.headers["content-type"], response.json()) == (
        406,
        "application/json; charset=utf-8",
        only_error(
            "cannot answer in the accepted media types; accept application/graphql-response+json or application/json",
            "NOT_ACCEPTABLE",
        ),
    )


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        ("text/plain", "text/plain"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("application/json; charset=latin1", "application/json; charset=latin1"),
        (None, "no Content-Type"),
    ],
)
async def test_a_body_that_is_not_json_is_415(service: Service, content_type: str | None, shown: str) -> None:
    headers = {"Authorization": f"Bearer {await consultant(service)}", "Accept": GRAPHQL_RESPONSE}
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await service.client.post("/graphql", content=b'{"query": "{ rulesVersion }"}', headers=headers)
    assert (response.status_code, response.json()) == (
        415,
        only_error(f"send the operation as application/json (UTF-8); got {shown}", "UNSUPPORTED_MEDIA_TYPE"),
    )


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"query": ', "the body is not JSON: Expecting value: line 1 column 11 (char 10)"),
        (b"\xff\xfe", "the body is not JSON: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
        (
            b'[{"query": "{ rulesVersion }"}]',
            "the body must be one JSON object {query, variables, operationName} (batching is off)",
        ),
        (b'{"query": 7}', "`query` must be a string or null"),
        (b'{"query": "{ rulesVersion }", "variables": [1]}', "`variables` must be an object or null"),
        (b'{"query": "{ rulesVersion }", "operationName": 1}', "`operationName` must be a string or null"),
        (b'{"query": "{ rulesVersion }", "extensions": "x"}', "`extensions` must be an object or null"),
        (
            b'{"variables": {}}',
            "the request names no operation: send `query`, `documentId` or extensions.persistedQuery",
        ),
        (b'{"query": "{ rulesVersion }", "documentId": "sha256:00"}', "send either `query` or `documentId`, not both"),
    ],
)
async def test_a_request_that_is_not_well_formed_is_400(
    service: Service, accept: str, body: bytes, message: str
) -> None:
    headers = {"Authorization": f"Bearer {await consultant(service)}", "Accept": accept, "Content-Type": JSON}
    response = await service.client.post("/graphql", content=body, headers=headers)
    assert (response.status_code, response.json()) == (400, only_error(message, "BAD_REQUEST"))


async def test_get_parameters_must_be_json(service: Service) -> None:
    response = await service.get({"query": LIST, "variables": "{nope"}, await consultant(service))
    assert (response.status_code, response.json()) == (
        400,
        only_error(
            "the variables parameter is not JSON: Expecting property name enclosed in double quotes: line 1 column 2"
            " (char 1)",
            "BAD_REQUEST",
        ),
    )


async def test_graphiql_is_served_to_a_browser_without_a_key(service: Service) -> None:
    response = await service.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "GraphiQL" in response.text
