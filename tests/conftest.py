"""Test databases: SQLite always, PostgreSQL when reachable (required when PERMITPATH_REQUIRE_POSTGRES=1).

A test that takes `database_url` (or `engine`, `sessions`, `tenant_id`, `gql`) runs once per database.
Each session (each pytest-xdist worker is one) migrates its own SQLite file and its own fresh PostgreSQL database
(dropped at the end); each test gets a tenant of its own, so tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import make_engine, make_sessions, sqlite_url
from db.migrate import upgrade
from db.repositories.tenants import ensure_tenant
from schema.context import Context
from schema.root import schema
from solver import deadline


def pytest_configure(config: pytest.Config) -> None:
    """In-process solves stop on their deterministic budget only: a plan must not depend on the machine's speed.

    (The wall-clock bound itself is tested with injected clocks in tests/solver/test_time_limit.py.)
    """
    deadline.reproducible()


POSTGRES_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DATABASES = ("sqlite", "postgres")
_outcomes: dict[str, Counter[str]] = {name: Counter() for name in DATABASES}
_ran: set[str] = set()  # the tests that ran on a database

Gql = Callable[..., Awaitable[dict[str, Any]]]


def postgres_admin_url() -> URL:
    """The server (and database to connect to first) that test databases are created on."""
    return make_url(os.environ.get("PERMITPATH_TEST_POSTGRES_URL", POSTGRES_DEFAULT))


def postgres_required() -> bool:
    """CI sets PERMITPATH_REQUIRE_POSTGRES=1: an unreachable server then fails the tests instead of skipping."""
    return os.environ.get("PERMITPATH_REQUIRE_POSTGRES") == "1"


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _admin(admin: URL, statement: str) -> None:
    engine = make_engine(admin.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file for this test session."""
    url = sqlite_url(tmp_path_factory.mktemp("sqlite") / "permitpath-test.db")
    asyncio.run(_migrate(url))
    return url


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    admin = postgres_admin_url()
    name = f"permitpath_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any failure to connect means "no PostgreSQL here"
        message = f"PostgreSQL unreachable at {admin.render_as_string()}: {type(error).__name__}: {error}"
        if postgres_required():
            pytest.fail(f"{message} (PERMITPATH_REQUIRE_POSTGRES=1)")
        pytest.skip(f"{message}; set PERMITPATH_TEST_POSTGRES_URL to run the PostgreSQL tests")
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(_migrate(url))
        yield url
    finally:
        asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of this session's migrated database of each kind."""
    url: str = request.getfixturevalue(f"{request.param}_database")
    return url


@pytest.fixture
def scratch_database(database_url: str, tmp_path: Any) -> Iterator[str]:
    """An empty database of the same kind as `database_url`, for tests that migrate up and down."""
    if database_url.startswith("sqlite"):
        yield sqlite_url(tmp_path / "scratch.db")
        return
    admin = postgres_admin_url()
    name = f"permitpath_scratch_{os.getpid()}_{secrets.token_hex(4)}"
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database (one per test: engines belong to an event loop)."""
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessions(engine)


async def new_tenant(sessions: async_sessionmaker[AsyncSession]) -> int:
    """A tenant of its own (a random slug), so a test sees only its own records."""
    async with sessions() as session, session.begin():
        slug = f"test-{uuid.uuid4().hex[:12]}"
        return (await ensure_tenant(session, slug=slug, name=f"Test firm {slug}")).id


@pytest.fixture
async def tenant_id(sessions: async_sessionmaker[AsyncSession]) -> int:
    return await new_tenant(sessions)


@pytest.fixture
def gql(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> Gql:
    """Runs an operation against the real schema as the test's tenant; returns `data`, failing on errors."""

    async def run(query: str, variables: dict[str, Any] | None = None, *, tenant: int | None = None) -> dict[str, Any]:
        context = Context.create(sessions, tenant_id if tenant is None else tenant)
        result = await schema.execute(query, variable_values=variables, context_value=context)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    return run


# --- how many tests ran on each database -----------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The database rides on the report (user_properties), so counting works where reports are gathered: in
    # this process, or in pytest-xdist's controller, which collects nothing itself.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url") in DATABASES:
            item.user_properties.append(("database", callspec.params["database_url"]))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    database = dict(report.user_properties).get("database")
    if database not in DATABASES:
        return
    _ran.add(report.nodeid)
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes[database]["error" if report.when == "setup" and report.failed else report.outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _ran:
        return
    terminalreporter.section("tests per database")
    for database in DATABASES:
        counts = _outcomes[database]
        ran = counts["passed"] + counts["failed"]
        parts = ", ".join(f"{counts[o]} {o}" for o in ("passed", "failed", "error", "skipped") if counts[o])
        terminalreporter.write_line(f"{database}: {ran} tests ran ({parts or 'none run'})")
