"""Database faults say "retry": a database that refuses the connection or the login, or an SQLite file that is
gone, answers 503 with Retry-After and DATABASE_UNAVAILABLE (never INTERNAL_SERVER_ERROR), logs a warning and
no error; a key confirmed just before the outage still answers what needs no database, for a short grace only.
An unknown key id and a wrong secret cost the same work."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from api import auth
from api.auth import GRACE_S, Authenticator
from api.keys import Role, secret_matches, split_key
from api.settings import Settings
from db.engine import make_engine, sqlite_url
from db.faults import DATABASE_UNAVAILABLE, STORAGE_FULL, fault_code
from db.migrate import upgrade
from tests.api.conftest import Service, serve, settings_for
from tests.api.test_app import _join_sqlite_workers
from tests.conftest import _admin, postgres_admin_url

RULES = {"query": "{ rulesVersion }"}
HOUSEHOLDS = {"query": "{ households { edges { node { id } } } }"}
WELL_FORMED = "pp_000000000000_" + "a" * 43
RETRY = "the service's database is unavailable for the moment; retry after 5 s"


def _unavailable(response: Any) -> None:
    assert (response.status_code, response.headers.get("retry-after")) == (503, "5"), response.text
    codes = {error["extensions"]["code"] for error in response.json()["errors"]}
    messages = {error["message"] for error in response.json()["errors"]}
    assert (codes, messages) == ({DATABASE_UNAVAILABLE}, {RETRY})


def _no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any(r.name == "permitpath.faults" and r.levelno == logging.WARNING for r in caplog.records)


async def test_a_postgres_that_refuses_connections_is_503(caplog: pytest.LogCaptureFixture) -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/permitpath"
    async with serve(settings_for(url)) as service:
        with caplog.at_level(logging.INFO):
            responses = [await service.post(RULES, WELL_FORMED), await service.post(HOUSEHOLDS, WELL_FORMED)]
    for response in responses:
        _unavailable(response)
    _no_errors_logged(caplog)


@pytest.fixture
def nologin_url(postgres_database: str) -> Iterator[str]:
    """The test database reached as a role that may not log in (made for the test, dropped after)."""
    role = f"pp_nologin_{uuid.uuid4().hex[:8]}"
    admin = postgres_admin_url()
    asyncio.run(_admin(admin, f"CREATE ROLE {role} NOLOGIN"))
    try:
        yield admin.set(username=role, password=None).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(admin, f"DROP ROLE {role}"))


@pytest.mark.postgres
async def test_a_postgres_that_refuses_the_login_is_503(nologin_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with serve(settings_for(nologin_url)) as service:
        with caplog.at_level(logging.INFO):
            responses = [await service.post(RULES, WELL_FORMED), await service.client.get("/readyz")]
    _unavailable(responses[0])
    assert (responses[1].status_code, responses[1].json()) == (503, {"status": "unavailable"})
    _no_errors_logged(caplog)
    assert "is not permitted to log in" in caplog.text  # the operator reads why, in the log


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def sqlite_service(tmp_path: Path) -> AsyncIterator[tuple[Service, Path]]:
    """A served instance on an SQLite file in a directory of its own (which a test may delete)."""
    directory = tmp_path / "data"
    directory.mkdir()
    url = sqlite_url(directory / "permitpath.db")
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()
    async with serve(settings_for(url, rate_capacity=1e6, rate_per_second=1e6)) as service:
        yield service, directory
    await asyncio.to_thread(_join_sqlite_workers)  # failed connects answer from their threads after the fact


async def _lose_the_file(service: Service, directory: Path) -> None:
    shutil.rmtree(directory)
    await service.app.state.engine.dispose()  # the open connections held the deleted file


async def test_a_deleted_sqlite_file_is_503_and_a_confirmed_key_still_reads_the_rules_for_a_grace(
    sqlite_service: tuple[Service, Path], caplog: pytest.LogCaptureFixture
) -> None:
    service, directory = sqlite_service
    key = await service.key(await service.tenant(), Role.READONLY)
    clock = Clock()
    authenticator: Authenticator = service.app.state.gateway.authenticator
    authenticator.clock = clock
    assert (await service.post(RULES, key)).status_code == 200  # confirms the key

    await _lose_the_file(service, directory)
    with caplog.at_level(logging.INFO):
        within = await service.post(RULES, key)
        needs_database = await service.post(HOUSEHOLDS, key)  # fails in the resolver: masked as a fault
        unknown = await service.post(RULES, WELL_FORMED)  # never confirmed: nothing to trust
        clock.now += GRACE_S + 0.001
        past = await service.post(RULES, key)

    assert within.status_code == 200 and within.json()["data"]["rulesVersion"]
    _unavailable(needs_database)
    assert needs_database.json()["errors"][0]["path"] == ["households"]
    _unavailable(unknown)
    _unavailable(past)
    _no_errors_logged(caplog)


async def test_dev_mode_answers_what_needs_no_database_while_it_is_gone(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    settings = Settings(database_url=sqlite_url(directory / "dev.db"), dev=True)
    async with serve(settings) as service:
        await _lose_the_file(service, directory)
        rules = await service.post(RULES)
        typename = await service.post({"query": "{ __typename }"})
        households = await service.post(HOUSEHOLDS)
    await asyncio.to_thread(_join_sqlite_workers)
    assert rules.status_code == 200 and rules.json()["data"]["rulesVersion"]
    assert (typename.status_code, typename.json()) == (200, {"data": {"__typename": "Query"}})
    _unavailable(households)


async def test_a_bad_key_is_refused_without_a_warning(service: Service, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = await service.post(RULES, WELL_FORMED)
    assert response.status_code == 401
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# --- the classification, on real sqlite3 errors --------------------------------------------------------


def _error(run: Any) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as raised:
        run()
    return raised.value


def test_sqlite_faults_are_told_from_bugs(tmp_path: Path) -> None:
    path = tmp_path / "faults.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x BLOB)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0)
    locked = _error(lambda: waiter.execute("SELECT * FROM t"))
    holder.execute("ROLLBACK")

    small = sqlite3.connect(tmp_path / "small.db", isolation_level=None)
    small.execute("CREATE TABLE t (x BLOB)")
    small.execute("PRAGMA max_page_count = 3")
    full = _error(lambda: small.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    unopenable = _error(lambda: sqlite3.connect(tmp_path / "no" / "such.db").execute("SELECT 1"))
    syntax = _error(lambda: waiter.execute("SELEC 1"))
    missing = _error(lambda: waiter.execute("SELECT * FROM nope"))

    assert [fault_code(e) for e in (locked, full, unopenable, syntax, missing)] == [
        DATABASE_UNAVAILABLE,
        STORAGE_FULL,
        DATABASE_UNAVAILABLE,
        None,
        None,
    ]
    assert fault_code(ConnectionRefusedError(111, "Connect call failed")) == DATABASE_UNAVAILABLE
    assert fault_code(RuntimeError("a bug")) is None


# --- the work a key check does ---------------------------------------------------------------------------


async def _work(service: Service, monkeypatch: pytest.MonkeyPatch, key: str) -> tuple[list[str], int]:
    """The SQL statements and hash comparisons authenticating `key` takes."""
    statements: list[str] = []
    hashes: list[str] = []
    compare = secret_matches

    def counted(secret: str, stored_hash: str) -> bool:
        hashes.append(stored_hash)
        return compare(secret, stored_hash)

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    monkeypatch.setattr(auth, "secret_matches", counted)
    engine = service.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        authenticator: Authenticator = service.app.state.gateway.authenticator
        outcome = await authenticator.authenticate(f"Bearer {key}")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert isinstance(outcome, auth.Unauthenticated)
    return statements, len(hashes)


async def test_an_unknown_key_id_costs_the_same_work_as_a_wrong_secret(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = await service.key(await service.tenant(), Role.READONLY)
    parts = split_key(key)
    assert parts is not None
    key_id, secret = parts
    wrong_secret = f"pp_{key_id}_{'b' * 43}"
    unknown_id = f"pp_ffffffffffff_{secret}"

    fresh = await _work(service, monkeypatch, wrong_secret)
    assert (await service.post(RULES, key)).status_code == 200  # now the key is remembered
    remembered = await _work(service, monkeypatch, wrong_secret)
    unknown = await _work(service, monkeypatch, unknown_id)

    assert fresh == remembered == unknown
    assert len(unknown[0]) == 1 and unknown[1] == 1
