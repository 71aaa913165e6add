"""`permitpath replan` on the embedded process pool (one worker) and `permitpath worker`'s command line."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import random
import socket
from pathlib import Path

import pytest

from api.cli import main
from api.dask_runner import worker_arguments
from db.engine import make_engine, make_sessions, sqlite_url
from db.migrate import upgrade
from db.models import Household, ReplanRun, StoredPlan
from db.plan_json import stored_plan_values
from db.repositories.replans import Replans
from db.repositories.scoped import TenantScoped
from db.repositories.tenants import ensure_tenant, find_tenant
from loadtests.generate import scenario as generated_scenario
from solver import domain
from solver.fingerprint import plan_key
from solver.impact import impact
from solver.rules.registry import load_rules
from solver.solve import plan as solve_plan

OPTIONS = domain.PlanOptions(time_limit_ms=5000)
RULES_AS_OF = dt.date(2025, 1, 21)
TODAY = dt.date(2026, 12, 1)


async def _caseload(url: str, scenarios: list[domain.Scenario]) -> list[domain.Plan]:
    engine = make_engine(url)
    await upgrade(engine)
    plans = [solve_plan(s, OPTIONS) for s in scenarios]
    async with make_sessions(engine)() as session, session.begin():
        tenant_id = (await ensure_tenant(session, slug="replan-cli", name="Replan CLI firm")).id
        repo = TenantScoped(session, tenant_id=tenant_id)
        for index, (found, plan) in enumerate(zip(scenarios, plans, strict=True)):
            household = await repo.add(Household, {"name": f"household {index}"})
            key = plan_key(found, OPTIONS, plan.rules_version)
            await repo.add(StoredPlan, stored_plan_values(found, OPTIONS, plan, key, household.id))
    await engine.dispose()
    return plans


def test_replan_prints_each_households_report_most_urgent_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = sqlite_url(tmp_path / "replan.db")
    rng = random.Random(7)
    scenarios = [generated_scenario(rng, horizon_months=24, offers=0) for _ in range(3)]
    stored = asyncio.run(_caseload(url, scenarios))
    monkeypatch.setenv("PERMITPATH_SOLVER_WORKERS", "1")
    arguments = ["replan", "--database-url", url, "--tenant", "replan-cli", "--today", TODAY.isoformat()]
    status = main([*arguments, "--rules-as-of", RULES_AS_OF.isoformat(), "--json"])
    out = capsys.readouterr()
    assert status == 0, out.err
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert sorted(line["household"] for line in lines) == [1, 2, 3]
    alone = dataclasses.replace(OPTIONS, rules_as_of=RULES_AS_OF)
    expected = {i + 1: impact(stored[i], solve_plan(s, alone), TODAY).urgency.value for i, s in enumerate(scenarios)}
    assert {line["household"]: line["urgency"] for line in lines} == expected
    assert all(line["error"] is None for line in lines)
    assert "3/3 households" in out.err

    refused = main([*arguments, "--rules-version", "1999-01-01+000000000000"])
    assert refused == 2
    assert "--rules-version: this service plans with rules version" in capsys.readouterr().err

    # A command interrupted mid-run left it RUNNING with one household recorded: --resume plans the other two.
    asyncio.run(_interrupted_run(url))
    assert main([*arguments, "--resume", "--json"]) == 0
    resumed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(line["household"] for line in resumed) == [1, 2, 3]
    assert {line["household"]: line["urgency"] for line in resumed} == {**expected, 1: "UNCHANGED"}


async def _interrupted_run(url: str) -> None:
    engine = make_engine(url)
    async with make_sessions(engine)() as session, session.begin():
        tenant = await find_tenant(session, "replan-cli")
        assert tenant is not None
        repo = Replans(session, tenant_id=tenant.id)
        values = {
            "state": "RUNNING",
            "rules_as_of": RULES_AS_OF,
            "rules_version": load_rules().version,
            "today": TODAY,
            "households": [[1, 1], [2, 2], [3, 3]],
            "total": 3,
            "owner": f"cli@{socket.gethostname()}",
        }
        run = await repo.add(ReplanRun, values)
        recorded = {"rules_version_before": "b", "rules_version_after": "a", "urgency": "UNCHANGED", "rank_level": 3}
        await repo.record(run.id, 1, recorded)
    await engine.dispose()


def test_worker_runs_dask_worker_with_permitpath_preloaded_one_thread_per_process() -> None:
    assert worker_arguments("tcp://scheduler:8786", processes=4, name="w1") == [
        "tcp://scheduler:8786",
        "--nworkers",
        "4",
        "--nthreads",
        "1",
        "--preload",
        "api.dask_runner",
        "--name",
        "w1",
    ]
