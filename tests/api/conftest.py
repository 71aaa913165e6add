"""The service as integrators meet it: served without `--dev`, with tenants and keys made for each test."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from api.app import create_app
from api.keys import Role, generate_key
from api.settings import Settings
from db.models import ApiKey
from db.repositories.access import Access
from db.repositories.tenants import ensure_tenant

OPERATIONS = Path(__file__).parents[1] / "fixtures" / "contract" / "operations.graphql"
# The contract's operations file is a built-in trusted document: its id is the sha256 of its bytes.
BUILTIN_ID = "sha256:" + hashlib.sha256(OPERATIONS.read_bytes()).hexdigest()
GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass
class Tenant:
    id: int
    slug: str


@dataclass
class Service:
    """A running app (its lifespan entered) with an HTTP client and the app's own sessions."""

    client: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    app: Starlette

    def hold_heartbeat_clock(self) -> dt.datetime:
        """Stops the clock the plan jobs' heartbeats are read against, and returns its time: a job row said to
        be run by another process (heartbeat_at = that time) stays alive however long the test takes."""
        plans = self.app.state.services.plans
        now: dt.datetime = plans.clock()
        plans.clock = lambda: now
        return now

    async def tenant(self) -> Tenant:
        """A new tenant of its own."""
        slug = f"firm-{uuid.uuid4().hex[:10]}"
        async with self.sessions() as session, session.begin():
            return Tenant((await ensure_tenant(session, slug=slug, name=slug)).id, slug)

    async def key(self, tenant: Tenant, role: Role, name: str | None = None) -> str:
        """A new key of `tenant` with `role`; returns the whole key."""
        new = generate_key()
        async with self.sessions() as session, session.begin():
            values = {"key_id": new.key_id, "name": name or f"{role.value} key", "role": role.value}
            await Access(session, tenant_id=tenant.id).add(ApiKey, {**values, "secret_hash": new.secret_hash})
        return new.plaintext

    async def post(
        self,
        body: Any,
        key: str | None = None,
        *,
        accept: str | None = GRAPHQL_RESPONSE,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a JSON body to /graphql with the key and Accept given."""
        return await self.client.post("/graphql", json=body, headers=_headers(key, accept, headers))

    async def get(
        self, params: dict[str, str], key: str | None = None, *, accept: str | None = GRAPHQL_RESPONSE
    ) -> httpx.Response:
        """GET /graphql with query-string parameters."""
        return await self.client.get("/graphql", params=params, headers=_headers(key, accept, None))

    async def data(self, query: str, key: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data` of a query or mutation that must succeed."""
        response = await self.post({"query": query, "variables": variables or {}}, key)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, for a server a test starts as a process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


PERMITPATH = Path(sys.executable).with_name("permitpath")


@contextlib.contextmanager
def dev_server(directory: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`permitpath serve --dev` as a process, on a free port with a fresh SQLite file in `directory`; yields its
    base URL once /readyz answers 200, and stops it after.

    The output goes to a file, not a pipe: --dev logs every request at debug level, and a pipe nobody reads would
    fill and stall the server. The caller's PYTHONPATH is kept, made absolute (the server runs in `directory`), so
    a worktree's run serves the worktree's code, not the installed package's.
    """
    port = free_port()
    log = directory / "serve.log"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})}
    if "PYTHONPATH" in os.environ:
        environment["PYTHONPATH"] = os.pathsep.join(
            str(Path(entry).resolve()) for entry in os.environ["PYTHONPATH"].split(os.pathsep)
        )
    database = f"sqlite+aiosqlite:///{directory / 'serve.db'}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(PERMITPATH), "serve", "--dev", "--port", str(port), "--database-url", database],
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a safety net for a loaded machine, not a timing assertion
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"permitpath serve --dev did not become ready:\n{log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def _headers(key: str | None, accept: str | None, extra: dict[str, str] | None) -> dict[str, str]:
    headers = dict(extra or {})
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if accept is not None:
        headers["Accept"] = accept
    return headers


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """Settings of a served (not --dev) instance on the test database."""
    return Settings(database_url=database_url, dev=False, migrate_on_start=False).with_overrides(**overrides)


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[Service]:
    """The app as deployed: no `--dev`, so every request needs a key; rate limits high enough for tests."""
    async with serve(settings_for(database_url, rate_capacity=100_000.0, rate_per_second=100_000.0)) as running:
        yield running


class serve:
    """Runs an app for `settings` for the duration of an `async with`."""

    def __init__(self, settings: Settings, *, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.app = create_app(settings, clock=clock)
        self._lifespan: Any = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Service:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        transport = httpx.ASGITransport(app=self.app)
        self._client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        return Service(self._client, self.app.state.sessions, self.app)

    async def __aexit__(self, *exc: object) -> None:
        assert self._client is not None
        await self._client.aclose()
        await self._lifespan.__aexit__(*exc)
