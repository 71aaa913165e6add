"""Persisted documents over HTTP: trusted documents by id (registered, revoked), and Apollo's APQ."""

from __future__ import annotations

import hashlib
from typing import Any

from api.keys import Role
from tests.api.conftest import BUILTIN_ID, Service, Tenant

VERSION = "query Version { rulesVersion }"
REGISTER = """mutation($m: JSON!) { registerDocuments(manifest: $m) {
  __typename ... on RegisteredDocuments { documents { id text revokedAt } }
  ... on InvalidInput { errors { path message } } } }"""
REVOKE = "mutation($id: String!) { revokeDocument(id: $id) { __typename ... on PersistedDocument { id } } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def not_found(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}


async def register(service: Service, tenant: Tenant, texts: list[str]) -> dict[str, Any]:
    admin = await service.key(tenant, Role.ADMIN)
    data = await service.data(REGISTER, admin, {"m": {f"sha256:{sha(t)}": t for t in texts}})
    result: dict[str, Any] = data["registerDocuments"]
    return result


async def test_a_registered_document_runs_by_id_until_it_is_revoked(service: Service) -> None:
    tenant = await service.tenant()
    registered = await register(service, tenant, [VERSION])
    document_id = f"sha256:{sha(VERSION)}"
    assert registered == {
        "__typename": "RegisteredDocuments",
        "documents": [{"id": document_id, "text": VERSION, "revokedAt": None}],
    }
    integrator = await service.key(tenant, Role.INTEGRATOR)
    consultant = await service.key(tenant, Role.CONSULTANT)
    version = (await service.data(VERSION, consultant))["rulesVersion"]
    for response in (
        await service.post({"documentId": document_id}, integrator),
        await service.get({"documentId": document_id}, integrator),
    ):
        assert (response.status_code, response.json()) == (200, {"data": {"rulesVersion": version}})

    admin = await service.key(tenant, Role.ADMIN)
    revoked = await service.data(REVOKE, admin, {"id": document_id})
    assert revoked == {"revokeDocument": {"__typename": "PersistedDocument", "id": document_id}}
    response = await service.post({"documentId": document_id}, integrator)
    assert (response.status_code, response.json()) == (
        400,
        not_found(f"no registered document has id {document_id}; register it first"),
    )
    # Registering it again brings it back.
    assert (await register(service, tenant, [VERSION]))["documents"][0]["revokedAt"] is None
    assert (await service.post({"documentId": document_id}, integrator)).status_code == 200


async def test_a_manifest_with_a_wrong_hash_is_refused_naming_the_entry(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    data = await service.data(REGISTER, admin, {"m": {"0" * 64: VERSION}})
    assert data == {
        "registerDocuments": {
            "__typename": "InvalidInput",
            "errors": [
                {
                    "path": "manifest",
                    "message": f"manifest entry '{'0' * 64}': the sha256 of its text is {sha(VERSION)}",
                }
            ],
        }
    }


async def test_the_builtin_manifest_is_every_tenants(service: Service) -> None:
    for _ in range(2):
        key = await service.key(await service.tenant(), Role.INTEGRATOR)
        response = await service.post({"documentId": BUILTIN_ID, "operationName": "PermitCategories"}, key)
        assert response.status_code == 200
        assert len(response.json()["data"]["permitCategories"]) >= 10


async def test_a_document_id_of_another_scheme_is_refused(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    response = await service.post({"documentId": "x-relay:abc"}, key)
    message = "documentId 'x-relay:abc' is not of the form sha256:<64 lowercase hex>"
    assert (response.status_code, response.json()) == (
        400,
        {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]},
    )


async def test_apq_registers_a_hash_sent_with_its_text(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    text = "query ApqProbe { rulesVersion }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha(text)}}
    first = await service.post({"extensions": extensions}, key, accept="application/json")
    assert (first.status_code, first.json()) == (200, not_found("PersistedQueryNotFound"))
    second = await service.post({"query": text, "extensions": extensions}, key)
    assert second.status_code == 200
    version = second.json()["data"]["rulesVersion"]
    third = await service.get({"extensions": f'{{"persistedQuery":{{"version":1,"sha256Hash":"{sha(text)}"}}}}'}, key)
    assert (third.status_code, third.json()) == (200, {"data": {"rulesVersion": version}})


async def test_apq_with_a_hash_that_does_not_match_the_text_is_refused(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    response = await service.post({"query": VERSION, "extensions": extensions}, key)
    message = (
        "extensions.persistedQuery.sha256Hash does not match the query: it must be the sha256 "
        "of the query text's UTF-8 bytes, in lowercase hex"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]},
    )


async def test_an_integrator_may_send_a_trusted_documents_hash_as_apq(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": BUILTIN_ID.removeprefix("sha256:")}}
    response = await service.post({"extensions": extensions, "operationName": "PermitCategories"}, key)
    assert response.status_code == 200
    assert len(response.json()["data"]["permitCategories"]) >= 10


async def test_a_document_that_would_not_run_is_refused_at_registration(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    broken = "query Broken { nope }"
    data = await service.data(REGISTER, admin, {"m": {sha(broken): broken, sha(VERSION): VERSION}})
    assert data == {
        "registerDocuments": {
            "__typename": "InvalidInput",
            "errors": [
                {
                    "path": "manifest",
                    "message": (
                        f"sha256:{sha(broken)}: Cannot query field 'nope' on type 'Query'."
                        " Did you mean 'node' or 'nodes'?"
                    ),
                }
            ],
        }
    }
    assert await service.data("{ persistedDocuments { id } }", admin) == {"persistedDocuments": []}
