"""Configuration, read once from the environment (the only module that reads it), overridable by flags."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.urls import DEFAULT_SQLITE_PATH, is_sqlite, sqlite_url

if TYPE_CHECKING:
    from api.limits import Limits

_TRUE = frozenset({"1", "true", "yes", "on"})


class SettingsError(ValueError):
    """The environment holds a value the service cannot use; the message says which and what is allowed."""


def _positive(name: str, raw: str, kind: type[int] | type[float]) -> Any:
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingsError(f"{name} must be a positive number, not {raw!r}")
    return value


def _count(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number of 0 or more, not {raw!r}")
    return int(raw)


# An origin as a browser sends it: scheme, host and an optional port; no path, no wildcard.
_ORIGIN = re.compile(r"https?://(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::[0-9]{1,5})?|https?://\[[0-9a-f:.]+\](?::[0-9]{1,5})?")


def cors_origins(raw: str) -> tuple[str, ...]:
    """The comma-separated origins of PERMITPATH_CORS_ORIGINS, each checked to be one exact origin.

    A wildcard is refused: a key-holding browser app should name where it is served from, and an origin with
    a path or a trailing slash never matches what a browser sends, so it is a mistake to report, not ignore.
    """
    origins = tuple(part.strip() for part in raw.split(",") if part.strip())
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise SettingsError(
                "PERMITPATH_CORS_ORIGINS must list exact origins (scheme://host[:port], lowercase, no path or "
                f"wildcard), separated by commas; {origin!r} is not one"
            )
    return origins


_SCHEDULER = re.compile(r"(tcp|tls|inproc|ucx)://[^\s/]+")


def dask_scheduler(raw: str) -> str:
    """The scheduler address of PERMITPATH_DASK_SCHEDULER, checked to be one (`tcp://host:8786`)."""
    address = raw.strip()
    if not _SCHEDULER.fullmatch(address):
        raise SettingsError(
            f"PERMITPATH_DASK_SCHEDULER must be a Dask scheduler address such as tcp://host:8786, not {raw!r}"
        )
    return address


@dataclass(frozen=True)
class Settings:
    """How the service runs. `database_url` defaults to an embedded SQLite file in the working directory."""

    database_url: str = sqlite_url(DEFAULT_SQLITE_PATH)
    host: str = "127.0.0.1"
    port: int = 8000
    # Development mode: migrate on start, seed the demo households, debug logging.
    dev: bool = False
    # The tenant every request acts for until authentication names one (a development default).
    tenant_slug: str = "demo"
    tenant_name: str = "Demo Immigration Consulting"
    log_level: str = "info"
    # None: migrate the embedded SQLite file (and any database in dev mode) on start; others by `migrate`.
    migrate_on_start: bool | None = None
    # Limits against abuse (docs/integrators.md).
    max_body_bytes: int = 2_000_000
    max_variables_bytes: int = 1_500_000
    solve_time_cap_ms: int = 10_000
    # Per-key token bucket: `rate_capacity` tokens, refilled at `rate_per_second`; a plan costs `plan_cost`.
    rate_capacity: float = 120.0
    rate_per_second: float = 10.0
    plan_cost: float = 10.0
    # Solver worker processes (0: solve in a thread of this process, as embedded uses and tests do) and
    # how many solves may wait for one before plan requests are refused with SOLVER_BUSY.
    solver_workers: int = 0
    solver_queue: int = 4
    # How many solves one firm may hold, running and queued together (None: the queue's length, at
    # least 1), so one firm's burst leaves the others room.
    solver_tenant_share: int | None = None
    # A solver worker is replaced by a fresh process after this many jobs (None: never).
    solver_jobs_per_worker: int | None = 500
    # How much lower the solver workers' scheduling priority is than the service's (0-19, as `nice`).
    solver_niceness: int = 10
    # Names this service process on the plan jobs it runs; the same across its restarts (default: host:port).
    instance: str | None = None
    # `gc.freeze()` once started (api/app.py): `serve` sets it; an app embedded in tests or another program
    # shares its heap with its host and leaves it alone.
    freeze_heap_after_start: bool = False
    # Responses of read queries kept in memory until the tenant's records change (0: no read cache).
    response_cache_entries: int = 4096
    # A directory of the firm's own rule files (TOML, as solver/rules/params) layered over the shipped rules,
    # so newer draws' cut-offs or fees need no release (docs/integrators.md "Rule overrides"); None: none.
    rules_overrides_dir: Path | None = None
    # `permitpath plan` stops its solves on the deterministic budget alone, never on the wall clock
    # (solver.deadline.reproducible): the same plan on any machine however loaded, what a test of the command needs.
    reproducible: bool = False
    # Browser origins allowed to call the API from another origin (CORS), each exactly `scheme://host[:port]`;
    # none by default, so a browser app elsewhere is refused until the deployment names it.
    cors_origins: tuple[str, ...] = ()
    # Whether a browser may send cookies or HTTP authentication along (off: keys travel in Authorization,
    # which a page sets itself, so no ambient credential is ever needed).
    cors_credentials: bool = False
    # How long a browser may reuse a preflight's answer, in seconds (Access-Control-Max-Age).
    cors_max_age: int = 600
    # Responses at least this long are gzipped for clients that accept it (0: never compress).
    gzip_min_bytes: int = 1024
    # The secret the page's sign-in cookies are signed with (api/session.py); None: a random one per process,
    # so sign-ins last until the process restarts and hold on that process only. Set it (32+ characters) when
    # several processes serve one site.
    session_secret: str | None = dataclasses.field(default=None, repr=False)
    # A Dask scheduler (tcp://host:8786): plan jobs and bulk re-plans run on its workers (api/dask_runner.py);
    # None: on the embedded process pool (`solver_workers`).
    dask_scheduler: str | None = None
    # How many interactive solves this service keeps on the cluster before answering SOLVER_BUSY.
    dask_in_flight: int = 32

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `environ` (default: the process environment); unset variables keep the defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if url := env.get("DATABASE_URL"):
            values["database_url"] = url
        if host := env.get("PERMITPATH_HOST"):
            values["host"] = host
        if port := env.get("PERMITPATH_PORT"):
            if not port.isdigit():
                raise SettingsError(f"PERMITPATH_PORT must be a port number (e.g. 8000), not {port!r}")
            values["port"] = int(port)
        if dev := env.get("PERMITPATH_DEV"):
            values["dev"] = dev.lower() in _TRUE
        if tenant := env.get("PERMITPATH_TENANT"):
            values["tenant_slug"] = tenant
        if level := env.get("PERMITPATH_LOG_LEVEL"):
            values["log_level"] = level.lower()
        if migrate := env.get("PERMITPATH_MIGRATE_ON_START"):
            values["migrate_on_start"] = migrate.lower() in _TRUE
        for name in ("max_body_bytes", "max_variables_bytes", "solve_time_cap_ms"):
            if raw := env.get(f"PERMITPATH_{name.upper()}"):
                values[name] = _positive(f"PERMITPATH_{name.upper()}", raw, int)
        # A served process sizes its solver pool from the cores unless told otherwise.
        workers = env.get("PERMITPATH_SOLVER_WORKERS")
        values["solver_workers"] = _count("PERMITPATH_SOLVER_WORKERS", workers) if workers else os.cpu_count() or 1
        if queue := env.get("PERMITPATH_SOLVER_QUEUE"):
            values["solver_queue"] = _count("PERMITPATH_SOLVER_QUEUE", queue)
        else:
            values["solver_queue"] = 2 * values["solver_workers"]
        if share := env.get("PERMITPATH_SOLVER_TENANT_SHARE"):
            values["solver_tenant_share"] = _positive("PERMITPATH_SOLVER_TENANT_SHARE", share, int)
        if per_worker := env.get("PERMITPATH_SOLVER_JOBS_PER_WORKER"):
            count = _count("PERMITPATH_SOLVER_JOBS_PER_WORKER", per_worker)
            values["solver_jobs_per_worker"] = count or None
        if instance := env.get("PERMITPATH_INSTANCE"):
            values["instance"] = instance[:200]
        if niceness := env.get("PERMITPATH_SOLVER_NICENESS"):
            values["solver_niceness"] = min(_count("PERMITPATH_SOLVER_NICENESS", niceness), 19)
        if entries := env.get("PERMITPATH_RESPONSE_CACHE_ENTRIES"):
            values["response_cache_entries"] = _count("PERMITPATH_RESPONSE_CACHE_ENTRIES", entries)
        for name in ("rate_capacity", "rate_per_second", "plan_cost"):
            if raw := env.get(f"PERMITPATH_{name.upper()}"):
                values[name] = _positive(f"PERMITPATH_{name.upper()}", raw, float)
        if overrides := env.get("PERMITPATH_RULES_OVERRIDES_DIR"):
            if not Path(overrides).is_dir():
                raise SettingsError(
                    f"PERMITPATH_RULES_OVERRIDES_DIR must name a directory of rule files, not {overrides!r}"
                )
            values["rules_overrides_dir"] = Path(overrides)
        if reproducible := env.get("PERMITPATH_REPRODUCIBLE"):
            values["reproducible"] = reproducible.lower() in _TRUE
        if origins := env.get("PERMITPATH_CORS_ORIGINS"):
            values["cors_origins"] = cors_origins(origins)
        if credentials := env.get("PERMITPATH_CORS_CREDENTIALS"):
            values["cors_credentials"] = credentials.lower() in _TRUE
        if max_age := env.get("PERMITPATH_CORS_MAX_AGE"):
            values["cors_max_age"] = _count("PERMITPATH_CORS_MAX_AGE", max_age)
        if gzip_min := env.get("PERMITPATH_GZIP_MIN_BYTES"):
            values["gzip_min_bytes"] = _count("PERMITPATH_GZIP_MIN_BYTES", gzip_min)
        if secret := env.get("PERMITPATH_SESSION_SECRET"):
            if len(secret) < 32:
                raise SettingsError(
                    "PERMITPATH_SESSION_SECRET must be at least 32 characters (e.g. 64 random hex digits)"
                )
            values["session_secret"] = secret
        if scheduler := env.get("PERMITPATH_DASK_SCHEDULER"):
            values["dask_scheduler"] = dask_scheduler(scheduler)
        if in_flight := env.get("PERMITPATH_DASK_IN_FLIGHT"):
            values["dask_in_flight"] = _positive("PERMITPATH_DASK_IN_FLIGHT", in_flight, int)
        return cls(**values)

    @property
    def limits(self) -> Limits:
        """The request limits of the GraphQL endpoint."""
        from api.limits import Limits  # GraphQL's own modules: not for the command line's sake

        return Limits(
            max_body_bytes=self.max_body_bytes,
            max_variables_bytes=self.max_variables_bytes,
            solve_time_cap_ms=self.solve_time_cap_ms,
        )

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given fields replaced; None values (flags not passed) keep the current ones."""
        return dataclasses.replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def instance_name(self) -> str:
        """`instance`, or this host and port: what the plan jobs this process runs are marked with."""
        return self.instance or f"{socket.gethostname()}:{self.port}"

    @property
    def migrates_on_start(self) -> bool:
        """Whether the service runs the migrations when it starts."""
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.dev or is_sqlite(self.database_url)
