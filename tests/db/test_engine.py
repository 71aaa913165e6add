"""The engine's SQLite settings: what the embedded default needs to serve readers and writers together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from db.engine import make_engine, make_sessions, sqlite_url, write_transaction


async def test_an_sqlite_file_is_opened_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "wal.db"))
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
    finally:
        await engine.dispose()
    assert (mode, keys) == ("wal", 1)


async def test_a_writer_commits_while_a_read_transaction_is_open(tmp_path: Path) -> None:
    """With a rollback journal the reader's lock would make this commit fail ("database is locked")."""
    engine = make_engine(sqlite_url(tmp_path / "concurrent.db"))
    try:
        async with engine.begin() as setup:
            await setup.execute(text("CREATE TABLE t (x INTEGER)"))
            await setup.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as reader, engine.connect() as writer:
            await reader.execute(text("BEGIN"))
            assert (await reader.execute(text("SELECT sum(x) FROM t"))).scalar_one() == 1
            await writer.execute(text("PRAGMA busy_timeout=0"))
            await writer.execute(text("INSERT INTO t VALUES (2)"))
            await writer.commit()
            # The reader's snapshot stands until its transaction ends.
            assert (await reader.execute(text("SELECT sum(x) FROM t"))).scalar_one() == 1
            await reader.rollback()
            assert (await reader.execute(text("SELECT sum(x) FROM t"))).scalar_one() == 3
    finally:
        await engine.dispose()


async def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: what it reads cannot be overwritten before it writes, and it never upgrades a stale
    snapshot (the "database is locked" no busy timeout retries); another writer waits for it instead."""
    engine = make_engine(sqlite_url(tmp_path / "immediate.db"))
    sessions = make_sessions(engine)
    try:
        async with engine.begin() as setup:
            await setup.execute(text("CREATE TABLE t (x INTEGER)"))
        async with write_transaction(sessions) as session, engine.connect() as other:
            assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
            await other.execute(text("PRAGMA busy_timeout=0"))
            with pytest.raises(OperationalError, match="database is locked"):
                await other.execute(text("BEGIN IMMEDIATE"))
            await session.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as reader:
            assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_write_transactions_of_a_process_queue_instead_of_failing(tmp_path: Path) -> None:
    """100 concurrent read-then-write transactions on one file, none refused for the lock, none lost."""
    engine = make_engine(sqlite_url(tmp_path / "queue.db"))
    sessions = make_sessions(engine)
    try:
        async with engine.begin() as setup:
            await setup.execute(text("CREATE TABLE t (x INTEGER)"))

        async def add_next() -> None:
            async with write_transaction(sessions) as session:
                count = (await session.execute(text("SELECT count(*) FROM t"))).scalar_one()
                await session.execute(text("INSERT INTO t VALUES (:x)"), {"x": count + 1})

        await asyncio.gather(*(add_next() for _ in range(100)))
        async with engine.connect() as reader:
            values = (await reader.execute(text("SELECT x FROM t ORDER BY x"))).scalars().all()
        # Each read its count inside its own write: the values are 1..100, no two alike.
        assert list(values) == list(range(1, 101))
    finally:
        await engine.dispose()
