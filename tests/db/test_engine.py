"""The engine's SQLite settings: what the embedded default needs to serve readers and writers together."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from db.engine import make_engine, sqlite_url


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
