"""Which database errors are faults of the moment (the database is down, refuses the login, is locked or
full) rather than bugs: a request that meets one is answered 503 with Retry-After, and the caller retries.

The drivers raise them in many shapes (SQLAlchemy's wrappers, asyncpg's SQLSTATE classes, sqlite3's
messages, plain OSError from a socket or a file), so this walks an exception's causes and names the first
fault it recognises. Anything else is left to be treated as a bug.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy import exc

DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
STORAGE_FULL = "STORAGE_FULL"

# PostgreSQL SQLSTATEs of a server that cannot serve now: connection exceptions (08), too many connections,
# the server shutting down or starting, a login refused (NOLOGIN, wrong password) or a database that is gone.
_UNAVAILABLE_STATES = frozenset({"53300", "57P01", "57P02", "57P03", "28000", "28P01", "3D000"})
_FULL_STATES = frozenset({"53100"})  # disk_full
# sqlite3's messages for a file it cannot use right now; its other OperationalErrors (a syntax error, no
# such table) are bugs or a missing migration, not something a retry fixes.
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
    "attempt to write a readonly database",
    "readonly database",
)
_SQLITE_FULL = ("database or disk is full",)


def fault_code(error: BaseException | None) -> str | None:
    """DATABASE_UNAVAILABLE or STORAGE_FULL when `error` (or one of its causes) is such a fault, else None."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        code = _own_code(error)
        if code is not None:
            return code
        orig = getattr(error, "orig", None)
        error = orig if isinstance(orig, BaseException) else (error.__cause__ or error.__context__)
    return None


def _own_code(error: BaseException) -> str | None:
    if isinstance(error, sqlite3.Error):
        message = str(error).lower()
        if any(text in message for text in _SQLITE_FULL):
            return STORAGE_FULL
        return DATABASE_UNAVAILABLE if any(text in message for text in _SQLITE_UNAVAILABLE) else None
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        if state in _FULL_STATES:
            return STORAGE_FULL
        if state.startswith("08") or state in _UNAVAILABLE_STATES:
            return DATABASE_UNAVAILABLE
    if isinstance(error, OSError):  # ConnectionRefusedError, TimeoutError, a host that does not resolve, ENOSPC
        return STORAGE_FULL if error.errno == errno.ENOSPC else DATABASE_UNAVAILABLE
    if isinstance(error, exc.DisconnectionError | exc.TimeoutError):  # the pool lost a connection or had none
        return DATABASE_UNAVAILABLE
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return DATABASE_UNAVAILABLE
    if isinstance(error, exc.OperationalError | exc.InterfaceError) and not isinstance(error.orig, sqlite3.Error):
        return DATABASE_UNAVAILABLE  # PostgreSQL's driver files a lost or refused connection under these
    return None
