"""What a client that picked the wrong transport or named its document wrongly is told: a subscription over HTTP
is sent to the socket, a malformed `documentId` or APQ hash is a BAD_REQUEST naming the parameter (not a
document to register), the legacy `graphql-ws` subprotocol and sockets from pages of unlisted origins are
refused. Through the real app, both databases."""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

from starlette.applications import Starlette

from api.keys import Role
from tests.api.conftest import GRAPHQL_RESPONSE, Service, serve, settings_for

SUBSCRIPTION = 'subscription { planJobUpdates(id: "UGxhbkpvYjox") { __typename } }'
TO_THE_SOCKET = {
    "errors": [
        {
            "message": "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP",
            "extensions": {"code": "BAD_REQUEST"},
        }
    ]
}


def bad_request(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}


async def test_a_subscription_over_post_or_get_is_sent_to_the_socket(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        posted = await service.post({"query": SUBSCRIPTION}, key, accept=accept)
        assert (posted.status_code, posted.json()) == (400, TO_THE_SOCKET)
    fetched = await service.get({"query": SUBSCRIPTION}, key)
    assert (fetched.status_code, fetched.json()) == (400, TO_THE_SOCKET)


async def test_a_malformed_document_id_is_a_bad_request_naming_it(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    for document_id in ("sha256:ABC", "md5:" + "0" * 32, "0" * 64):
        for accept in (GRAPHQL_RESPONSE, "application/json"):
            response = await service.get({"documentId": document_id}, key, accept=accept)
            message = f"documentId {document_id!r} is not of the form sha256:<64 lowercase hex>"
            assert (response.status_code, response.json()) == (400, bad_request(message))
    long = await service.post({"documentId": "x" * 500}, key)
    message = f"documentId {'x' * 80 + '...'!r} is not of the form sha256:<64 lowercase hex>"
    assert (long.status_code, long.json()) == (400, bad_request(message))  # the id is not echoed whole


async def test_a_malformed_apq_hash_is_a_bad_request_naming_it(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}}
    response = await service.post({"extensions": extensions}, key)
    assert (response.status_code, response.json()) == (
        400,
        bad_request("extensions.persistedQuery.sha256Hash must be 64 lowercase hex"),
    )


async def _handshake(app: Starlette, headers: list[tuple[bytes, bytes]], subprotocols: list[str]) -> dict[str, Any]:
    """The app's answer to a WebSocket handshake at /graphql: its accept with a subprotocol, or its close."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"sec-websocket-protocol", ", ".join(subprotocols).encode()), *headers],
        "subprotocols": subprotocols,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    to_app.put_nowait({"type": "websocket.connect"})
    task = asyncio.create_task(app(scope, to_app.get, from_app.put))
    first = dict(await asyncio.wait_for(from_app.get(), 30))
    if first["type"] == "websocket.accept" and first.get("subprotocol") is None:
        first = dict(await asyncio.wait_for(from_app.get(), 30))  # accepted only to say why it closes
    await to_app.put({"type": "websocket.disconnect", "code": 1000})
    await asyncio.wait_for(task, 10)
    return first


async def test_the_legacy_graphql_ws_subprotocol_is_refused(service: Service) -> None:
    refused = await _handshake(service.app, [], ["graphql-ws"])
    assert refused == {"type": "websocket.close", "code": 4406, "reason": "Subprotocol not acceptable"}
    both = await _handshake(service.app, [], ["graphql-ws", "graphql-transport-ws"])
    assert (both["type"], both["subprotocol"]) == ("websocket.accept", "graphql-transport-ws")


async def test_a_page_of_an_unlisted_origin_cannot_open_the_socket(database_url: str) -> None:
    async with serve(settings_for(database_url, cors_origins=("http://localhost:3000",))) as service:
        listed = await _handshake(service.app, [(b"origin", b"http://localhost:3000")], ["graphql-transport-ws"])
        assert listed["type"] == "websocket.accept"
        other = await _handshake(service.app, [(b"origin", b"https://evil.example")], ["graphql-transport-ws"])
        assert other["type"] == "websocket.close"
