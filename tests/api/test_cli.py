"""`permitpath serve | migrate | export-schema` as the contract's README describes them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.cli import SUBCOMMANDS, build_parser, main
from db.migrate import head
from schema.root import sdl
from tests.api.conftest import free_port

PERMITPATH = Path(sys.executable).with_name("permitpath")


def test_export_schema_prints_the_served_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-schema"]) == 0
    assert capsys.readouterr().out == sdl()


def test_migrate_brings_a_new_sqlite_file_to_the_latest_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    assert main(["migrate", "--database-url", url]) == 0
    assert main(["migrate", "--database-url", url]) == 0  # again: nothing to do
    assert capsys.readouterr().out == f"database at revision {head()}\n" * 2


def test_migrate_says_when_the_database_is_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--database-url", "postgresql+asyncpg://postgres@127.0.0.1:1/permitpath"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("permitpath migrate: cannot reach the database (")
    assert err.endswith("; check --database-url\n")


def test_subcommands_and_serve_flags() -> None:
    assert [sub.name for sub in SUBCOMMANDS][:3] == ["serve", "migrate", "export-schema"]
    args = build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9001", "--database-url", "sqlite+aiosqlite:///x.db", "--dev"]
    )
    assert (args.command, args.host, args.port, args.database_url, args.dev) == (
        "serve",
        "0.0.0.0",
        9001,
        "sqlite+aiosqlite:///x.db",
        True,
    )


# What the command line must not pay for before it plans or serves: OR-Tools, the database layer, GraphQL.
HEAVY = frozenset({"ortools", "pandas", "sqlalchemy", "strawberry", "graphql", "starlette"})
WHAT_HELP_IMPORTS = """
import contextlib, io, json, sys
from api.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _imported_for(*argv: str) -> set[str]:
    """The top-level packages a fresh `permitpath ARGV` process has imported when it is done."""
    done = subprocess.run(
        [sys.executable, "-c", WHAT_HELP_IMPORTS, *argv],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(__file__).parents[2])},
    )
    return set(json.loads(done.stdout))


def test_help_imports_neither_the_solver_nor_the_database_nor_the_schema() -> None:
    assert not _imported_for("--help") & (HEAVY | {"solver", "db", "schema"})
    # A subcommand's help imports its module; the plan command's needs neither OR-Tools nor the database.
    assert not _imported_for("plan", "--help") & HEAVY


def test_serve_dev_answers_with_the_demo_households(tmp_path: Path) -> None:
    """What `make run` does, on a fresh directory: the SQLite file is created, migrated and seeded."""
    port = free_port()
    process = subprocess.Popen(
        [str(PERMITPATH), "serve", "--dev", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # a safety net: a loaded machine starts it slowly
        while True:
            try:
                # Ready once the database is migrated and the solver workers are warm (503 until then).
                if (ready := httpx.get(f"{base}/readyz")).status_code == 200:
                    break
                assert ready.json()["status"] == "unavailable"
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        assert ready.json() == {"status": "ready", "database": "ok"}
        response = httpx.post(f"{base}/graphql", json={"query": "{ households { edges { node { name } } } }"})
        names = [edge["node"]["name"] for edge in response.json()["data"]["households"]["edges"]]
        assert names == ["Sharma", "Okafor", "Dubois", "Nguyen"]
        assert (tmp_path / "permitpath.db").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0].decode()
    assert "demo tenant 'demo': 4 demo households added" in output
