"""`comparePlans(a:, b:)`: what changed between two stored plans of one household (`solver.compare`);
`comparePlanScenarios(a:, b:, options:)`: the same for two scenarios, planned now.

The diff is computed from the plans as stored (their `Plan` JSON), so it answers the same whenever it is
asked, whatever the rules are today. Two plans of two different households are refused naming `b`: a diff
across households compares unrelated people and would read as advice. Not found is the `NotFound` member
(docs/integrators.md "Ids, links and 'Not found'"), naming `a` or `b`.

`comparePlanScenarios` plans both scenarios through the same plan service as `planScenario` (cache, runner,
the service's time cap), one after the other, so it solves (the endpoint charges it the plan cost: it is in
`SOLVING_FIELDS`). That the two are one household's is the client's word: nothing stored ties them.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import strawberry

from db import models
from db.plan_json import from_plain
from db.repositories.plans import Plans
from schema.enums import Person
from schema.errors import FieldError, InvalidInput, NotFound
from schema.ids import decode
from schema.money import Money
from schema.planning import (
    DeadlineKindEnum,
    InvalidScenario,
    PlanOptionsInput,
    ScenarioInput,
    question,
)
from schema.processing import with_firm_processing
from schema.rules import described
from schema.services import capped, plan
from schema.stored_plans import not_found
from schema.types import Info
from solver import compare as diff
from solver import domain


@strawberry.enum(name="FeePart", description="Which fee figure of a plan changed.")
class FeePartEnum(enum.Enum):
    TOTAL = strawberry.enum_value(
        "TOTAL", description="What the client pays the government: permits + biometrics + PR (Plan.feesTotal)."
    )
    PERMITS = strawberry.enum_value("PERMITS", description="The client's permit fees, biometrics apart.")
    BIOMETRICS = strawberry.enum_value("BIOMETRICS", description="The client's biometrics fees.")
    PR = strawberry.enum_value("PR", description="The client's PR fees.")
    EMPLOYER = strawberry.enum_value(
        "EMPLOYER", description="The employer's fees (compliance, LMIA); never in the client's total."
    )


@strawberry.enum(name="FindingKind", description="Where a finding sits in a plan.")
class FindingKindEnum(enum.Enum):
    BLOCKER = strawberry.enum_value("BLOCKER", description="Plan.blockers: what stands in the way of PR readiness.")
    EXPLANATION = strawberry.enum_value("EXPLANATION", description="Plan.explanation: why the plan says what it says.")
    CLOSED_ROUTE = strawberry.enum_value(
        "CLOSED_ROUTE", description="A reason of Plan.closedRoutes: a plausible route the plan leaves out."
    )


@strawberry.type(description="A permit of one of the two plans, as the diff names it.")
class PermitRef:
    person: Person = strawberry.field(description="Who holds the permit.")  # type: ignore[valid-type]
    code: str = strawberry.field(description="The category code (C43, A75, ...; TFWP).")
    name: str = strawberry.field(description="The category's name.")
    offer_ref: str | None = strawberry.field(description="The offer it rests on; null for an open permit.")
    apply_on: dt.date = strawberry.field(description="The day of the application.")
    valid_from: dt.date = strawberry.field(description="The first day of the permit.")
    valid_to: dt.date = strawberry.field(description="The last day of the permit (inclusive).")

    @classmethod
    def of(cls, p: diff.PermitRef) -> PermitRef:
        """The GraphQL form of a permit of the diff."""
        return cls(
            person=p.person,
            code=p.code,
            name=p.name,
            offer_ref=p.offer_ref,
            apply_on=p.apply_on,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
        )


@strawberry.type(
    description="The same permit (person, code, offer) in both plans on other dates; each shift is b - a in days "
    "(negative: earlier in b)."
)
class PermitMove:
    before: PermitRef = strawberry.field(description="The permit in plan a.")
    after: PermitRef = strawberry.field(description="The permit in plan b.")
    apply_on_days: int = strawberry.field(description="How many days the application moved (b - a).")
    valid_from_days: int = strawberry.field(description="How many days the first day moved (b - a).")
    valid_to_days: int = strawberry.field(description="How many days the last day moved (b - a).")


@strawberry.type(description="The PR target of each plan, when it changed.")
class PrChange:
    ready_before: dt.date | None = strawberry.field(description="Plan a's PR ready date; null when it reaches none.")
    ready_after: dt.date | None = strawberry.field(description="Plan b's PR ready date; null when it reaches none.")
    ready_days: int | None = strawberry.field(
        description="b - a in days (negative: PR ready earlier in b); null when either plan reaches no PR."
    )
    program_before: str | None = strawberry.field(description="Plan a's PR program (CEC, FSW, ...).")
    program_after: str | None = strawberry.field(description="Plan b's PR program.")
    applicant_before: Person | None = strawberry.field(  # type: ignore[valid-type]
        description="Who applies for PR in plan a."
    )
    applicant_after: Person | None = strawberry.field(  # type: ignore[valid-type]
        description="Who applies for PR in plan b."
    )


@strawberry.type(description="A deadline of one of the two plans, as the diff names it.")
class DeadlineRef:
    person: Person = strawberry.field(description="Whose deadline it is.")  # type: ignore[valid-type]
    kind: DeadlineKindEnum = strawberry.field(description="What it is the last day for.")  # type: ignore[valid-type]
    rule_id: str = strawberry.field(description="The rule that sets it.")
    date: dt.date = strawberry.field(description="The last day (inclusive).")
    message: str = strawberry.field(description="The deadline in English, as Plan.deadlines says it.")
    step_code: str | None = strawberry.field(description="The code of the step it belongs to; null when none.")

    @classmethod
    def of(cls, d: diff.DeadlineRef) -> DeadlineRef:
        """The GraphQL form of a deadline of the diff."""
        return cls(
            person=d.person, kind=d.kind, rule_id=d.rule_id, date=d.date, message=d.message, step_code=d.step_code
        )


@strawberry.type(description="The same deadline in both plans on another day.")
class DeadlineMove:
    before: DeadlineRef = strawberry.field(description="The deadline in plan a.")
    after: DeadlineRef = strawberry.field(description="The deadline in plan b.")
    days: int = strawberry.field(description="b - a in days (negative: earlier in b, listed first).")


@strawberry.type(description="A fee figure that changed, in Canadian dollars, before and after.")
class FeeChange:
    part: FeePartEnum = strawberry.field(description="Which figure.")
    before: Money = strawberry.field(description="The figure in plan a.")
    after: Money = strawberry.field(description="The figure in plan b.")
    delta: Money = strawberry.field(description="b - a (negative: cheaper in b).")


@strawberry.type(description="A finding present in only one of the two plans, by rule id and message.")
class FindingRef:
    kind: FindingKindEnum = strawberry.field(description="Where it sits in the plan.")
    rule_id: str = strawberry.field(description="The rule it cites.")
    message: str = strawberry.field(description="The finding in English.")
    person: Person | None = strawberry.field(  # type: ignore[valid-type]
        description="For a closed route, the person it is about; else null."
    )
    code: str | None = strawberry.field(description="For a closed route, the category code; else null.")

    @classmethod
    def of(cls, f: diff.FindingRef) -> FindingRef:
        """The GraphQL form of a finding of the diff."""
        return cls(
            kind=FindingKindEnum[f.kind.name], rule_id=f.rule_id, message=f.message, person=f.person, code=f.code
        )


@strawberry.type(
    description="A person's days without status and without work authorization (summed over Plan.statusGaps, "
    "each gap's days inclusive), in plan a and plan b, when either changed."
)
class GapChange:
    person: Person = strawberry.field(description="Whose days these are.")  # type: ignore[valid-type]
    without_status_before: int = strawberry.field(description="Days without status in plan a.")
    without_status_after: int = strawberry.field(description="Days without status in plan b.")
    without_work_before: int = strawberry.field(description="Days without work authorization in plan a.")
    without_work_after: int = strawberry.field(description="Days without work authorization in plan b.")


@strawberry.type(
    description="What changed from plan a to plan b (of one household). Empty lists and a null `pr` mean no change; "
    "every day count is b - a. Permits are matched by person, code and offer, deadlines by person, kind, rule and "
    "step code, findings by kind, rule id and message."
)
class PlanDiff:
    same: bool = strawberry.field(description="True when the plans differ in nothing the diff compares.")
    permits_added: list[PermitRef] = strawberry.field(description="Permits only plan b has, in apply order.")
    permits_removed: list[PermitRef] = strawberry.field(description="Permits only plan a has, in apply order.")
    permits_moved: list[PermitMove] = strawberry.field(description="Permits of both on other dates, in a's order.")
    pr: PrChange | None = strawberry.field(description="The PR target, when its date, program or applicant changed.")
    deadlines_moved: list[DeadlineMove] = strawberry.field(description="Deadlines on another day, earlier first.")
    deadlines_added: list[DeadlineRef] = strawberry.field(description="Deadlines only plan b has, by date.")
    deadlines_gone: list[DeadlineRef] = strawberry.field(description="Deadlines only plan a has, by date.")
    fees: list[FeeChange] = strawberry.field(description="The fee figures that changed (total, parts, employer).")
    findings_new: list[FindingRef] = strawberry.field(description="Findings only plan b has.")
    findings_gone: list[FindingRef] = strawberry.field(description="Findings only plan a has.")
    gaps: list[GapChange] = strawberry.field(description="The people whose days without status or work changed.")

    @classmethod
    def of(cls, d: diff.PlanDiff) -> PlanDiff:
        """The GraphQL form of a solver diff."""
        return cls(
            same=d.same,
            permits_added=[PermitRef.of(p) for p in d.permits_added],
            permits_removed=[PermitRef.of(p) for p in d.permits_removed],
            permits_moved=[
                PermitMove(
                    before=PermitRef.of(m.before),
                    after=PermitRef.of(m.after),
                    apply_on_days=m.apply_on_days,
                    valid_from_days=m.valid_from_days,
                    valid_to_days=m.valid_to_days,
                )
                for m in d.permits_moved
            ],
            pr=None
            if d.pr is None
            else PrChange(
                ready_before=d.pr.ready_before,
                ready_after=d.pr.ready_after,
                ready_days=d.pr.ready_days,
                program_before=d.pr.program_before,
                program_after=d.pr.program_after,
                applicant_before=d.pr.applicant_before,
                applicant_after=d.pr.applicant_after,
            ),
            deadlines_moved=[
                DeadlineMove(before=DeadlineRef.of(m.before), after=DeadlineRef.of(m.after), days=m.days)
                for m in d.deadlines_moved
            ],
            deadlines_added=[DeadlineRef.of(x) for x in d.deadlines_added],
            deadlines_gone=[DeadlineRef.of(x) for x in d.deadlines_gone],
            fees=[
                FeeChange(
                    part=FeePartEnum[f.part.name],
                    before=Money.cad(f.before),
                    after=Money.cad(f.after),
                    delta=Money.cad(f.delta),
                )
                for f in d.fees
            ],
            findings_new=[FindingRef.of(f) for f in d.findings_new],
            findings_gone=[FindingRef.of(f) for f in d.findings_gone],
            gaps=[
                GapChange(
                    person=g.person,
                    without_status_before=g.without_status_before,
                    without_status_after=g.without_status_after,
                    without_work_before=g.without_work_before,
                    without_work_after=g.without_work_after,
                )
                for g in d.gaps
            ],
        )


# Root fields of this module that solve: the endpoint charges them the plan cost and admits them to the solver
# (api/shape.py; fields named `plan...` are counted already).
SOLVING_FIELDS = frozenset({"comparePlanScenarios"})

ComparePlanScenariosResult = Annotated[PlanDiff | InvalidScenario, strawberry.union("ComparePlanScenariosResult")]
ComparePlansResult = Annotated[PlanDiff | NotFound | InvalidInput, strawberry.union("ComparePlansResult")]


def _refused(*answers: object) -> InvalidScenario:
    """The errors of both questions, in order; the options are read for each scenario, so theirs come once."""
    errors: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for answer in answers:
        for error in answer.errors if isinstance(answer, InvalidScenario) else []:
            if (error.path, error.message) not in seen:
                seen.add((error.path, error.message))
                errors.append(error)
    return InvalidScenario(errors=errors)


@strawberry.type
class PlanDiffQuery:
    @described(
        "What changed from stored plan a to stored plan b of the same household: permits, PR target, deadlines, "
        "fees, findings and gaps. NotFound names the id not in your firm; plans of two households are InvalidInput "
        "naming b."
    )
    async def compare_plans(
        self,
        info: Info,
        a: Annotated[strawberry.ID, strawberry.argument(description="The stored plan compared from.")],
        b: Annotated[strawberry.ID, strawberry.argument(description="The stored plan compared to.")],
    ) -> ComparePlansResult:
        rows: list[models.StoredPlan] = []
        async with info.context.reading(Plans) as repo:
            for path, raw in (("a", a), ("b", b)):
                record_id = decode(raw, "StoredPlan")
                row = None if record_id is None else await repo.get(models.StoredPlan, record_id)
                if row is None:
                    return not_found(path, raw, "StoredPlan")
                rows.append(row)
        first, second = rows
        if first.household_id != second.household_id:
            message = "is a plan of another household than a: only plans of one household can be compared"
            return InvalidInput(errors=[FieldError(path="b", message=message)])
        plans = [from_plain(row.plan, domain.Plan) for row in rows]
        return PlanDiff.of(diff.compare(plans[0], plans[1]))

    @described(
        "Plans two scenarios of one household (as planScenario does, with the same options) and answers what "
        "changed from a's plan to b's. Errors name their field under `a.` or `b.` (`options.` for the options)."
    )
    async def compare_plan_scenarios(
        self,
        info: Info,
        a: Annotated[ScenarioInput, strawberry.argument(description="The scenario whose plan is compared from.")],
        b: Annotated[ScenarioInput, strawberry.argument(description="The scenario whose plan is compared to.")],
        options: Annotated[
            PlanOptionsInput | None, strawberry.argument(description="The plan options, for both plans.")
        ] = None,
    ) -> ComparePlanScenariosResult:
        first, second = question(a, options, argument="a"), question(b, options, argument="b")
        if isinstance(first, InvalidScenario) or isinstance(second, InvalidScenario):
            return _refused(first, second)
        services, tenant_id = info.context.services, info.context.tenant_id
        # Planned as planScenario plans them: with the firm's processing times before the request's.
        plans = [
            await plan(services, tenant_id, s, capped(await with_firm_processing(info.context, o), services))
            for s, o in (first, second)
        ]
        return PlanDiff.of(diff.compare(plans[0], plans[1]))
