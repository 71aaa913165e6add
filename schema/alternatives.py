"""`planAlternatives(scenario:, options:, count:)` and `planHouseholdAlternatives(householdId:, ..., count:)`:
up to five plans that differ in strategy, not in a date (`solver.alternatives`).

Each alternative is one strategy's best plan (PR applicant and program, permit categories, offers taken), labelled
by what sets it apart from the best and carrying its trade-offs side by side. They are plan fields: each solves
`count` plans, so the endpoint charges `count` times the plan cost (`api/shape.py`) and the query cost counts
their selection `count` times (`schema/cost.py`). `planHouseholdAlternatives` stores each alternative as a
stored plan of the household (its rank and label in `solverParameters.alternative`), so `comparePlans` can set
any two side by side.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from db import models
from db.plan_json import stored_plan_values
from db.repositories.plans import Plans
from schema.auth import require
from schema.enums import Person
from schema.errors import NotFound
from schema.money import Money
from schema.mutations import mutation
from schema.planning import Finding, InvalidScenario, Plan, PlanOptionsInput, ScenarioInput, question
from schema.rules import described
from schema.services import alternatives, capped
from schema.stored_plans import StoredPlan, household_scenario, not_found, plan_options
from schema.types import Info
from solver import alternatives as alt
from solver.fingerprint import plan_key

COUNT_DESCRIPTION = (
    f"How many strategies to return, {alt.MIN_COUNT} to {alt.MAX_COUNT} (fewer come back when fewer are feasible); "
    f"each costs one plan."
)


@strawberry.type(description="A permit as a strategy names it: who holds it, its category and its offer.")
class StrategyPermit:
    person: Person = strawberry.field(description="Who holds the permit.")  # type: ignore[valid-type]
    code: str = strawberry.field(description="The category code (C43, A75, TFWP, ...).")
    offer_ref: str | None = strawberry.field(description="The offer an employer-specific permit rests on; else null.")


@strawberry.type(
    description="What an alternative decides, dates apart: the PR route, the permit categories and the offers taken. "
    "Two alternatives never share a strategy."
)
class AlternativeStrategy:
    pr_applicant: Person | None = strawberry.field(  # type: ignore[valid-type]
        description="Who applies for PR; null when PR is not reached within the horizon."
    )
    pr_program: str | None = strawberry.field(description="The PR program (CEC, PNP, ...); null when none.")
    permits: list[StrategyPermit] = strawberry.field(description="The permit categories used, by person and code.")
    offers: list[str] = strawberry.field(description="The offers whose job the plan takes (their refs).")

    @classmethod
    def of(cls, s: alt.Strategy) -> AlternativeStrategy:
        """The GraphQL form of a solver strategy."""
        return cls(
            pr_applicant=s.pr_applicant,
            pr_program=s.pr_program,
            permits=[StrategyPermit(person=p, code=c, offer_ref=o) for p, c, o in s.permits],
            offers=list(s.offers),
        )


@strawberry.type(description="An alternative's figures, to set side by side with the other alternatives'.")
class TradeOffs:
    pr_ready_date: dt.date | None = strawberry.field(description="The plan's PR ready date; null when none.")
    fees_client: Money = strawberry.field(description="What the client pays the government (Plan.fees.total).")
    fees_employer: Money = strawberry.field(description="What the employer pays (compliance, LMIA fees).")
    days_without_work: int = strawberry.field(
        description="Days, summed over the members, before PR approval (or the horizon) without authorization to "
        "work: the plan's WORK_CONTINUITY value."
    )
    days_without_status: int = strawberry.field(
        description="Days, summed over the members, in Canada without status (the plan's status gaps, inclusive)."
    )
    risk_count: int = strawberry.field(description="How many risk findings the plan carries (`risks`).")
    risks: list[Finding] = strawberry.field(
        description="The plan's blockers, then its explanation's risk findings (a message starting with 'risk')."
    )

    @classmethod
    def of(cls, t: alt.TradeOffs) -> TradeOffs:
        """The GraphQL form of an alternative's trade-offs."""
        return cls(
            pr_ready_date=t.pr_ready_date,
            fees_client=Money.cad(t.fees_client),
            fees_employer=Money.cad(t.fees_employer),
            days_without_work=t.days_without_work,
            days_without_status=t.days_without_status,
            risk_count=t.risk_count,
            risks=[Finding.of(f) for f in t.risks],
        )


@strawberry.type(description="One strategy's best plan: its rank, what distinguishes it, its trade-offs.")
class PlanAlternative:
    rank: int = strawberry.field(description="1 for the best plan; the rest in the objective's order.")
    label: str = strawberry.field(
        description="What distinguishes it, in a few words (e.g. 'The spouse leads PR (CEC)', 'LMIA bridge for "
        "the principal'); the best plan's reads 'Best plan: ...'."
    )
    differences: list[str] = strawberry.field(
        description="The facts that set it apart from the best plan (PR route, permits added or left out, offers); "
        "for the best plan, its own strategy in words."
    )
    strategy: AlternativeStrategy = strawberry.field(description="The strategy, as data.")
    trade_offs: TradeOffs = strawberry.field(description="The figures to compare with the other alternatives.")
    plan: Plan = strawberry.field(description="The whole plan.")
    stored_plan: StoredPlan | None = strawberry.field(
        default=None,
        description="The stored plan it was kept as (planHouseholdAlternatives); null for planAlternatives.",
    )

    @classmethod
    def of(cls, a: alt.Alternative, stored: StoredPlan | None = None) -> PlanAlternative:
        """The GraphQL form of a solver alternative."""
        return cls(
            rank=a.rank,
            label=a.label,
            differences=list(a.differences),
            strategy=AlternativeStrategy.of(a.strategy),
            trade_offs=TradeOffs.of(a.trade_offs),
            plan=Plan.of(a.plan),
            stored_plan=stored,
        )


@strawberry.type(description="Up to `requested` plans of different strategies, best first.")
class PlanAlternatives:
    requested: int = strawberry.field(description="How many were asked for (`count`).")
    alternatives: list[PlanAlternative] = strawberry.field(
        description="The alternatives by rank; fewer than requested when no other strategy is feasible, empty when "
        "no plan was found in time."
    )


PlanAlternativesResult = Annotated[PlanAlternatives | InvalidScenario, strawberry.union("PlanAlternativesResult")]
PlanHouseholdAlternativesResult = Annotated[
    PlanAlternatives | NotFound | InvalidScenario, strawberry.union("PlanHouseholdAlternativesResult")
]


def _count_refused(count: int) -> InvalidScenario | None:
    errors = alt.count_errors(count)
    return InvalidScenario.of(errors) if errors else None


@strawberry.type
class AlternativesQuery:
    @described(
        "Plans a scenario as up to `count` alternatives that differ in strategy (PR applicant or program, permit "
        "categories, offers), not in a date, without storing anything; each is its strategy's best plan, ranked "
        "by the objective. Costs `count` plans."
    )
    async def plan_alternatives(
        self,
        info: Info,
        scenario: Annotated[ScenarioInput, strawberry.argument(description="The household's situation.")],
        options: Annotated[
            PlanOptionsInput | None,
            strawberry.argument(description="The plan options; the time limit applies to each alternative."),
        ] = None,
        count: Annotated[int, strawberry.argument(description=COUNT_DESCRIPTION)] = alt.DEFAULT_COUNT,
    ) -> PlanAlternativesResult:
        parsed = question(scenario, options)
        refused = _count_refused(count)
        if isinstance(parsed, InvalidScenario) or refused is not None:
            errors = [
                *(parsed.errors if isinstance(parsed, InvalidScenario) else []),
                *(refused.errors if refused else []),
            ]
            return InvalidScenario(errors=errors)
        scenario_, options_ = parsed
        services, tenant_id = info.context.services, info.context.tenant_id
        found = await alternatives(services, tenant_id, scenario_, capped(options_, services), count)
        return PlanAlternatives(requested=count, alternatives=[PlanAlternative.of(a) for a in found])


@strawberry.type
class AlternativesMutation:
    @mutation(
        "Plans a stored household (as it is now, or on asOf) as up to `count` alternatives of different strategies, "
        "and stores each as a stored plan of the household (its rank and label in solverParameters.alternative), "
        "so any two can be compared with comparePlans. Costs `count` plans."
    )
    async def plan_household_alternatives(
        self,
        info: Info,
        household_id: Annotated[strawberry.ID, strawberry.argument(description="The household to plan.")],
        as_of: Annotated[
            dt.date | None, strawberry.argument(description="The day the plan starts from; today by default.")
        ] = None,
        options: Annotated[
            PlanOptionsInput | None,
            strawberry.argument(description="The plan options; the time limit applies to each alternative."),
        ] = None,
        horizon_months: Annotated[int, strawberry.argument(description="How far ahead to plan, 1 to 240 months.")] = 60,
        count: Annotated[int, strawberry.argument(description=COUNT_DESCRIPTION)] = alt.DEFAULT_COUNT,
    ) -> PlanHouseholdAlternativesResult:
        require(info.context.principal, lambda role: role.may_write, "plan households")
        refused = _count_refused(count)
        if refused is not None:
            return refused
        found = await household_scenario(info, household_id, as_of, horizon_months)
        if isinstance(found, NotFound | InvalidScenario):
            return found
        record_id, scenario = found
        parsed = plan_options(options, info.context.services)
        if isinstance(parsed, InvalidScenario):
            return parsed
        answers = await alternatives(info.context.services, info.context.tenant_id, scenario, parsed, count)
        out: list[PlanAlternative] = []
        async with info.context.sessions() as session, session.begin():
            repo = Plans(session, tenant_id=info.context.tenant_id, actor=info.context.actor)
            if await repo.get(models.Household, record_id) is None:  # deleted while it was being planned
                return not_found("householdId", household_id, "Household")
            for a in answers:
                values = stored_plan_values(
                    scenario, parsed, a.plan, plan_key(scenario, parsed, a.plan.rules_version), record_id
                )
                values["solver_parameters"] = {
                    **values["solver_parameters"],
                    "alternative": {"rank": a.rank, "count": count, "label": a.label},
                }
                summary = ("household_id", "status", "rules_version", "plan_key")
                row = await repo.add_summarized(models.StoredPlan, values, summary)
                out.append(PlanAlternative.of(a, StoredPlan.from_row(row)))
        return PlanAlternatives(requested=count, alternatives=out)
