"""A socket holds only as long as its key: a revocation (by this process or another) closes it with 4403
before any further `next`; a subscription sent with a key revoked since connecting is refused; and job ids
are no use to another firm or to a revoked key. Over graphql-transport-ws, both databases."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api import subscriptions
from api.keys import Role, split_key
from db.models import PlanJob
from db.repositories.access import Access
from db.repositories.jobs import PlanJobs
from schema.stored_plans import global_id
from tests.api.conftest import Service, Tenant
from tests.api.test_plan_jobs import UPDATES, Socket

REVOKE = """mutation($keyId: String!) { revokeApiKey(keyId: $keyId) { __typename } }"""
CLOSED = {"type": "websocket.close", "code": 4403, "reason": "Forbidden"}


async def _running_job(service: Service, tenant: Tenant) -> int:
    """A job another process runs: it stays RUNNING until the test changes its row."""
    values = {"state": "RUNNING", "scenario": {}, "options": {}, "rules_version": "r", "plan_key": "k"}
    beat = service.hold_heartbeat_clock()  # web-2 keeps beating however long the test takes
    async with service.sessions() as session, session.begin():
        row = await PlanJobs(session, tenant_id=tenant.id).add_summarized(
            PlanJob, {**values, "owner": "web-2", "heartbeat_at": beat}, ("state",)
        )
        return row.id


async def _finish(service: Service, tenant: Tenant, job_id: int) -> None:
    async with service.sessions() as session, session.begin():
        job = await PlanJobs(session, tenant_id=tenant.id).get(PlanJob, job_id)
        assert job is not None
        job.state = "DONE"


async def _revoke_elsewhere(service: Service, tenant: Tenant, key: str) -> None:
    """Revokes `key` as another process would: in the database, with no signal to this one."""
    parts = split_key(key)
    assert parts is not None
    async with service.sessions() as session, session.begin():
        assert await Access(session, tenant_id=tenant.id).revoke_api_key(parts[0]) is not None


async def _connected(service: Service, key: str) -> Socket:
    socket = Socket(service.app)
    assert (await socket.event())["subprotocol"] == "graphql-transport-ws"
    await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}})
    assert await socket.message() == {"type": "connection_ack"}
    return socket


async def _subscribe(socket: Socket, job_id: int, operation: str = "1") -> None:
    variables = {"id": global_id("PlanJob", job_id)}
    await socket.send({"id": operation, "type": "subscribe", "payload": {"query": UPDATES, "variables": variables}})


async def _nothing_more(socket: Socket) -> list[dict[str, Any]]:
    """What the app sent after the close, once the client has hung up (the app has ended by then)."""
    await socket.close()
    left = []
    while not socket._from_app.empty():
        left.append(dict(socket._from_app.get_nowait()))
    return left


async def test_revoking_the_key_closes_its_open_subscription(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    admin = await service.key(tenant, Role.ADMIN)
    job_id = await _running_job(service, tenant)
    socket = await _connected(service, key)
    await _subscribe(socket, job_id)
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "RUNNING"

    parts = split_key(key)
    assert parts is not None
    revoked = await service.data(REVOKE, admin, {"keyId": parts[0]})
    assert revoked == {"revokeApiKey": {"__typename": "ApiKey"}}
    assert await socket.event() == CLOSED

    await _finish(service, tenant, job_id)  # the job's end is not sent to the revoked key
    assert await _nothing_more(socket) == []


async def test_a_revocation_by_another_process_closes_the_socket(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    job_id = await _running_job(service, tenant)
    socket = await _connected(service, key)
    await _subscribe(socket, job_id)
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "RUNNING"

    await _revoke_elsewhere(service, tenant, key)  # no signal here: the watcher reads the revision
    assert await socket.event() == CLOSED
    await _finish(service, tenant, job_id)
    assert await _nothing_more(socket) == []


async def test_a_subscription_with_a_key_revoked_after_connecting_is_refused(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subscriptions, "WATCH_INTERVAL_S", 3600.0)  # only the check at `subscribe` can see it
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    job_id = await _running_job(service, tenant)
    socket = await _connected(service, key)
    await _revoke_elsewhere(service, tenant, key)

    await _subscribe(socket, job_id)
    assert await socket.event() == CLOSED
    assert await _nothing_more(socket) == []


async def test_no_message_is_sent_after_the_key_is_revoked(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subscriptions, "WATCH_INTERVAL_S", 3600.0)  # only the check before `next` can see it
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    job_id = await _running_job(service, tenant)
    socket = await _connected(service, key)
    await _subscribe(socket, job_id)
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "RUNNING"

    await _revoke_elsewhere(service, tenant, key)
    await _finish(service, tenant, job_id)  # the subscription has a DONE to send: the key is checked first
    assert await socket.event() == CLOSED
    assert await _nothing_more(socket) == []


async def test_a_change_that_is_not_the_key_leaves_the_socket_open(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    await service.key(tenant, Role.CONSULTANT)  # moves the tenant's revision
    job_id = await _running_job(service, tenant)  # and again
    socket = await _connected(service, key)
    await _subscribe(socket, job_id)
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "RUNNING"
    await _finish(service, tenant, job_id)
    assert (await socket.message())["payload"]["data"]["planJobUpdates"]["state"] == "DONE"
    assert await socket.message() == {"id": "1", "type": "complete"}
    await socket.close()


async def test_guessing_job_ids_finds_nothing(service: Service) -> None:
    """Job ids are sequential, so guessing them must be useless: another firm's ids find nothing (the rows
    are the tenant's, and RLS on PostgreSQL), and a revoked key's firm's ids are not even asked."""
    owner, thief = await service.tenant(), await service.tenant()
    owner_key = await service.key(owner, Role.READONLY)
    jobs = [await _running_job(service, owner) for _ in range(3)]
    socket = await _connected(service, await service.key(thief, Role.ADMIN))
    for job_id in range(1, max(jobs) + 1):  # every id up to the owner's newest
        await _subscribe(socket, job_id, str(job_id))
        found = await socket.message()
        assert found["payload"]["data"]["planJobUpdates"]["__typename"] == "NotFound", found
        assert await socket.message() == {"id": str(job_id), "type": "complete"}
    await socket.close()

    revoked = await _connected(service, owner_key)
    await _revoke_elsewhere(service, owner, owner_key)
    for job_id in jobs:
        await _subscribe(revoked, job_id, str(job_id))
    assert await revoked.event() == CLOSED
    assert await _nothing_more(revoked) == []


async def test_a_revoked_key_cannot_open_a_socket(service: Service) -> None:
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    await _revoke_elsewhere(service, tenant, key)
    socket = Socket(service.app)
    await socket.event()
    await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}})
    assert await socket.event() == CLOSED
    await socket.close()
    await asyncio.sleep(0)
