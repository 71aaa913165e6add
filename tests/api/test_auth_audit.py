"""The audit trail (who, which key, when, what changed) and key management by an admin over GraphQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.keys import Role
from tests.api.conftest import Service

AUDIT = """query($id: ID) { auditLog(first: 50, recordId: $id) {
  edges { node { at actor keyId action recordType recordId changes } } pageInfo { hasNextPage } } }"""
CREATE = """mutation { createHousehold(input: {name: "Haddad", principal: {name: "Rami Haddad",
  birthDate: "1988-10-10", citizenships: ["LB"], inCanada: false}}) {
  __typename ... on HouseholdPayload { household { id principal { id } } } } }"""
RENAME = """mutation($id: ID!, $name: String) { updateHousehold(id: $id, input: {name: $name}) {
  __typename ... on InvalidInput { errors { path message } } } }"""


def entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in data["auditLog"]["edges"]]


async def test_each_change_is_audited_with_who_which_key_when_and_what(service: Service) -> None:
    tenant = await service.tenant()
    consultant = await service.key(tenant, Role.CONSULTANT, name="Amira (consultant)")
    key_id = consultant.split("_")[1]
    started = dt.datetime.now(dt.UTC)
    created = (await service.data(CREATE, consultant))["createHousehold"]["household"]
    household_id = created["id"]
    await service.data(RENAME, consultant, {"id": household_id, "name": "Haddad-Khoury"})
    refused = await service.data(RENAME, consultant, {"id": household_id, "name": ""})
    assert refused["updateHousehold"]["__typename"] == "InvalidInput"  # rolled back: no audit row

    trail = entries(await service.data(AUDIT, consultant, {"id": household_id}))
    assert [(e["action"], e["recordType"], e["recordId"], e["actor"], e["keyId"]) for e in trail] == [
        ("update", "Household", household_id, "Amira (consultant)", key_id),
        ("create", "Household", household_id, "Amira (consultant)", key_id),
    ]
    assert trail[0]["changes"] == {"name": {"from": "Haddad", "to": "Haddad-Khoury"}}
    assert trail[1]["changes"]["name"] == "Haddad"
    at = dt.datetime.fromisoformat(trail[0]["at"])
    assert started - dt.timedelta(seconds=5) <= at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)

    member = entries(await service.data(AUDIT, consultant, {"id": created["principal"]["id"]}))
    assert [(e["action"], e["changes"]["name"], e["changes"]["citizenships"]) for e in member] == [
        ("create", "Rami Haddad", ["LB"])
    ]

    await service.data(
        "mutation($id: ID!) { deleteHousehold(id: $id) { __typename } }", consultant, {"id": household_id}
    )
    latest = entries(await service.data(AUDIT, consultant, {"id": household_id}))[0]
    assert (latest["action"], latest["changes"]["name"]) == ("delete", "Haddad-Khoury")


async def test_the_audit_trail_pages_newest_first(service: Service) -> None:
    tenant = await service.tenant()
    consultant = await service.key(tenant, Role.CONSULTANT)
    for _ in range(3):
        await service.data(CREATE, consultant)
    page = """query($after: String) { auditLog(first: 2, after: $after) {
      edges { cursor node { recordType } } pageInfo { hasNextPage endCursor } } }"""
    first = (await service.data(page, consultant))["auditLog"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await service.data(page, consultant, {"after": first["pageInfo"]["endCursor"]}))["auditLog"]
    assert not {e["cursor"] for e in first["edges"]} & {e["cursor"] for e in second["edges"]}
    bad = await service.post({"query": page, "variables": {"after": "nonsense"}}, consultant)
    assert bad.json()["errors"][0]["message"] == (
        "after: 'nonsense' is not a cursor of the audit log; pass an endCursor it returned"
    )


async def test_an_admin_creates_lists_and_revokes_keys(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN, name="Ops")
    created = await service.data(
        """mutation { createApiKey(name: "Partner portal", role: INTEGRATOR) {
          __typename ... on CreatedApiKey { secret apiKey { keyId name role revokedAt } } } }""",
        admin,
    )
    new = created["createApiKey"]
    key_id = new["apiKey"]["keyId"]
    assert new["apiKey"] == {"keyId": key_id, "name": "Partner portal", "role": "INTEGRATOR", "revokedAt": None}
    assert new["secret"].startswith(f"pp_{key_id}_")
    # The new key authenticates, as an integrator.
    refused = await service.post({"query": "{ rulesVersion }"}, new["secret"])
    assert refused.json()["errors"][0]["extensions"]["code"] == "DOCUMENT_NOT_ALLOWED"

    listed = await service.data("{ apiKeys { keyId name role } }", admin)
    assert {"keyId": key_id, "name": "Partner portal", "role": "INTEGRATOR"} in listed["apiKeys"]

    trail = entries(await service.data(AUDIT, admin, {"id": None}))
    created_entry = next(e for e in trail if e["recordType"] == "ApiKey" and e["changes"].get("key_id") == key_id)
    assert (created_entry["actor"], created_entry["action"], created_entry["recordId"]) == ("Ops", "create", None)
    assert "secret_hash" not in created_entry["changes"]  # the hash never reaches the trail

    await service.data("mutation($k: String!) { revokeApiKey(keyId: $k) { __typename } }", admin, {"k": key_id})
    assert (await service.post({"query": "{ rulesVersion }"}, new["secret"])).status_code == 401
    empty = await service.data(
        'mutation { createApiKey(name: " ", role: READONLY) {'
        " __typename ... on InvalidInput { errors { path message } } } }",
        admin,
    )
    assert empty == {
        "createApiKey": {
            "__typename": "InvalidInput",
            "errors": [{"path": "name", "message": "a key needs a name of 1 to 200 characters (who or what uses it)"}],
        }
    }
