"""Stored plans: `planHousehold` plans a stored household and keeps the plan with what it was based on.

A stored plan carries the planner's input as it was (the household as a scenario on `asOf`, and the
options), the rules version, the solver's parameters and the objective with the values the plan reached,
so a consultant can reopen it later and see why it says what it says. A household's plans are listed newest
first. Solving goes through the service's plan backend (`plans` in the context's services: the plan cache
and the solve runner, `api/plan_service.py`), else a worker thread (`schema.services.plan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Self, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.scalars import JSON

from db import models
from db.plan_json import from_plain, stored_plan_values
from db.repositories.households import Households
from db.repositories.plans import Plans
from db.scenario import household_to_scenario
from schema.auth import require
from schema.errors import FieldError, NotFound
from schema.ids import decode
from schema.loaders import PlansPage
from schema.mutations import mutation
from schema.planning import InvalidScenario, ObjectiveTermEnum, Plan, PlanOptionsInput, PlanStatusEnum
from schema.processing import with_firm_processing
from schema.queries import DEFAULT_PAGE_SIZE, after_id, described, page, page_size
from schema.services import PlanBackend, Services, capped, plan
from schema.types import Household, Info, load_nodes
from solver import domain
from solver.fields import validate_scenario
from solver.fingerprint import plan_key

F = TypeVar("F", bound=Callable[..., Any])


def backend(info: Info) -> PlanBackend | None:
    """The service's plan backend, when the schema runs inside the service."""
    return info.context.services.plans


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as UTC (SQLite hands back naive datetimes; they were written in UTC)."""
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def global_id(type_name: str, record_id: int) -> strawberry.ID:
    """The opaque id of a record of `type_name`."""
    return strawberry.ID(to_base64(type_name, record_id))


def not_found(path: str, raw: str, type_name: str) -> NotFound:
    """The refusal for an id that names nothing of this tenant's."""
    return NotFound(path=path, id=strawberry.ID(raw), message=f"no {type_name} with id {raw!r} in your firm")


def deprecated(description: str, reason: str) -> Callable[[F], F]:
    """`strawberry.field(description=..., deprecation_reason=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.field(description=description, deprecation_reason=reason))


def plan_options(raw: PlanOptionsInput | None, services: Services) -> domain.PlanOptions | InvalidScenario:
    """The planner's options from the input (the service's solve time cap applied), or why not."""
    if raw is None:
        options = domain.PlanOptions()
    else:
        # The stored-plan mutations' message for timeLimitMs has never named the value.
        options, errors = raw.read(cite_time_limit=False)
        if errors:
            return InvalidScenario.of(errors)
    return capped(options, services)


async def household_scenario(
    info: Info, raw_id: str, as_of: dt.date | None, horizon_months: int
) -> tuple[int, domain.Scenario] | NotFound | InvalidScenario:
    """The stored household as the planner's scenario on `as_of` (today by default), or why not."""
    household_id = decode(raw_id, "Household")
    if household_id is None:
        return not_found("householdId", raw_id, "Household")
    async with info.context.reading(Households) as repo:
        household = await repo.load_household_graph(household_id)
    if household is None:
        return not_found("householdId", raw_id, "Household")
    if not any(member.role is domain.Role.PRINCIPAL for member in household.members):
        return InvalidScenario(errors=[FieldError(path="householdId", message="the household has no principal yet")])
    if not 1 <= horizon_months <= 240:
        return InvalidScenario(errors=[FieldError(path="horizonMonths", message="must be between 1 and 240")])
    scenario = household_to_scenario(household, as_of or dt.datetime.now(dt.UTC).date(), horizon_months=horizon_months)
    errors = validate_scenario(scenario)
    if errors:
        return InvalidScenario.of(errors)
    return household_id, scenario


# The old bare foreign ids: kept for the clients that read them, as the links' ids.
LINK_INSTEAD = "Use `household { id }`: the household itself, through the same request's loaders."


@strawberry.type(description="A plan of a stored household, with what it was based on; reopen it at any time.")
class StoredPlan(relay.Node):
    id: relay.NodeID[int]
    household_id: strawberry.ID = strawberry.field(
        description="The household's global id.", deprecation_reason=LINK_INSTEAD
    )
    created_at: dt.datetime
    as_of: dt.date
    status: PlanStatusEnum  # type: ignore[valid-type]
    pr_ready_date: dt.date | None
    rules_version: str
    objective: list[ObjectiveTermEnum]  # type: ignore[valid-type]
    objective_values: JSON = strawberry.field(description="The value the plan reached on each objective term")
    solver_parameters: JSON = strawberry.field(description="The CP-SAT settings the plan was solved with")
    scenario: JSON = strawberry.field(description="The planner's input as it was: the household on asOf")
    options: JSON = strawberry.field(description="The plan options as the planner read them")
    plan_key: str = strawberry.field(description="The plan cache key of this input, options and rules version")
    plan: Plan
    household_key: strawberry.Private[int]

    @described("The household planned (a stored plan goes with its household, so it is always there).")
    async def household(self, info: Info) -> Household:
        row = await info.context.loaders.household.load(self.household_key)
        if row is None:
            raise LookupError(f"stored plan {self.id} has no household {self.household_key}")  # a broken invariant
        return Household.from_row(row)

    @classmethod
    def from_row(cls, row: models.StoredPlan) -> Self:
        """The GraphQL view of a stored plan."""
        created = utc(row.created_at)
        assert created is not None
        return cls(
            id=row.id,
            household_id=global_id("Household", row.household_id),
            household_key=row.household_id,
            created_at=created,
            as_of=row.as_of,
            status=domain.PlanStatus(row.status),
            pr_ready_date=row.pr_ready_date,
            rules_version=row.rules_version,
            objective=[domain.ObjectiveTerm(term) for term in row.objective],
            objective_values=cast("JSON", row.objective_values),
            solver_parameters=cast("JSON", row.solver_parameters),
            scenario=cast("JSON", row.scenario),
            options=cast("JSON", row.options),
            plan_key=row.plan_key,
            plan=Plan.of(from_plain(row.plan, domain.Plan), from_plain(row.scenario, domain.Scenario)),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[StoredPlan | None]:
        return await load_nodes(cls, info.context.loaders.stored_plan, node_ids, required)


@strawberry.type(name="StoredPlanConnection", description="A page of a household's stored plans, newest first.")
class StoredPlanConnection(relay.Connection[StoredPlan]):
    pass


async def plans_page(info: Info, household_id: int, first: int, after: str | None) -> StoredPlanConnection:
    """`Household.plans`: a page of the household's stored plans, newest first, through the request's loader
    (a page of households asking each for its plans costs one query)."""
    size = page_size(first)
    rows = await info.context.loaders.plans_page.load(PlansPage(household_id, after_id(after), size + 1))
    edges, page_info = page(rows, size, after, StoredPlan.from_row)
    return StoredPlanConnection(edges=edges, page_info=page_info)


@strawberry.type(description="A page of a household's stored plans, newest first (`Household.plans` pages by cursor).")
class StoredPlanList:
    plans: list[StoredPlan] = strawberry.field(description="The plans of this page, newest first.")
    has_more: bool = strawberry.field(description="Whether older plans follow (pass the last plan's id as `before`).")


PlanHouseholdResult = Annotated[StoredPlan | NotFound | InvalidScenario, strawberry.union("PlanHouseholdResult")]
StoredPlanResult = Annotated[StoredPlan | NotFound, strawberry.union("StoredPlanResult")]
HouseholdPlansResult = Annotated[StoredPlanList | NotFound, strawberry.union("HouseholdPlansResult")]


@strawberry.type
class StoredPlansMutation:
    @mutation("Plans a stored household as it is now (or on asOf) and stores the plan with what it was based on.")
    async def plan_household(
        self,
        info: Info,
        household_id: strawberry.ID,
        as_of: dt.date | None = None,
        options: PlanOptionsInput | None = None,
        horizon_months: int = 60,
    ) -> PlanHouseholdResult:
        require(info.context.principal, lambda role: role.may_write, "plan households")
        found = await household_scenario(info, household_id, as_of, horizon_months)
        if isinstance(found, NotFound | InvalidScenario):
            return found
        record_id, scenario = found
        parsed = plan_options(options, info.context.services)
        if isinstance(parsed, InvalidScenario):
            return parsed
        parsed = await with_firm_processing(info.context, parsed)
        result = await plan(info.context.services, info.context.tenant_id, scenario, parsed)
        values = stored_plan_values(
            scenario, parsed, result, plan_key(scenario, parsed, result.rules_version), record_id
        )
        async with info.context.sessions() as session, session.begin():
            repo = Plans(session, tenant_id=info.context.tenant_id, actor=info.context.actor)
            if await repo.get(models.Household, record_id) is None:  # deleted while it was being planned
                return not_found("householdId", household_id, "Household")
            summary = ("household_id", "status", "rules_version", "plan_key")
            row = await repo.add_summarized(models.StoredPlan, values, summary)
        return StoredPlan.from_row(row)


@strawberry.type
class StoredPlansQuery:
    @described("A stored plan of your firm, with the input, rules, solver parameters and objective it came from.")
    async def stored_plan(self, info: Info, id: strawberry.ID) -> StoredPlanResult:
        record_id = decode(id, "StoredPlan")
        if record_id is None:
            return not_found("id", id, "StoredPlan")
        async with info.context.reading(Plans) as repo:
            row = await repo.get(models.StoredPlan, record_id)
        return not_found("id", id, "StoredPlan") if row is None else StoredPlan.from_row(row)

    @deprecated(
        "A household's stored plans, newest first; `before` continues after the last plan of a page.",
        "Use `household(id:) { plans(first:, after:) }`: a Relay connection like the other lists.",
    )
    async def household_plans(
        self,
        info: Info,
        household_id: strawberry.ID,
        first: int = DEFAULT_PAGE_SIZE,
        before: strawberry.ID | None = None,
    ) -> HouseholdPlansResult:
        limit = page_size(first)
        record_id = decode(household_id, "Household")
        before_id = decode(before, "StoredPlan") if before is not None else None
        if record_id is None:
            return not_found("householdId", household_id, "Household")
        if before is not None and before_id is None:
            return not_found("before", before, "StoredPlan")
        async with info.context.reading(Plans) as repo:
            if await repo.get(models.Household, record_id) is None:
                return not_found("householdId", household_id, "Household")
            rows = await repo.stored_plans(record_id, before_id=before_id, limit=limit + 1)
        return StoredPlanList(plans=[StoredPlan.from_row(row) for row in rows[:limit]], has_more=len(rows) > limit)
