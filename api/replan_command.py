"""`permitpath replan` (re-plan a firm's caseload under a rules date, print the impact report) and `permitpath
worker` (a Dask worker that can run permitpath's solves).

`replan` runs in this process on the backend the settings choose (`api.app.make_runner`: the Dask cluster of
PERMITPATH_DASK_SCHEDULER, else the process pool), prints progress to stderr and the ranked report to stdout.
Interrupted, the run stays RUNNING; `permitpath replan --resume` finishes this host's unfinished runs (only the
households with no result yet are planned again).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import socket
import sys
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.dask_runner import worker_arguments
from api.replan_service import ReplanService
from api.services import ApiServices
from api.settings import Settings
from db.engine import make_engine, make_sessions
from db.migrate import upgrade
from db.models import ReplanResult, ReplanRun
from db.repositories.replans import Replans
from db.repositories.scoped import Actor
from db.repositories.tenants import find_tenant

CLI = Actor("cli")
PROGRESS_SECONDS = 2.0


def configure_replan(parser: argparse.ArgumentParser) -> None:
    """Flags of `permitpath replan`."""
    parser.add_argument("--database-url", help="the database (default: $DATABASE_URL, else ./permitpath.db)")
    parser.add_argument("--tenant", help="the firm's slug (default: $PERMITPATH_TENANT, else demo)")
    parser.add_argument(
        "--rules-as-of", type=dt.date.fromisoformat, help="plan every step with the rules of this date (YYYY-MM-DD)"
    )
    parser.add_argument("--rules-version", help="refuse to run unless the rules loaded are this version")
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, help="the day urgency is judged against (default: today)"
    )
    parser.add_argument(
        "--resume", action="store_true", help="finish the firm's re-plans an interrupted command on this host left"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON lines")


def configure_worker(parser: argparse.ArgumentParser) -> None:
    """Flags of `permitpath worker`."""
    parser.add_argument("--scheduler", required=True, help="the Dask scheduler, e.g. tcp://scheduler:8786")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    parser.add_argument("--name", help="the worker's name on the scheduler")


def run_worker(args: argparse.Namespace) -> int:
    """Replaces this process with `dask worker` (one thread per process, permitpath preloaded), niced below a
    service sharing the machine; it does not return."""
    settings = Settings.from_env()
    if settings.solver_niceness and hasattr(os, "nice"):
        os.nice(settings.solver_niceness)  # inherited by every worker process
    command = [sys.executable, "-m", "distributed.cli.dask_worker"]
    command += worker_arguments(args.scheduler, processes=args.processes, name=args.name)
    os.execv(sys.executable, command)
    return 0  # pragma: no cover (execv does not return)


def run_replan(args: argparse.Namespace) -> int:
    """Run `permitpath replan`."""
    settings = Settings.from_env().with_overrides(database_url=args.database_url, tenant_slug=args.tenant)
    return asyncio.run(_replan(settings, args))


async def _replan(settings: Settings, args: argparse.Namespace) -> int:
    from api.app import make_runner

    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)
    runner = make_runner(settings)
    services = ApiServices()
    try:
        if settings.migrates_on_start:
            await upgrade(engine)
        async with sessions() as session:
            tenant = await find_tenant(session, settings.tenant_slug)
        if tenant is None:
            print(f"permitpath replan: no tenant {settings.tenant_slug!r}", file=sys.stderr)
            return 1
        if runner is not None:
            await runner.start()
            services.solve_runner = runner
        replans = ReplanService(sessions, services, owner=f"cli@{socket.gethostname()}")
        if args.resume:
            run_ids = await replans.resume_unfinished_runs(tenant.id)
        else:
            try:
                run_ids = [await replans.start(tenant.id, CLI, args.rules_as_of, args.rules_version, args.today)]
            except ValueError as error:
                print(f"permitpath replan: --rules-version: {error}", file=sys.stderr)
                return 2
        for run_id in run_ids:
            await _follow(replans, sessions, tenant.id, run_id)
            await _print_report(sessions, tenant.id, run_id, as_json=args.json)
        return 0
    finally:
        if runner is not None:
            await runner.close()
        await engine.dispose()


async def _follow(
    replans: ReplanService, sessions: async_sessionmaker[AsyncSession], tenant_id: int, run_id: int
) -> None:
    """Waits for the run, printing done/total and the rate to stderr every PROGRESS_SECONDS."""
    waiting = asyncio.ensure_future(replans.wait(run_id))
    while not waiting.done():
        await asyncio.wait({waiting}, timeout=PROGRESS_SECONDS)
        async with sessions() as session:
            repo = Replans(session, tenant_id=tenant_id)
            run = await repo.get(ReplanRun, run_id)
            done, failed = await repo.counts(run_id)
        if run is not None:
            print(f"re-plan {run_id}: {done}/{run.total} households ({failed} failed), {run.state}", file=sys.stderr)


async def _print_report(
    sessions: async_sessionmaker[AsyncSession], tenant_id: int, run_id: int, *, as_json: bool
) -> None:
    async with sessions() as session:
        repo = Replans(session, tenant_id=tenant_id)
        run = await repo.get(ReplanRun, run_id)
        results = await repo.results(run_id)
    if run is None:
        return
    if not as_json:
        print(
            f"re-plan {run_id} ({run.state}): rules as of {run.rules_as_of or 'each step'}, version {run.rules_version}"
        )
    for row in results:
        print(json.dumps(_plain(row)) if as_json else _line(row))


def _plain(row: ReplanResult) -> dict[str, Any]:
    return {
        "household": row.household_id,
        "urgency": row.urgency,
        "rules_version_before": row.rules_version_before,
        "rules_version_after": row.rules_version_after,
        "pr_before": row.pr_before.isoformat() if row.pr_before else None,
        "pr_after": row.pr_after.isoformat() if row.pr_after else None,
        "impact": row.impact,
        "error": row.error,
    }


def _line(row: ReplanResult) -> str:
    """One household: urgency, PR date before -> after, permits gained and lost, the earliest deadline moved."""
    impact: dict[str, Any] = row.impact or {}
    parts = [f"{row.urgency:<24} household {row.household_id:>6}  PR {row.pr_before or '-'} -> {row.pr_after or '-'}"]
    gained = [p["code"] for p in impact.get("permits_gained", [])]
    lost = [p["code"] for p in impact.get("permits_lost", [])]
    if gained:
        parts.append("gains " + ",".join(gained))
    if lost:
        parts.append("loses " + ",".join(lost))
    if moved := impact.get("deadlines_moved"):
        first = moved[0]
        parts.append(f"deadline {first['after']['rule_id']} {first['days']:+d} d to {first['after']['date']}")
    if blockers := impact.get("new_blockers"):
        parts.append(f"{len(blockers)} new blocker(s)")
    if row.error:
        parts.append(row.error)
    return "  ".join(parts)
