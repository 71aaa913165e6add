"""The solve runner's plan job, in the solver: a worker process imports this and nothing of api, schema or db.

`plan_job` is what `api.plan_service` submits to the solve runner for `plan` and plan jobs alike. It lives
here, not beside the service, because a worker process imports the module of the function it is sent: from
`api.plan_service` that was SQLAlchemy and the GraphQL schema, about 3 s of CPU per worker before its first
plan. `warm_up` is what a worker runs once at spawn (`api.solve_runner.ProcessRunner(warm_up=...)`), so the
first plan it is sent costs what the second one does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from solver import domain
from solver.alternatives import Alternative
from solver.alternatives import alternatives as solve_alternatives
from solver.scenario_json import parse_document
from solver.solve import plan as solve_plan

# What a job function is handed to report a value before its result (an improving plan).
Emit = Callable[[Any], None]

# A small household that reaches every stage of a plan (categories, the CP-SAT stages, blockers, closed
# routes): a student finishing a degree, with a language test and an offer. Fixed dates: as_of is given.
WARM_UP_DOCUMENT: dict[str, Any] = {
    "scenario": {
        "asOf": "2026-12-01",
        "horizonMonths": 36,
        "principal": {
            "birthDate": "2000-03-03",
            "citizenships": ["NG"],
            "passportExpiry": "2035-01-01",
            "inCanada": True,
            "status": {"kind": "STUDENT", "validTo": "2027-02-18"},
            "education": [
                {
                    "credential": "BACHELOR",
                    "institution": "UNIVERSITY",
                    "canadian": True,
                    "pgwpEligibleDli": True,
                    "start": "2022-09-06",
                    "completion": "2026-11-20",
                    "lengthMonths": 50,
                    "studyPermitAppliedOn": "2022-04-11",
                }
            ],
            "languageTests": [
                {
                    "test": "IELTS_GENERAL",
                    "taken": "2026-08-01",
                    "listening": 8,
                    "reading": 8,
                    "writing": 8,
                    "speaking": 8,
                }
            ],
        },
        "offers": [
            {
                "ref": "warm-up",
                "holder": "PRINCIPAL",
                "nocCode": "21231",
                "province": "AB",
                "hoursPerWeek": 40,
                "earliestStart": "2027-01-04",
            }
        ],
    },
    "options": {"timeLimitMs": 2000},
}


@dataclass(frozen=True)
class Solve:
    """What the solve runner's job is given: the question, and whether its improving plans are wanted."""

    scenario: domain.Scenario
    options: domain.PlanOptions
    # A plan job shows each improving plan; `plan` waits for the last one only, so it spares the decoding.
    progress: bool = False
    # Whether the plan's blockers are found (a query that does not select them spares their re-solves).
    blockers: bool = True


def plan_job(solve: Solve, emit: Emit) -> domain.Plan:
    """The solve runner's one job, for `plan` and plan jobs alike: plan one scenario, handing each improving
    plan to `emit` when `solve.progress` asks for them (module level, so a worker process can import it)."""
    on_improvement = emit if solve.progress else None
    return solve_plan(solve.scenario, solve.options, on_improvement=on_improvement, blockers=solve.blockers)


def warm_up() -> float:
    """Plans the warm-up household once and returns how long it took (seconds).

    A process's first plan pays for what Python and CP-SAT load on first use (rule files, the catalog, the
    solver's own set-up): about twice the second. A worker pays it here, before it says it is ready.
    """
    parsed = parse_document(WARM_UP_DOCUMENT)
    if isinstance(parsed, domain.InvalidScenario):  # the document above is the solver's own: a bug here
        raise ValueError(f"the warm-up household is invalid: {parsed}")
    scenario, options = parsed
    started = time.perf_counter()
    solve_plan(scenario, options)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Alternatives:
    """What the solve runner's alternatives job is given: the question and how many strategies are wanted."""

    scenario: domain.Scenario
    options: domain.PlanOptions
    count: int


def alternatives_job(ask: Alternatives, emit: Emit) -> list[Alternative]:
    """The solve runner's job for `alternatives`: up to `count` plans of different strategies (module level,
    so a worker process can import it)."""
    return solve_alternatives(ask.scenario, ask.options, ask.count)
