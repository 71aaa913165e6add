"""Database URLs, without the driver: what the settings need to name a database (SQLAlchemy not imported)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_SQLITE_PATH = Path("permitpath.db")


def sqlite_url(path: Path) -> str:
    """The aiosqlite URL of a database file."""
    return f"sqlite+aiosqlite:///{path}"


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL (any driver)."""
    return url.startswith("sqlite")
