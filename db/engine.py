"""The one async engine of a process, its session factory, write transactions, and the readiness probe."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

# Kept here by name for their callers (db/urls.py holds them, so the settings need no SQLAlchemy).
from db.urls import DEFAULT_SQLITE_PATH as DEFAULT_SQLITE_PATH
from db.urls import is_sqlite as is_sqlite
from db.urls import sqlite_url as sqlite_url

# How long an SQLite connection waits for another process's writer before "database is locked" (a writer
# of this process waits on `_writer_lock` instead, however long the queue).
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, **options: Any) -> AsyncEngine:
    """An async engine for `url`; on SQLite, foreign keys are enforced (cascades depend on them).

    A server's connections are pinged when checked out (a restarted PostgreSQL leaves dead ones in the
    pool); an SQLite file has no server to lose, and the ping would be one more round trip per request.
    """
    sqlite = is_sqlite(url)
    engine = create_async_engine(url, pool_pre_ping=not sqlite, **options)
    if sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Concurrent requests each hold a connection; wait for a writer instead of failing at once.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Write-ahead logging: readers never wait for a writer, nor a writer for readers (the file's mode
    # persists; an in-memory database keeps its own and ignores this).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (resolvers read them after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def write_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session in a transaction meant to write: committed when the block ends, rolled back on an exception.

    On SQLite the transaction begins IMMEDIATE, taking the file's write lock before its first read: what it
    reads (a record's old values for the audit, a count against a limit) cannot change before it writes, and
    it never has to upgrade a read snapshot that another writer made stale, which fails at once ("database
    is locked") whatever the busy timeout. One such transaction of this process runs at a time: the others
    queue on an asyncio lock, in order, instead of polling the file lock; another process's writer is waited
    for by the busy timeout. PostgreSQL needs neither: its callers lock the rows they read.
    """
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or not is_sqlite(engine.url.drivername):
        async with sessions() as session, session.begin():
            yield session
        return
    async with _writer_lock(engine.sync_engine), sessions() as session, session.begin():
        await session.execute(text("BEGIN IMMEDIATE"))
        yield session


_writer_locks: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


def _writer_lock(engine: Engine) -> asyncio.Lock:
    lock = _writer_locks.get(engine)
    if lock is None:
        lock = _writer_locks[engine] = asyncio.Lock()
    return lock


async def ping(engine: AsyncEngine, *, timeout_s: float = 2.0) -> str | None:
    """None when the database answers `SELECT 1` within `timeout_s`, else why it did not."""
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError:
        return f"database did not answer within {timeout_s:g} s"
    except Exception as error:  # any driver error means "not ready"; the probe reports it, never raises
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None
