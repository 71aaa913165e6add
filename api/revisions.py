"""Each tenant's revision as this process last read it, trusted only while nothing could have moved it.

A request's key check reads the tenant's revision with the key row (`api/auth.py`), which is one query per
request even for `{ __typename }`. The revision moves in the transaction of every audited change
(`db.repositories.scoped`), in this process or another, so a remembered revision may be used only while the
database says nothing that could move it was committed since it was read. Each entry carries the *stamp*
taken before it was read, and is served only while the watch says its tenant is unmoved since that stamp:

- SQLite: the stamp is the file's `PRAGMA data_version`, read from a connection of its own (it never writes,
  so every commit of any other connection, this process's included, moves it), with the file's identity (a
  file deleted or replaced is another database). Reading both costs a few microseconds and no thread hop,
  so they are read on every request: a revocation from another process is seen by the next request.
- PostgreSQL: each bump of a revision is announced (`NOTIFY permitpath_revision`, payload the tenant's id, in
  the bump's transaction), which a connection of its own LISTENs to, and noted on the bump's connection. The
  stamp is a count of *moves*, each of one tenant or of every tenant: an entry stands while neither its
  tenant nor every tenant moved after its stamp. An announcement moves its tenant. A commit of this
  process's engines moves the tenants noted on its connection when the connection returns to the pool, so
  before the writer answers its client, whatever the announcement's delay. A commit that noted none (what
  it changed went through no bump: it is not known whose revision it may have moved), an announcement whose
  payload names no tenant and every reconnect move every tenant; a transaction that says it bumps none
  (`db.repositories.scoped.bumps_no_revision`: the plan jobs' heartbeat) moves none. So one firm's change
  leaves the other firms' entries served, and a revocation is refused at once by this process and by the
  others as soon as its announcement arrives. While that connection is down there is no stamp, and every
  request reads the database as before.

No stamp (an in-memory database, a file not yet there, a busy file, the listener down): nothing is
remembered, nothing is served from memory. A stamp read before a query and checked again when its answer is
remembered means an answer that raced a commit is never kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.repositories.scoped import BUMPED_TENANTS, REVISION_CHANNEL

log = logging.getLogger("permitpath.revisions")

# How long the PostgreSQL listener waits before connecting again after losing its connection.
RECONNECT_S = 1.0
# On a pooled connection whose transactions committed, until it is checked in (their commits then complete):
# for each, the tenants whose revision it bumped, or None (every tenant).
_COMMITTED = "permitpath_committed"
Stamp = Hashable


class Watch(Protocol):
    """What tells whether anything that could move a tenant's revision was committed since a stamp was taken."""

    def stamp(self) -> Stamp | None: ...
    def unmoved(self, tenant_id: int, stamp: Stamp) -> bool: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...


@dataclass(frozen=True)
class _Entry:
    stamp: Stamp
    revision: int


class Revisions:
    """The tenants' revisions this process read, each served while its tenant is unmoved since it was read."""

    def __init__(self, watch: Watch | None) -> None:
        self._watch = watch
        self._entries: dict[int, _Entry] = {}

    def stamp(self) -> Stamp | None:
        """The current stamp, taken before a read whose answer is to be remembered; None: remember nothing."""
        return None if self._watch is None else self._watch.stamp()

    def revision(self, tenant_id: int) -> int | None:
        """The tenant's revision when it is known to be current, else None (read it from the database)."""
        entry = self._entries.get(tenant_id)
        if entry is None:
            return None
        if self._watch is None or not self._watch.unmoved(tenant_id, entry.stamp):
            del self._entries[tenant_id]
            return None
        return entry.revision

    def remember(self, tenant_id: int, revision: int, stamp: Stamp | None) -> None:
        """Keeps `revision`, read after `stamp` was taken, when nothing that could move it was committed since."""
        if stamp is not None and self._watch is not None and self._watch.unmoved(tenant_id, stamp):
            self._entries[tenant_id] = _Entry(stamp, revision)

    async def start(self) -> None:
        if self._watch is not None:
            await self._watch.start()

    async def close(self) -> None:
        self._entries.clear()
        if self._watch is not None:
            await self._watch.close()


def watch_for(url: str, *engines: AsyncEngine) -> Watch | None:
    """The watch for the database at `url` (`engines`: this process's, whose commits move the stamp on
    PostgreSQL); None when there is none (an in-memory SQLite database, another kind of database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        return None if not path or path == ":memory:" else SqliteWatch(path)
    if parsed.get_backend_name() == "postgresql":
        return PostgresWatch(parsed, engines)
    return None


class SqliteWatch:
    """The stamp is the file's data_version, read on a connection of this watch's own (see the module)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        # The file the connection opened (device, inode): a file deleted or replaced is another database.
        self._file: tuple[int, int] | None = None

    def stamp(self) -> Stamp | None:
        try:
            file = _identity(self._path)
            if self._connection is None or file != self._file:
                self._drop()
                self._connection, self._file = self._connect(), file
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except (OSError, sqlite3.Error):  # no file (yet), or locked: no stamp, the request reads the database
            self._drop()
            return None
        return (file, int(row[0]))

    def unmoved(self, _tenant_id: int, stamp: Stamp) -> bool:
        """Nothing was committed to the file since `stamp` (its data_version counts every tenant's commits)."""
        return stamp == self.stamp()

    def _connect(self) -> sqlite3.Connection:
        # mode=rw: never creates the file; autocommit and no busy wait, so a read never holds the event loop.
        connection = sqlite3.connect(
            f"file:{self._path}?mode=rw", uri=True, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA busy_timeout=0")
        return connection

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = self._file = None

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._drop()


def _identity(path: str) -> tuple[int, int]:
    """The file at `path` (device and inode); OSError when there is none."""
    status = os.stat(path)
    return (status.st_dev, status.st_ino)


class PostgresWatch:
    """The stamp counts the moves: a NOTIFY of a revision, a commit of this process, a reconnect (see the module)."""

    def __init__(self, url: URL, engines: tuple[AsyncEngine, ...]) -> None:
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._engines = engines
        self._moves = 0
        # The count of moves at the last move of every tenant, and at each tenant's own last move since.
        self._everyone_moved = 0
        self._tenant_moved: dict[int, int] = {}
        self._connection: Any = None  # asyncpg.Connection while listening
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    def stamp(self) -> Stamp | None:
        return None if self._connection is None else self._moves

    def unmoved(self, tenant_id: int, stamp: Stamp) -> bool:
        """Listening, and neither the tenant nor every tenant moved since `stamp` was taken."""
        last = max(self._everyone_moved, self._tenant_moved.get(tenant_id, 0))
        return self._connection is not None and isinstance(stamp, int) and last <= stamp

    def _move(self, tenants: Iterable[int] | None = None) -> None:
        """The revisions of `tenants` may have moved (None: of every tenant)."""
        self._moves += 1
        if tenants is None:
            self._everyone_moved = self._moves
            self._tenant_moved.clear()  # each tenant's last move is now this one
            return
        for tenant_id in tenants:
            self._tenant_moved[tenant_id] = self._moves

    def _announced(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        """A NOTIFY of a revision bump: its tenant moved (every tenant, when the payload names none)."""
        self._move(_tenant_of(payload))

    def _committed(self, connection: Any) -> None:
        """A transaction of this process is committing: the tenants whose revision it bumped (every tenant, when
        it noted none) move once its connection is back."""
        bumped = connection.info.pop(BUMPED_TENANTS, None)
        connection.info.setdefault(_COMMITTED, []).append(bumped)

    def _rolled_back(self, connection: Any) -> None:
        """A transaction of this process rolled back: its bumps moved nothing."""
        connection.info.pop(BUMPED_TENANTS, None)

    def _checked_in(self, _dbapi_connection: Any, record: Any) -> None:
        """A connection returned to the pool: what it committed is complete and visible now."""
        for tenants in record.info.pop(_COMMITTED, ()):
            self._move(tenants)

    async def start(self) -> None:
        for engine in self._engines:
            event.listen(engine.sync_engine, "commit", self._committed)
            event.listen(engine.sync_engine, "rollback", self._rolled_back)
            event.listen(engine.sync_engine.pool, "checkin", self._checked_in)
        self._task = asyncio.create_task(self._listen(), name="permitpath-revision-listener")

    async def close(self) -> None:
        for engine in self._engines:
            with contextlib.suppress(Exception):
                event.remove(engine.sync_engine, "commit", self._committed)
                event.remove(engine.sync_engine, "rollback", self._rolled_back)
                event.remove(engine.sync_engine.pool, "checkin", self._checked_in)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._disconnect()

    async def _listen(self) -> None:
        """Keeps a LISTEN connection open, connecting again `RECONNECT_S` after each loss."""
        import asyncpg  # the PostgreSQL driver, imported only where PostgreSQL is used

        while True:
            try:
                connection = await asyncpg.connect(self._dsn)
                await connection.add_listener(REVISION_CHANNEL, self._announced)
                connection.add_termination_listener(lambda _connection: self._lost.set())
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("cannot listen for revisions (every request reads them meanwhile): %s", error)
                await asyncio.sleep(RECONNECT_S)
                continue
            self._lost.clear()
            self._move()  # whatever was announced while no connection listened
            self._connection = connection
            await self._lost.wait()
            log.warning("the revision listener lost its connection; every request reads revisions meanwhile")
            await self._disconnect()
            await asyncio.sleep(RECONNECT_S)

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._move()
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)


def _tenant_of(payload: str) -> list[int] | None:
    """The tenant a NOTIFY's payload names, or None when it names none (then every tenant moved)."""
    try:
        return [int(payload)]
    except ValueError:
        return None
