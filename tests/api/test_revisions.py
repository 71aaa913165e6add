"""A tenant's revision kept in the process (api/revisions.py): a remembered key answers without a query while
nothing that could move its tenant's revision is committed (on PostgreSQL another firm's change leaves it), and
any process's change (a revocation from the command line) is seen at once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.auth import Authenticator, Unauthenticated
from api.keys import Role, split_key
from api.revisions import Revisions, SqliteWatch
from db.engine import make_engine, make_sessions
from db.repositories.access import Access
from tests.api.conftest import Service, Tenant, serve, settings_for
from tests.api.test_solve_runner import until

ROOT = Path(__file__).parents[2]
RULES = {"query": "{ rulesVersion }"}
T = TypeVar("T")


async def _statements(service: Service, key: str) -> tuple[bool, list[str]]:
    """Whether the authenticator admits `key`, and the SQL statements it took to say so."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = service.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        authenticator: Authenticator = service.app.state.gateway.authenticator
        outcome = await authenticator.authenticate(f"Bearer {key}")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return not isinstance(outcome, Unauthenticated), statements


async def _listening(service: Service) -> None:
    """Waits until the revisions are watched (PostgreSQL's listener connects after the start)."""
    revisions: Revisions = service.app.state.revisions
    await until(lambda: revisions.stamp() is not None, "the revisions are watched")


async def _from_memory(service: Service, key: str) -> None:
    """Checks `key` until a check reads nothing (on PostgreSQL, the NOTIFY of a commit made just before may
    arrive after the next read and move the stamp once more: a spare query, never a stale answer)."""

    async def again() -> None:
        while (checked := await _statements(service, key)) != (True, []):
            assert checked[0] and len(checked[1]) == 1  # admitted, reading the key row with its revision
            await asyncio.sleep(0.02)

    await asyncio.wait_for(again(), 30)  # only a safety net


async def test_a_remembered_key_needs_no_query_until_its_tenant_changes(service: Service) -> None:
    await _listening(service)
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    admitted, statements = await _statements(service, key)
    assert admitted and len(statements) == 1  # the key row with its tenant's revision
    await _from_memory(service, key)
    # Any audited change of the tenant moves its revision: the next check reads the key row again.
    await service.key(tenant, Role.READONLY, name="another")
    admitted, statements = await _statements(service, key)
    assert admitted and len(statements) == 1
    await _from_memory(service, key)


async def test_another_process_revoking_a_key_is_refused_at_once(service: Service, database_url: str) -> None:
    await _listening(service)
    tenant = await service.tenant()
    key = await service.key(tenant, Role.READONLY)
    assert (await service.post(RULES, key)).status_code == 200
    await _from_memory(service, key)  # remembered
    key_id = split_key(key)[0]  # type: ignore[index]

    # Another process: the command line, on the same database.
    revoke = [sys.executable, "-m", "api.cli", "keys", "revoke", key_id, "--database-url", database_url]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = await asyncio.to_thread(
        subprocess.run, [*revoke, "--tenant", tenant.slug], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr

    # SQLite's change counter is read by each request, PostgreSQL's NOTIFY arrives as the revocation commits.
    admitted_after: list[int] = []

    async def until_refused() -> None:
        while (response := await service.post(RULES, key)).status_code != 401:
            assert response.status_code == 200
            admitted_after.append(response.status_code)
            await asyncio.sleep(0.02)

    await asyncio.wait_for(until_refused(), 30)  # only a safety net
    if database_url.startswith("sqlite"):
        assert admitted_after == []  # refused by the very next request


async def test_an_answer_read_across_a_commit_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "revisions.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x INTEGER)")
    revisions = Revisions(SqliteWatch(str(path)))
    try:
        stamp = revisions.stamp()
        assert stamp is not None
        revisions.remember(1, 7, stamp)
        assert revisions.revision(1) == 7
        stamp = revisions.stamp()
        writer.execute("INSERT INTO t VALUES (1)")  # committed between the read and its remembering
        revisions.remember(2, 3, stamp)
        assert revisions.revision(2) is None and revisions.revision(1) is None  # the commit moved the stamp
        path.unlink()  # a file deleted (or replaced) is no longer the database read
        assert revisions.stamp() is None
    finally:
        writer.close()
        await revisions.close()


@pytest.fixture
async def postgres_service(postgres_database: str) -> AsyncIterator[Service]:
    """The service on PostgreSQL, where each tenant's remembered revision moves on its own."""
    settings = settings_for(postgres_database, rate_capacity=100_000.0, rate_per_second=100_000.0)
    async with serve(settings) as running:
        yield running


@pytest.fixture
async def elsewhere(postgres_database: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an engine of the test's own, whose commits the service hears of only by NOTIFY."""
    engine = make_engine(postgres_database)
    try:
        yield make_sessions(engine)
    finally:
        await engine.dispose()


@contextlib.contextmanager
def _commits() -> Iterator[list[Any]]:
    """The commits of every engine of this process (the service's and the test's) while the block runs."""
    commits: list[Any] = []

    def record(connection: Any) -> None:
        commits.append(connection)

    event.listen(Engine, "commit", record)
    try:
        yield commits
    finally:
        event.remove(Engine, "commit", record)


async def _uninterrupted(attempt: Callable[[], Awaitable[T]], commits: int) -> T:
    """What `attempt` found in a run during which this process committed `commits` times (the attempt's own):
    a run the plan jobs' heartbeat came into, which moves every tenant, is made again."""

    async def run() -> T:
        while True:
            with _commits() as seen:
                found = await attempt()
            if len(seen) == commits:
                return found

    return await asyncio.wait_for(run(), 60)  # only a safety net


async def _revoke(sessions: async_sessionmaker[AsyncSession], tenant: Tenant, key: str) -> None:
    key_id = split_key(key)[0]  # type: ignore[index]
    async with sessions() as session, session.begin():
        assert await Access(session, tenant_id=tenant.id).revoke_api_key(key_id) is not None


async def _until_read(service: Service, key: str) -> None:
    """Checks `key`, still admitted, until a check reads its row again (its tenant moved)."""
    while (checked := await _statements(service, key)) == (True, []):
        await asyncio.sleep(0.02)
    assert checked[0] and len(checked[1]) == 1


async def test_on_postgres_one_firms_change_leaves_the_other_firms_keys_in_memory(
    postgres_service: Service, elsewhere: async_sessionmaker[AsyncSession]
) -> None:
    service = postgres_service
    await _listening(service)
    firm, other = await service.tenant(), await service.tenant()
    others_key = await service.key(other, Role.READONLY)  # first: every announcement of the firm comes after it
    key = await service.key(firm, Role.READONLY)

    async def attempt() -> tuple[tuple[bool, list[str]], tuple[bool, list[str]]]:
        """Both keys' checks just after a change of the firm by this process."""
        spare = await service.key(firm, Role.READONLY, name="spare")
        await _from_memory(service, key)
        # A change of the firm elsewhere: once its NOTIFY is heard, so is every earlier one (commit order).
        await _revoke(elsewhere, firm, spare)
        await _until_read(service, key)
        await _from_memory(service, key)
        await _from_memory(service, others_key)
        await service.key(firm, Role.READONLY, name="another")
        return (await _statements(service, others_key), await _statements(service, key))

    others_check, firms_check = await _uninterrupted(attempt, commits=3)
    assert others_check == (True, [])  # the other firm's key: known current, no query
    assert firms_check[0] and len(firms_check[1]) == 1  # the firm's key: its row read again


async def test_on_postgres_the_plan_jobs_heartbeat_leaves_every_firms_keys_in_memory(postgres_service: Service) -> None:
    service = postgres_service
    await _listening(service)
    firm = await service.tenant()
    key = await service.key(firm, Role.READONLY)

    async def attempt() -> tuple[bool, list[str]]:
        """The key's check just after a heartbeat of this process (its one commit bumps no revision)."""
        await _from_memory(service, key)
        await service.app.state.services.plans.beat()
        return await _statements(service, key)

    assert await _uninterrupted(attempt, commits=1) == (True, [])


async def test_on_postgres_a_revocation_elsewhere_is_refused_once_announced(
    postgres_service: Service, elsewhere: async_sessionmaker[AsyncSession]
) -> None:
    service = postgres_service
    await _listening(service)
    firm = await service.tenant()

    async def attempt() -> None:
        key = await service.key(firm, Role.READONLY)
        await _from_memory(service, key)
        await _revoke(elsewhere, firm, key)  # another connection: only its NOTIFY tells this process
        while (response := await service.post(RULES, key)).status_code != 401:
            assert response.status_code == 200
            await asyncio.sleep(0.02)

    await _uninterrupted(attempt, commits=2)


async def test_on_postgres_a_reconnect_of_the_listener_drops_every_remembered_revision(
    postgres_service: Service, elsewhere: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    service = postgres_service
    revisions: Revisions = service.app.state.revisions
    listener = "datname = current_database() AND query LIKE 'LISTEN %'"
    firm = await service.tenant()

    async def attempt() -> tuple[bool, list[str]]:
        await _listening(service)
        caplog.clear()
        key = await service.key(firm, Role.READONLY)
        await _from_memory(service, key)
        async with elsewhere() as session:
            ended = await session.scalar(
                text(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {listener}")
            )
        assert ended == 1
        await until(lambda: "lost its connection" in caplog.text and revisions.stamp() is not None, "listening again")
        return await _statements(service, key)

    # What was announced while no connection listened is unknown: every remembered revision is read again.
    admitted, statements = await _uninterrupted(attempt, commits=1)
    assert admitted and len(statements) == 1
