"""The process-wide services the api layer hands to resolvers, typed by what the schema needs of them.

The schema declares the Protocols; `api/app.py` fills a `Services` (the api's own subclass, `api.services`,
adds what only the api reads: the solve runner and the metrics). Its fields are filled by the lifespan, some
late, so the container is mutable. Outside the service (`schema.execute` in tests and tools) it is empty:
there is no plan backend, and a plan is solved in a worker thread (`plan`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from db import models
from db.repositories.jobs import PlanJobs
from db.repositories.scoped import Actor
from solver import domain
from solver.alternatives import Alternative
from solver.alternatives import alternatives as solve_alternatives
from solver.phrases import Phrase
from solver.solve import plan as solve_plan


class PlanBackend(Protocol):
    """What the schema needs of the service's planning (implemented by `api.plan_service.PlanService`)."""

    async def plan(
        self, tenant_id: int, scenario: domain.Scenario, options: domain.PlanOptions, blockers: bool = True
    ) -> domain.Plan: ...

    async def alternatives(
        self, tenant_id: int, scenario: domain.Scenario, options: domain.PlanOptions, count: int
    ) -> list[Alternative]: ...

    async def start(
        self,
        tenant_id: int,
        actor: Actor,
        scenario: domain.Scenario,
        options: domain.PlanOptions,
        household_id: int | None = None,
    ) -> int: ...

    async def cancel(self, tenant_id: int, actor: Actor, job_id: int) -> models.PlanJob | None: ...

    def changes(self, tenant_id: int, job_id: int) -> AsyncIterator[None]: ...


class JobStopper(Protocol):
    """What a household's deletion needs of the service's plan backend (`api.plan_service.PlanService`)."""

    async def cancel_household_jobs(self, jobs: PlanJobs, household_id: int) -> list[int]: ...

    def stop(self, job_ids: list[int]) -> None: ...


class TimelineDrawer(Protocol):
    """Draws a plan's timeline as SVG (implemented by `api.present.timeline.timeline_svg`; the schema cannot
    import the api, so the service hands it over)."""

    def __call__(self, plan: domain.Plan, scenario: domain.Scenario, *, lang: str | None, today: dt.date) -> str: ...


class Sayer(Protocol):
    """Words a solver sentence in a reader's language from its phrase (implemented by
    `api.present.sentences.say`); English, or a sentence without a phrase, is the solver's own text."""

    def __call__(self, phrase: Phrase | None, english: str, lang: str | None) -> str: ...


class Plans(PlanBackend, JobStopper, Protocol):
    """The service's plan backend: planning, plan jobs, and stopping a deleted household's jobs."""


class CaseloadReplans(Protocol):
    """What the schema needs of the service's caseload re-plans (`api.replan_service.ReplanService`)."""

    async def start(
        self,
        tenant_id: int,
        actor: Actor,
        rules_as_of: dt.date | None,
        rules_version: str | None = None,
        today: dt.date | None = None,
    ) -> int: ...

    async def cancel(self, tenant_id: int, actor: Actor, run_id: int) -> models.ReplanRun | None: ...

    def changes(self, tenant_id: int, run_id: int) -> AsyncIterator[None]: ...


@dataclass
class Services:
    """What the schema's resolvers may use of the running service; every field is absent outside it."""

    # The plan cache and plan jobs (`api.plan_service.PlanService`).
    plans: Plans | None = None
    # Caseload re-plans after a rule change (`api.replan_service.ReplanService`).
    replans: CaseloadReplans | None = None
    # The service's bound on a solve's time limit, applied to the default limit too.
    solve_time_cap_ms: int | None = None
    # Wakes this process's open sockets to re-check their keys (a key was revoked).
    keys_changed: Callable[[], None] | None = None
    # Draws `Plan.timelineSvg` (`api.present.timeline.timeline_svg`).
    timeline: TimelineDrawer | None = None
    # Words the plan's sentences in the reader's language (the `lang` argument of Finding.message and the like).
    say: Sayer | None = None


def services_of(context: Any) -> Services:
    """The context's services; empty when the schema runs without a service's context (`schema.execute`)."""
    found = getattr(context, "services", None)
    return found if isinstance(found, Services) else Services()


def capped(options: domain.PlanOptions, services: Services) -> domain.PlanOptions:
    """`options` with the service's solve time cap applied (to the default limit too)."""
    cap = services.solve_time_cap_ms
    if cap is not None and options.time_limit_ms > cap:
        return dataclasses.replace(options, time_limit_ms=cap)
    return options


async def plan(
    services: Services,
    tenant_id: int | None,
    scenario: domain.Scenario,
    options: domain.PlanOptions,
    *,
    blockers: bool = True,
) -> domain.Plan:
    """The plan for the question: through the service's plan backend (its cache, its solve runner), or, outside
    the service, solved in a worker thread (never on the event loop). `blockers=False` spares finding the
    plan's blockers (a query that does not select them)."""
    if services.plans is not None and tenant_id is not None:
        return await services.plans.plan(tenant_id, scenario, options, blockers=blockers)
    return await asyncio.to_thread(functools.partial(solve_plan, blockers=blockers), scenario, options)


async def alternatives(
    services: Services, tenant_id: int | None, scenario: domain.Scenario, options: domain.PlanOptions, count: int
) -> list[Alternative]:
    """Up to `count` plans of different strategies: through the service's plan backend (its solve runner), or,
    outside the service, solved in a worker thread (never on the event loop)."""
    if services.plans is not None and tenant_id is not None:
        return await services.plans.alternatives(tenant_id, scenario, options, count)
    return await asyncio.to_thread(solve_alternatives, scenario, options, count)
