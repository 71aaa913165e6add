"""Keys and roles over HTTP: 401 for no, forged or revoked keys, 403 for what a role may not do."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from api.keys import Role, generate_key
from api.settings import Settings
from db.repositories.access import Access
from tests.api.conftest import BUILTIN_ID, Service, serve

SCENARIOS = Path(__file__).parents[1] / "fixtures" / "scenarios"
LIST = "{ households { edges { node { id } } } }"
CREATE = """mutation { createHousehold(input: {name: "Haddad", principal: {name: "Rami Haddad",
  birthDate: "1988-10-10", citizenships: ["LB"], inCanada: false}}) { __typename } }"""
INVALID_KEY = "the API key is not valid (unknown, revoked or mistyped); ask your firm's admin for a key"


def unauthenticated(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}


def forbidden(message: str, code: str = "FORBIDDEN") -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def scenario(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCENARIOS / f"{name}.json").read_text())["scenario"]
    return data


async def test_no_key_is_401(service: Service) -> None:
    response = await service.post({"query": LIST})
    assert (response.status_code, response.headers["www-authenticate"], response.json()) == (
        401,
        'Bearer realm="permitpath"',
        unauthenticated("this endpoint needs an API key: send `Authorization: Bearer pp_...`"),
    )


async def test_a_header_that_is_not_bearer_is_401(service: Service) -> None:
    response = await service.post({"query": LIST}, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert (response.status_code, response.json()) == (
        401,
        unauthenticated("the Authorization header must read `Bearer <API key>`"),
    )


@pytest.mark.parametrize(
    "forged",
    [
        "pp_000000000000_" + "a" * 43,  # well formed, no such key
        "not-a-key",
        "pp_zzzzzzzzzzzz_short",
    ],
)
async def test_a_forged_key_is_401(service: Service, forged: str) -> None:
    response = await service.post({"query": LIST}, forged)
    assert (response.status_code, response.json()) == (401, unauthenticated(INVALID_KEY))


async def test_a_real_key_id_with_a_wrong_secret_is_401(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.ADMIN)
    forged = key[: len("pp_000000000000_")] + generate_key().plaintext.split("_", 2)[2]
    response = await service.post({"query": LIST}, forged)
    assert (response.status_code, response.json()) == (401, unauthenticated(INVALID_KEY))


async def test_a_revoked_key_is_401_like_a_forged_one(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    consultant = await service.key(tenant, Role.CONSULTANT)
    assert (await service.post({"query": LIST}, consultant)).status_code == 200
    key_id = consultant.split("_")[1]
    revoked = await service.data(
        "mutation($k: String!) { revokeApiKey(keyId: $k) { ... on ApiKey { keyId revokedAt } } }", admin, {"k": key_id}
    )
    assert revoked["revokeApiKey"]["keyId"] == key_id
    assert revoked["revokeApiKey"]["revokedAt"] is not None
    response = await service.post({"query": LIST}, consultant)
    assert (response.status_code, response.json()) == (401, unauthenticated(INVALID_KEY))


async def test_a_key_revoked_by_another_process_is_401_at_once(service: Service) -> None:
    """The service remembers a valid key with its tenant's revision; a revocation written elsewhere (the CLI,
    another instance) moves the revision, so the very next request reads the key again."""
    tenant = await service.tenant()
    consultant = await service.key(tenant, Role.CONSULTANT)
    for _ in range(2):  # remembered after the first
        assert (await service.post({"query": LIST}, consultant)).status_code == 200
    async with service.sessions() as session, session.begin():
        assert await Access(session, tenant_id=tenant.id).revoke_api_key(consultant.split("_")[1]) is not None
    response = await service.post({"query": LIST}, consultant)
    assert (response.status_code, response.json()) == (401, unauthenticated(INVALID_KEY))


async def test_a_remembered_key_id_with_a_wrong_secret_is_401(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    assert (await service.post({"query": LIST}, key)).status_code == 200
    forged = key[: len("pp_000000000000_")] + generate_key().plaintext.split("_", 2)[2]
    response = await service.post({"query": LIST}, forged)
    assert (response.status_code, response.json()) == (401, unauthenticated(INVALID_KEY))


ROLE_REFUSALS = [
    pytest.param(Role.READONLY, CREATE, "a readonly key may not send mutations", id="readonly-mutation"),
    pytest.param(
        Role.CONSULTANT,
        "{ apiKeys { keyId } }",
        "a consultant key may not manage keys or documents (apiKeys)",
        id="consultant-keys",
    ),
    pytest.param(
        Role.CONSULTANT,
        'mutation { createApiKey(name: "x", role: ADMIN) { __typename } }',
        "a consultant key may not manage keys or documents (createApiKey)",
        id="consultant-create-key",
    ),
    pytest.param(
        Role.READONLY,
        "{ auditLog { edges { cursor } } }",
        "a readonly key may not read the audit trail",
        id="readonly-audit",
    ),
    pytest.param(
        Role.CONSULTANT,
        "query { ...Keys } fragment Keys on Query { persistedDocuments { id } }",
        "a consultant key may not manage keys or documents (persistedDocuments)",
        id="through-a-fragment",
    ),
]


@pytest.mark.parametrize(("role", "query", "message"), ROLE_REFUSALS)
async def test_what_a_role_may_not_do_is_403(service: Service, role: Role, query: str, message: str) -> None:
    key = await service.key(await service.tenant(), role)
    response = await service.post({"query": query}, key)
    assert (response.status_code, response.json()) == (403, forbidden(message))


async def test_readonly_reads(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.READONLY)
    assert await service.data(LIST, key) == {"households": {"edges": []}}


async def test_an_integrator_key_may_only_send_registered_documents(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    response = await service.post({"query": "{ rulesVersion }"}, key)
    assert (response.status_code, response.json()) == (
        403,
        forbidden("this key may only send registered documents (documentId: sha256:...)", code="DOCUMENT_NOT_ALLOWED"),
    )
    over_get = await service.get({"query": "{ rulesVersion }"}, key)
    assert over_get.status_code == 403
    apq = {
        "query": "{ rulesVersion }",
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": _sha("{ rulesVersion }")}},
    }
    registering = await service.post(apq, key)
    assert (registering.status_code, registering.json()) == (
        403,
        forbidden("this key may only send registered documents", code="DOCUMENT_NOT_ALLOWED"),
    )


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


CATEGORIES_EXPECTED = {"code": "C43", "name": "Post-graduation work permit", "program": "IMP", "open": True}


async def test_an_integrator_runs_permit_categories_by_document_id_over_get_and_post(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    params = {"documentId": BUILTIN_ID, "operationName": "PermitCategories", "variables": '{"asOf": "2026-12-01"}'}
    over_get = await service.get(params, key)
    over_post = await service.post(
        {"documentId": BUILTIN_ID, "operationName": "PermitCategories", "variables": {"asOf": "2026-12-01"}}, key
    )
    assert over_get.status_code == over_post.status_code == 200
    assert over_get.json() == over_post.json()
    categories = over_get.json()["data"]["permitCategories"]
    assert {k: categories[0][k] for k in CATEGORIES_EXPECTED} == CATEGORIES_EXPECTED
    assert len(categories) >= 10


async def test_an_integrator_runs_plan_scenario_by_document_id_over_post_and_get(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    variables = {"scenario": scenario("p01-bachelor-pgwp-cec"), "options": {"timeLimitMs": 5000}}
    posted = await service.post(
        {"documentId": BUILTIN_ID, "operationName": "PlanScenario", "variables": variables}, key
    )
    assert posted.status_code == 200, posted.json()
    plan = posted.json()["data"]["planScenario"]
    assert (plan["__typename"], plan["prProgram"], plan["prApplicant"]) == ("Plan", "CEC", "PRINCIPAL")
    invalid = {"scenario": scenario("p05-invalid-input")}
    params = {"documentId": BUILTIN_ID, "operationName": "PlanScenario", "variables": json.dumps(invalid)}
    over_get = await service.get(params, key)
    assert over_get.status_code == 200
    result = over_get.json()["data"]["planScenario"]
    assert result["__typename"] == "InvalidScenario"
    assert "scenario.principal.birthDate" in {error["path"] for error in result["errors"]}


async def test_introspection_is_off_for_integrators(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    text = "query Peek { __schema { queryType { name } } }"
    await service.data(
        "mutation($m: JSON!) { registerDocuments(manifest: $m) { __typename } }", admin, {"m": {_sha(text): text}}
    )
    integrator = await service.key(tenant, Role.INTEGRATOR)
    response = await service.post({"documentId": f"sha256:{_sha(text)}"}, integrator)
    assert (response.status_code, response.json()) == (403, forbidden("introspection is off for integrator keys"))
    assert await service.data(text, admin) == {"__schema": {"queryType": {"name": "Query"}}}


# --- --dev ------------------------------------------------------------------------------------------


async def test_dev_mode_admits_requests_without_a_key_but_checks_keys_that_are_sent(database_url: str) -> None:
    settings = Settings(database_url=database_url, dev=True, tenant_slug=f"demo-{uuid.uuid4().hex[:8]}")
    async with serve(settings) as dev:
        response = await dev.post({"query": "{ apiKeys { keyId } }"})
        assert (response.status_code, response.json()) == (200, {"data": {"apiKeys": []}})
        forged = await dev.post({"query": LIST}, "pp_000000000000_" + "a" * 43)
        assert (forged.status_code, forged.json()) == (401, unauthenticated(INVALID_KEY))
