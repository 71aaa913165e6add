"""Plan jobs: `startPlan` returns a job id at once; `planJob`, `cancelPlanJob`, and `planJobUpdates` (a
subscription over graphql-transport-ws) follow it while it is QUEUED, RUNNING (with the best plan so far),
then DONE, FAILED or CANCELLED.

Jobs are rows of the tenant (`plan_jobs`), so another firm's job ids find nothing, and a job outlives the
request that started it; the service's plan backend runs them (`api/plan_service.py`). A full solver queue
answers SOLVER_BUSY (no job is written).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Annotated, Any, Self, TypeVar, cast

import strawberry
from sqlalchemy.exc import SQLAlchemyError
from strawberry import relay
from strawberry.scalars import JSON

from db import models
from db.plan_json import from_plain
from db.repositories.jobs import PlanJobs
from schema.auth import require
from schema.errors import FieldError, InvalidInput, NotFound, PublicError
from schema.ids import decode
from schema.mutations import mutation
from schema.planning import InvalidScenario, Plan, PlanOptionsInput, ScenarioInput, question
from schema.processing import with_firm_processing
from schema.queries import described
from schema.services import capped
from schema.stored_plans import (
    LINK_INSTEAD,
    StoredPlan,
    backend,
    global_id,
    household_scenario,
    not_found,
    plan_options,
    utc,
)
from schema.types import Household, Info, load_nodes
from solver import domain

# Root fields of this module that start solves (the endpoint charges them the plan cost), and those that only
# read a job (named `plan...` by the issue, but as cheap as any read).
F = TypeVar("F", bound=Callable[..., Any])
SOLVING_FIELDS = frozenset({"startPlan"})
# What reading a job's row meets while the database is away for a moment.
DATABASE_FAULTS = (OSError, SQLAlchemyError, TimeoutError)
READING_FIELDS = frozenset({"planJob", "planJobUpdates"})


class JobState(enum.Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


PlanJobState = strawberry.enum(JobState, name="PlanJobState", description="Where a plan job stands.")


@strawberry.type(description="A plan solved in the background: where it stands and the best plan found so far.")
class PlanJob(relay.Node):
    id: relay.NodeID[int]
    state: JobState
    household_id: strawberry.ID | None = strawberry.field(
        description="The household planned; null for a scenario", deprecation_reason=LINK_INSTEAD
    )
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    rules_version: str
    improvements: int = strawberry.field(description="How many improving plans the search has reported")
    plan: Plan | None = strawberry.field(description="RUNNING: the best plan so far; DONE: the plan")
    objective_values: JSON | None = strawberry.field(description="The plan's value on each objective term")
    error: str | None = strawberry.field(description="FAILED: why")
    stored_plan_id: strawberry.ID | None = strawberry.field(
        description="DONE, for a household: the stored plan",
        deprecation_reason="Use `storedPlan { id }`: the stored plan itself.",
    )
    household_key: strawberry.Private[int | None]
    stored_plan_key: strawberry.Private[int | None]

    @described("The household planned: null for a scenario, or once the household was deleted.")
    async def household(self, info: Info) -> Household | None:
        if self.household_key is None:
            return None
        row = await info.context.loaders.household.load(self.household_key)
        return Household.from_row(row) if row is not None else None

    @described("DONE, for a household: the stored plan (null otherwise, or once it was deleted with its household).")
    async def stored_plan(self, info: Info) -> StoredPlan | None:
        if self.stored_plan_key is None:
            return None
        row = await info.context.loaders.stored_plan.load(self.stored_plan_key)
        return StoredPlan.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: models.PlanJob) -> Self:
        """The GraphQL view of a job row."""
        created = utc(row.created_at)
        assert created is not None
        plan = from_plain(row.plan, domain.Plan) if row.plan is not None else None
        return cls(
            id=row.id,
            state=JobState(row.state),
            household_id=global_id("Household", row.household_id) if row.household_id is not None else None,
            household_key=row.household_id,
            created_at=created,
            started_at=utc(row.started_at),
            finished_at=utc(row.finished_at),
            rules_version=row.rules_version,
            improvements=row.improvements,
            plan=Plan.of(plan, from_plain(row.scenario, domain.Scenario)) if plan is not None else None,
            objective_values=cast("JSON", dict(plan.objective_values)) if plan is not None else None,
            error=row.error,
            stored_plan_id=global_id("StoredPlan", row.stored_plan_id) if row.stored_plan_id is not None else None,
            stored_plan_key=row.stored_plan_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PlanJob | None]:
        return await load_nodes(cls, info.context.loaders.plan_job, node_ids, required)


StartPlanResult = Annotated[PlanJob | NotFound | InvalidScenario | InvalidInput, strawberry.union("StartPlanResult")]
PlanJobResult = Annotated[PlanJob | NotFound, strawberry.union("PlanJobResult")]


async def _job(info: Info, raw: str) -> models.PlanJob | None:
    record_id = decode(raw, "PlanJob")
    if record_id is None:
        return None
    async with info.context.reading(PlanJobs) as repo:
        return await repo.get(models.PlanJob, record_id)


def _need_backend(info: Info) -> None:
    if backend(info) is None:
        raise PublicError("plan jobs run only inside the service")


@strawberry.type
class PlanJobsMutation:
    @mutation(
        "Starts planning a stored household (householdId, on asOf: today by default) or a scenario; returns the job."
    )
    async def start_plan(
        self,
        info: Info,
        household_id: strawberry.ID | None = None,
        scenario: ScenarioInput | None = None,
        options: PlanOptionsInput | None = None,
        as_of: dt.date | None = None,
        horizon_months: int = 60,
    ) -> StartPlanResult:
        require(info.context.principal, lambda role: role.may_write, "start plans")
        _need_backend(info)
        if (household_id is None) == (scenario is None):
            message = "give either householdId or scenario"
            return InvalidInput(errors=[FieldError(path="householdId", message=message)])
        record_id: int | None = None
        if household_id is not None:
            found = await household_scenario(info, household_id, as_of, horizon_months)
            if isinstance(found, NotFound | InvalidScenario):
                return found
            record_id, planned = found
            parsed = plan_options(options, info.context.services)
            if isinstance(parsed, InvalidScenario):
                return parsed
        else:
            assert scenario is not None  # exactly one of the two, checked above
            read = question(scenario, options)
            if isinstance(read, InvalidScenario):
                return read
            planned, parsed = read[0], capped(read[1], info.context.services)
        parsed = await with_firm_processing(info.context, parsed)
        plans = backend(info)
        assert plans is not None
        job_id = await plans.start(info.context.tenant_id, info.context.actor, planned, parsed, record_id)
        async with info.context.reading(PlanJobs) as repo:
            row = await repo.get(models.PlanJob, job_id)
        assert row is not None
        return PlanJob.from_row(row)

    @mutation("Cancels a queued or running plan job (a finished job is returned as it is).")
    async def cancel_plan_job(self, info: Info, id: strawberry.ID) -> PlanJobResult:
        require(info.context.principal, lambda role: role.may_write, "cancel plan jobs")
        _need_backend(info)
        record_id = decode(id, "PlanJob")
        plans = backend(info)
        assert plans is not None
        row = await plans.cancel(info.context.tenant_id, info.context.actor, record_id) if record_id else None
        return not_found("id", id, "PlanJob") if row is None else PlanJob.from_row(row)


@strawberry.type
class PlanJobsQuery:
    @described("A plan job of your firm: its state and the best plan so far.")
    async def plan_job(self, info: Info, id: strawberry.ID) -> PlanJobResult:
        row = await _job(info, id)
        return not_found("id", id, "PlanJob") if row is None else PlanJob.from_row(row)


def _subscription(description: str) -> Callable[[F], F]:
    """`strawberry.subscription(description=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.subscription(description=description))


@strawberry.type
class PlanJobsSubscription:
    @_subscription("The job now, then again at each change (each improving plan) until it ends.")
    # Ends with the job's last state, whoever wrote it (this process, another one, the heartbeat sweep), or
    # when the job is gone; a read that meets a database fault is made again at the next change.
    async def plan_job_updates(self, info: Info, id: strawberry.ID) -> AsyncGenerator[PlanJobResult, None]:
        row = await _job(info, id)
        if row is None:
            yield not_found("id", id, "PlanJob")
            return
        plans = backend(info)
        if plans is None:
            yield PlanJob.from_row(row)
            return
        last: tuple[str, int] | None = None
        async for _ in plans.changes(info.context.tenant_id, row.id):
            try:
                row = await _job(info, id)
            except DATABASE_FAULTS:
                continue  # the database is away for a moment: read again at the next change (the end is written later)
            if row is None:
                return
            seen = (row.state, row.improvements)
            if seen != last:  # one message per state or plan, however many times it was announced
                last = seen
                yield PlanJob.from_row(row)
            if row.state in ("DONE", "FAILED", "CANCELLED"):
                return
