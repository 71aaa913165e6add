"""The `permitpath` command: serve, migrate, export-schema (and the subcommands other parts register).

Each subcommand is a `Subcommand` in SUBCOMMANDS: a name, a help line, a function that adds its flags and
one that runs it and returns the exit status. Adding a subcommand is one entry in that list.

The command starts at once: this module imports only the standard library, a subcommand's module is
imported when that subcommand runs (`lazy`), and only the subcommand named on the command line has its
flags added. `permitpath --help` imports neither the solver, SQLAlchemy nor the GraphQL schema.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.settings import Settings


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def lazy(module: str, name: str) -> Callable[[Any], Any]:
    """`module.name`, imported when first called: a subcommand's code costs nothing until it runs."""

    def call(arg: Any) -> Any:
        return getattr(importlib.import_module(module), name)(arg)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when called."
    return call


def _database_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url",
        help="sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST:PORT/DB (default: $DATABASE_URL, else"
        " ./permitpath.db)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    from api.settings import Settings

    return Settings.from_env().with_overrides(
        database_url=args.database_url,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        dev=getattr(args, "dev", None) or None,
    )


# --- serve --------------------------------------------------------------------------------------


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    _database_flag(parser)
    parser.add_argument(
        "--dev", action="store_true", help="migrate on start, add the demo households, debug logs of permitpath"
    )


def serve(args: argparse.Namespace) -> int:
    """Serve GraphQL at /graphql with /healthz and /readyz."""
    import uvicorn

    from api.app import create_app

    settings = _settings(args)
    from api.observability import configure_logging

    # Every line carries the request id; JSON lines in production, plain text for a developer's terminal.
    configure_logging(settings.log_level.upper(), json_lines=not settings.dev)
    if settings.dev:
        # Our own debug lines only: the drivers' are a flood.
        logging.getLogger("permitpath").setLevel(logging.DEBUG)
    print(f"permitpath: GraphQL on http://{settings.host}:{settings.port}/graphql", file=sys.stderr)
    # The served process owns its heap: what startup made is frozen out of the collector's sight.
    app = create_app(settings.with_overrides(freeze_heap_after_start=True))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)
    return 0


# --- migrate ------------------------------------------------------------------------------------


def migrate(args: argparse.Namespace) -> int:
    """Bring the database to the latest schema version."""
    import asyncio

    return asyncio.run(_migrate(_settings(args).database_url))


async def _migrate(url: str) -> int:
    from db.engine import make_engine
    from db.migrate import current, upgrade

    engine = make_engine(url)
    try:
        await upgrade(engine)
        revision = await current(engine)
    except (OSError, ConnectionError) as error:
        print(f"permitpath migrate: cannot reach the database ({error}); check --database-url", file=sys.stderr)
        return 1
    except Exception as error:  # driver errors (asyncpg, sqlite) end here: say what failed, not a traceback
        print(f"permitpath migrate: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(f"database at revision {revision}")
    return 0


# --- export-schema ------------------------------------------------------------------------------


def export_schema(_args: argparse.Namespace) -> int:
    """Print the served schema as SDL."""
    from schema.root import sdl

    sys.stdout.write(sdl())
    return 0


SUBCOMMANDS: list[Subcommand] = [
    Subcommand("serve", "serve GraphQL at /graphql, /healthz and /readyz", _configure_serve, serve),
    Subcommand("migrate", "bring a database to the latest schema version", _database_flag, migrate),
    Subcommand("export-schema", "print the served schema as SDL", lambda _parser: None, export_schema),
    Subcommand(
        "plan",
        "plan a scenario file: a timeline, or the Plan JSON",
        lazy("api.plan_command", "configure"),
        lazy("api.plan_command", "run"),
    ),
    Subcommand(
        "keys",
        "create, list or revoke a tenant's API keys",
        lazy("api.admin_command", "configure_keys"),
        lazy("api.admin_command", "run_keys"),
    ),
    Subcommand(
        "documents",
        "register, list or revoke a tenant's trusted documents",
        lazy("api.admin_command", "configure_documents"),
        lazy("api.admin_command", "run_documents"),
    ),
    Subcommand(
        "replan",
        "re-plan every household of a firm under a rules date and print the impact report",
        lazy("api.replan_command", "configure_replan"),
        lazy("api.replan_command", "run_replan"),
    ),
    Subcommand(
        "worker",
        "run a Dask worker for permitpath's solves (niced, one thread per process)",
        lazy("api.replan_command", "configure_worker"),
        lazy("api.replan_command", "run_worker"),
    ),
]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand; given `argv`, only the subcommand it names has
    its flags added (the others are listed by name and help line), so their modules are not imported."""
    named = None if argv is None else next((arg for arg in argv if not arg.startswith("-")), "")
    parser = argparse.ArgumentParser(prog="permitpath", description="Plans Canadian work permits to PR.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for sub in SUBCOMMANDS:
        sub_parser = commands.add_parser(sub.name, help=sub.help, description=sub.help)
        if named is None or named == sub.name:
            sub.configure(sub_parser)
        sub_parser.set_defaults(run=sub.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `permitpath` script; returns the exit status."""
    args = build_parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    from api.settings import SettingsError

    try:
        status: int = args.run(args)
    except SettingsError as error:
        print(f"permitpath: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`permitpath plan FILE | head`): stop quietly, as a shell tool does. Python
        # would flush stdout again at exit and fail once more, so it is pointed at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE
    return status


if __name__ == "__main__":
    raise SystemExit(main())
