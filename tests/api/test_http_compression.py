"""Compression: answers over PERMITPATH_GZIP_MIN_BYTES are gzipped for a client that asks, plain otherwise; small
answers are never compressed, and the subscription socket passes the middleware untouched. Both databases."""

from __future__ import annotations

import gzip
import json

import pytest

from api.keys import Role
from api.settings import Settings, SettingsError
from tests.api.conftest import GRAPHQL_RESPONSE, Service, serve, settings_for
from tests.api.test_plan_jobs import Socket

INTROSPECTION = "{ __schema { types { name description fields { name description } } } }"


async def _introspect(service: Service, key: str, accept_encoding: str) -> tuple[dict[str, str], bytes]:
    """The introspection answer's headers and the bytes on the wire (httpx would inflate them)."""
    request = service.client.build_request(
        "POST",
        "/graphql",
        json={"query": INTROSPECTION},
        headers={"Authorization": f"Bearer {key}", "Accept": GRAPHQL_RESPONSE, "Accept-Encoding": accept_encoding},
    )
    response = await service.client.send(request, stream=True)
    try:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    assert response.status_code == 200
    return dict(response.headers), raw


async def test_introspection_is_gzipped_when_asked_and_plain_when_not(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    headers, raw = await _introspect(service, key, "gzip, br")
    assert (headers["content-encoding"], headers["vary"]) == ("gzip", "Accept, Authorization, Accept-Encoding")
    assert int(headers["content-length"]) == len(raw)
    answer = json.loads(gzip.decompress(raw))
    assert len(answer["data"]["__schema"]["types"]) > 100

    plain_headers, plain = await _introspect(service, key, "identity")
    assert "content-encoding" not in plain_headers
    assert json.loads(plain) == answer
    assert len(raw) * 4 < len(plain)  # the point of it: JSON of a schema shrinks severalfold


async def test_a_small_answer_is_not_compressed(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    response = await service.post({"query": "{ __typename }"}, key, headers={"Accept-Encoding": "gzip"})
    assert (response.status_code, response.json()) == (200, {"data": {"__typename": "Query"}})
    assert "content-encoding" not in response.headers


async def test_compression_can_be_turned_off(database_url: str) -> None:
    async with serve(settings_for(database_url, gzip_min_bytes=0)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        headers, raw = await _introspect(service, key, "gzip")
        assert "content-encoding" not in headers
        assert len(json.loads(raw)["data"]["__schema"]["types"]) > 100


async def test_the_socket_passes_gzip_and_cors_untouched(database_url: str) -> None:
    settings = settings_for(database_url, cors_origins=("http://localhost:3000",), gzip_min_bytes=1)
    async with serve(settings) as service:
        key = await service.key(await service.tenant(), Role.READONLY)
        headers = [(b"origin", b"http://localhost:3000"), (b"accept-encoding", b"gzip")]
        socket = Socket(service.app, headers)
        accepted = await socket.event()
        assert (accepted["type"], accepted["subprotocol"]) == ("websocket.accept", "graphql-transport-ws")
        await socket.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}})
        assert await socket.message() == {"type": "connection_ack"}  # text frames, as sent: nothing compressed
        await socket.close()


def test_the_threshold_from_the_environment() -> None:
    assert Settings.from_env({"PERMITPATH_GZIP_MIN_BYTES": "0"}).gzip_min_bytes == 0
    assert Settings.from_env({}).gzip_min_bytes == 1024
    with pytest.raises(SettingsError, match="PERMITPATH_GZIP_MIN_BYTES must be a whole number of 0 or more, not '1k'"):
        Settings.from_env({"PERMITPATH_GZIP_MIN_BYTES": "1k"})
