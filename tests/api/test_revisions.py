"""A tenant's revision kept in the process (api/revisions.py): a remembered key answers without a query while
nothing is committed, and any process's change (a revocation from the command line) is seen at once."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from api.auth import Authenticator, Unauthenticated
from api.keys import Role, split_key
from api.revisions import Revisions, SqliteWatch
from tests.api.conftest import Service
from tests.api.test_solve_runner import until

ROOT = Path(__file__).parents[2]
RULES = {"query": "{ rulesVersion }"}


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
