"""The service over HTTP: GraphQL with the demo households, GraphiQL, and the health probes."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from api.cli import main
from api.demo import DEMO_HOUSEHOLDS
from api.settings import Settings
from api.solve_runner import ProcessRunner
from db.migrate import head
from tests.api import worker_probe
from tests.api.conftest import serve
from tests.api.test_solve_runner import until

LIST = "{ households { edges { node { name principal { name } spouse { name } } } } }"


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app in dev mode on the test database, as a tenant of its own (so the demo seeding is visible)."""
    settings = Settings(database_url=database_url, dev=True, tenant_slug=f"demo-{uuid.uuid4().hex[:8]}")
    app = create_app(settings)
    async with app.router.lifespan_context(app), _client(app) as client:
        yield client


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_graphql_lists_the_demo_households(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": LIST})
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "households": {
                "edges": [
                    {
                        "node": {
                            "name": "Sharma",
                            "principal": {"name": "Priya Sharma"},
                            "spouse": {"name": "Arjun Sharma"},
                        }
                    },
                    {"node": {"name": "Okafor", "principal": {"name": "Chinedu Okafor"}, "spouse": None}},
                    {
                        "node": {
                            "name": "Dubois",
                            "principal": {"name": "Camille Dubois"},
                            "spouse": {"name": "Julien Dubois"},
                        }
                    },
                    {"node": {"name": "Nguyen", "principal": {"name": "Linh Nguyen"}, "spouse": None}},
                ]
            }
        }
    }
    assert len(DEMO_HOUSEHOLDS) == 4


async def test_a_mutation_over_http_is_stored(client: httpx.AsyncClient) -> None:
    mutation = """mutation { createHousehold(input: {name: "Haddad", principal: {name: "Rami Haddad",
        birthDate: "1988-10-10", citizenships: ["LB"], inCanada: false}}) {
        __typename ... on HouseholdPayload { household { id } } } }"""
    created = (await client.post("/graphql", json={"query": mutation})).json()["data"]["createHousehold"]
    assert created["__typename"] == "HouseholdPayload"
    found = await client.post(
        "/graphql",
        json={
            "query": "query($n: String) { households(nameContains: $n) { edges { node { id } } } }",
            "variables": {"n": "hadd"},
        },
    )
    assert found.json() == {"data": {"households": {"edges": [{"node": {"id": created["household"]["id"]}}]}}}


async def test_graphiql_in_a_browser(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "GraphiQL" in response.text


async def test_health_probes_on_a_reachable_database(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready", "database": "ok"})


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql+asyncpg://postgres@127.0.0.1:1/permitpath", "Connect call failed"),
        ("sqlite+aiosqlite:////nonexistent-dir/permitpath.db", "unable to open database file"),
    ],
    ids=["postgres-down", "sqlite-unopenable"],
)
async def test_readyz_is_503_when_the_database_is_unreachable(
    url: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Without migrations on start the process comes up without its database, as a load balancer sees it.
    app = create_app(Settings(database_url=url, migrate_on_start=False))
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/healthz")).status_code == 200
        with caplog.at_level(logging.WARNING, logger="permitpath.health"):
            response = await client.get("/readyz")
    # aiosqlite answers a failed connect from its worker thread after the fact; let it finish while this
    # test's event loop is still open.
    await asyncio.to_thread(_join_sqlite_workers)
    # An anonymous caller learns only "not ready": the driver's words (host, database, role) go to the log.
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
    warned = [r for r in caplog.records if r.name == "permitpath.health"]
    assert [r.levelno for r in warned] == [logging.WARNING] and reason in warned[0].getMessage()


async def test_readyz_is_503_until_the_solver_workers_are_warm(database_url: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=database_url))
    warm = tmp_path / "warm"
    pool = ProcessRunner(1, 1, warm_up=functools.partial(worker_probe.wait_for, warm))
    async with app.router.lifespan_context(app), _client(app) as client:
        app.state.services.solve_runner = pool  # the service's pool, with a warm-up this test ends
        await pool.start()
        try:
            response = await client.get("/readyz")
            assert (response.status_code, response.json()) == (503, {"status": "unavailable", "solver": "warming up"})
            warm.touch()
            await until(lambda: pool.ready, "the worker warmed up")
            response = await client.get("/readyz")
            assert (response.status_code, response.json()) == (200, {"status": "ready", "database": "ok"})
        finally:
            await pool.close()


def _join_sqlite_workers() -> None:
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name:
            thread.join(timeout=5)


async def test_readyz_is_503_until_the_database_is_migrated(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    app = create_app(Settings(database_url=url, migrate_on_start=False))
    async with app.router.lifespan_context(app), _client(app) as client:
        with caplog.at_level(logging.WARNING, logger="permitpath.health"):
            response = await client.get("/readyz")
        assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
        expected = f"not ready: schema at revision None, expected {head()}: run `permitpath migrate`"
        assert [r.getMessage() for r in caplog.records if r.name == "permitpath.health"] == [expected]
        assert await asyncio.to_thread(main, ["migrate", "--database-url", url]) == 0
        assert (await client.get("/readyz")).status_code == 200


async def test_a_served_process_freezes_its_startup_heap_and_an_embedded_app_does_not(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gc.db'}"
    gc.unfreeze()
    try:
        async with serve(Settings(database_url=url, migrate_on_start=True)):
            assert gc.get_freeze_count() == 0
        async with serve(Settings(database_url=url, freeze_heap_after_start=True)):
            assert gc.get_freeze_count() > 1000  # the modules, the schema, the rules
    finally:
        gc.unfreeze()
