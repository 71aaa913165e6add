"""Caseload re-plans after a rule change: `startCaseloadReplan` (admins) re-plans every household of the firm
with a stored plan under `rulesAsOf` and returns the run at once; `caseloadReplan(id)` reopens it (progress,
then each household's impact report, most urgent first); `caseloadReplanUpdates(id)` streams it over
graphql-transport-ws until it ends; `cancelCaseloadReplan` stops it. Stored plans are never replaced.

The runs are rows of the tenant (`replan_runs`, `replan_results`); the service's re-plan backend drives them
(`api/replan_service.py`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncGenerator, Callable
from typing import Annotated, Any, Self, TypeVar, cast

import strawberry
from sqlalchemy.exc import SQLAlchemyError

from db import models
from db.plan_json import from_plain
from db.repositories.replans import Replans
from schema.auth import require
from schema.errors import FieldError, InvalidInput, NotFound, PublicError
from schema.ids import decode
from schema.mutations import mutation
from schema.queries import described
from schema.services import CaseloadReplans
from schema.stored_plans import global_id, not_found, utc
from schema.types import Household, Info
from solver.compare import DeadlineMove, DeadlineRef, FindingRef, PermitRef
from solver.impact import Impact

F = TypeVar("F", bound=Callable[..., Any])
DATABASE_FAULTS = (OSError, SQLAlchemyError, TimeoutError)
TYPE_NAME = "CaseloadReplan"


class RunState(enum.Enum):
    QUEUED = strawberry.enum_value("QUEUED", description="Started; no household submitted yet.")
    RUNNING = strawberry.enum_value("RUNNING", description="Households are being re-planned; `done` counts them.")
    DONE = strawberry.enum_value("DONE", description="Every household has its report.")
    FAILED = strawberry.enum_value("FAILED", description="Stopped by an error; `error` says why.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled; the reports recorded before it stay.")


class Urgency(enum.Enum):
    DEADLINE_WITHIN_30_DAYS = strawberry.enum_value(
        "DEADLINE_WITHIN_30_DAYS", description="A deadline of the new plan now falls within 30 days of the run's day."
    )
    BLOCKED = strawberry.enum_value(
        "BLOCKED", description="A new blocker, a permit lost, or the PR date later or gone."
    )
    CHANGED = strawberry.enum_value("CHANGED", description="Another change the plan diff sees.")
    UNCHANGED = strawberry.enum_value("UNCHANGED", description="The new rules change nothing in the plan.")
    FAILED = strawberry.enum_value("FAILED", description="The household could not be re-planned; `error` says why.")


CaseloadReplanState = strawberry.enum(RunState, name="CaseloadReplanState", description="Where a re-plan run stands.")
ReplanUrgency = strawberry.enum(
    Urgency,
    name="ReplanUrgency",
    description="How soon a household's change needs a consultant, most urgent first: a deadline of the new plan "
    "now falls within 30 days of the run's day; a new blocker, a permit lost or the PR date later; another change; "
    "no change; or the household could not be planned (see `error`).",
)


@strawberry.type(description="A permit a household gains or loses under the new rules.")
class ImpactPermit:
    person: str = strawberry.field(description="PRINCIPAL or PARTNER")
    code: str = strawberry.field(description="The permit's category code (e.g. C43)")
    name: str = strawberry.field(description="The category's name")
    apply_on: dt.date = strawberry.field(description="The day the plan applies for it")

    @classmethod
    def of(cls, ref: PermitRef) -> Self:
        return cls(person=ref.person.value, code=ref.code, name=ref.name, apply_on=ref.apply_on)


@strawberry.type(description="A deadline the new rules moved (or added: `before` null), by its rule.")
class DeadlineShift:
    person: str = strawberry.field(description="PRINCIPAL or PARTNER")
    kind: str = strawberry.field(description="The deadline's kind")
    rule_id: str = strawberry.field(description="The rule that sets it")
    message: str = strawberry.field(description="What the deadline is, under the new rules")
    before: dt.date | None = strawberry.field(description="The last day in the stored plan; null for a new one")
    after: dt.date = strawberry.field(description="The last day under the new rules")
    days: int | None = strawberry.field(description="after - before in days (negative: earlier); null for a new one")

    @classmethod
    def moved(cls, move: DeadlineMove) -> Self:
        after = move.after
        return cls(
            person=after.person.value,
            kind=after.kind.value,
            rule_id=after.rule_id,
            message=after.message,
            before=move.before.date,
            after=after.date,
            days=move.days,
        )

    @classmethod
    def new(cls, ref: DeadlineRef) -> Self:
        return cls(
            person=ref.person.value,
            kind=ref.kind.value,
            rule_id=ref.rule_id,
            message=ref.message,
            before=None,
            after=ref.date,
            days=None,
        )


@strawberry.type(description="A finding the new plan has and the stored plan had not.")
class ImpactFinding:
    rule_id: str = strawberry.field(description="The rule it cites (for a closed route, the category's rule)")
    message: str = strawberry.field(description="What it says")
    person: str | None = strawberry.field(description="For a closed route: whose")
    code: str | None = strawberry.field(description="For a closed route: the category code")

    @classmethod
    def of(cls, ref: FindingRef) -> Self:
        person = ref.person.value if ref.person else None
        return cls(rule_id=ref.rule_id, message=ref.message, person=person, code=ref.code)


@strawberry.type(
    description="One household's impact report in a caseload re-plan: its stored plan against the new rules."
)
class HouseholdImpact:
    urgency: Urgency = strawberry.field(description="How soon it needs a consultant (the report's ranking)")
    urgent_deadline: dt.date | None = strawberry.field(
        description="DEADLINE_WITHIN_30_DAYS: the earliest deadline now within 30 days"
    )
    rules_version_before: str = strawberry.field(description="The rules version of the stored plan")
    rules_version_after: str = strawberry.field(description="The rules version the household was re-planned with")
    pr_ready_before: dt.date | None = strawberry.field(description="The stored plan's PR readiness date")
    pr_ready_after: dt.date | None = strawberry.field(description="The PR readiness date under the new rules")
    pr_days: int | None = strawberry.field(description="after - before in days (positive: later)")
    permits_gained: list[ImpactPermit] = strawberry.field(description="Permits the new plan has and the stored not")
    permits_lost: list[ImpactPermit] = strawberry.field(description="Permits of the stored plan the new plan drops")
    deadlines_moved: list[DeadlineShift] = strawberry.field(
        description="Deadlines moved (those now earlier first), then the new ones"
    )
    new_blockers: list[ImpactFinding] = strawberry.field(description="Blockers the stored plan did not have")
    new_risks: list[ImpactFinding] = strawberry.field(description="Routes newly closed, with the rules that close them")
    error: str | None = strawberry.field(description="FAILED: why the household could not be re-planned")
    household_key: strawberry.Private[int]
    stored_plan_key: strawberry.Private[int | None]

    @described("The stored plan compared against (null once deleted).")
    def stored_plan_id(self) -> strawberry.ID | None:
        return global_id("StoredPlan", self.stored_plan_key) if self.stored_plan_key is not None else None

    @described("The household (null once deleted).")
    async def household(self, info: Info) -> Household | None:
        row = await info.context.loaders.household.load(self.household_key)
        return Household.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: models.ReplanResult) -> Self:
        found = from_plain(row.impact, Impact) if row.impact is not None else None
        return cls(
            urgency=Urgency(row.urgency),
            urgent_deadline=found.urgent_deadline if found else None,
            rules_version_before=row.rules_version_before,
            rules_version_after=row.rules_version_after,
            pr_ready_before=row.pr_before,
            pr_ready_after=row.pr_after,
            pr_days=found.pr_days if found else None,
            permits_gained=[ImpactPermit.of(p) for p in found.permits_gained] if found else [],
            permits_lost=[ImpactPermit.of(p) for p in found.permits_lost] if found else [],
            deadlines_moved=(
                [DeadlineShift.moved(m) for m in found.deadlines_moved]
                + [DeadlineShift.new(d) for d in found.deadlines_new]
                if found
                else []
            ),
            new_blockers=[ImpactFinding.of(f) for f in found.new_blockers] if found else [],
            new_risks=[ImpactFinding.of(f) for f in found.new_risks] if found else [],
            error=row.error,
            household_key=row.household_id,
            stored_plan_key=row.stored_plan_id,
        )


@strawberry.type(description="A caseload re-plan: every household with a stored plan, planned again under other rules.")
class CaseloadReplan:
    id: strawberry.ID = strawberry.field(description="The run's id (reopen it with `caseloadReplan`)")
    state: RunState = strawberry.field(description="Where it stands")
    rules_as_of: dt.date | None = strawberry.field(description="The date whose rules every step was planned with")
    rules_version: str = strawberry.field(description="The rules version the households were re-planned with")
    rules_versions_before: list[str] = strawberry.field(description="The rules versions of the stored plans compared")
    today: dt.date = strawberry.field(description="The day urgency is judged against")
    total: int = strawberry.field(description="Households in the run")
    done: int = strawberry.field(description="Households with a recorded result (failed ones included)")
    failed: int = strawberry.field(description="Households that could not be re-planned")
    households_per_second: float | None = strawberry.field(description="The rate so far (null before the first)")
    estimated_end: dt.datetime | None = strawberry.field(description="When it should end at that rate (while RUNNING)")
    created_at: dt.datetime = strawberry.field(description="When it was started")
    started_at: dt.datetime | None = strawberry.field(description="When its first household was submitted")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended")
    error: str | None = strawberry.field(description="FAILED: why")
    run_key: strawberry.Private[int]

    @described("Each household's impact report, most urgent first (failed ones last).")
    async def households(self, info: Info) -> list[HouseholdImpact]:
        async with info.context.reading(Replans) as repo:
            return [HouseholdImpact.from_row(row) for row in await repo.results(self.run_key)]

    @classmethod
    async def load(cls, repo: Replans, row: models.ReplanRun, now: dt.datetime) -> Self:
        done, failed = await repo.counts(row.id)
        started, finished = utc(row.started_at), utc(row.finished_at)
        rate, estimated_end = _rate(done, row.total, started, finished or now)
        befores = sorted({r.rules_version_before for r in await repo.results(row.id)})
        created = utc(row.created_at)
        assert created is not None
        return cls(
            id=global_id(TYPE_NAME, row.id),
            state=RunState(row.state),
            rules_as_of=row.rules_as_of,
            rules_version=row.rules_version,
            rules_versions_before=befores,
            today=row.today,
            total=row.total,
            done=done,
            failed=failed,
            households_per_second=rate,
            estimated_end=estimated_end if row.state == "RUNNING" else None,
            created_at=created,
            started_at=started,
            finished_at=finished,
            error=row.error,
            run_key=row.id,
        )


def _shifts(found: Impact | None) -> list[DeadlineShift]:
    """The moved deadlines (earlier first), then the new ones."""
    if found is None:
        return []
    return [DeadlineShift.moved(m) for m in found.deadlines_moved] + [DeadlineShift.new(d) for d in found.deadlines_new]


def _rate(
    done: int, total: int, started: dt.datetime | None, until: dt.datetime
) -> tuple[float | None, dt.datetime | None]:
    """Households per second since the run started, and the end that rate gives."""
    if started is None or done == 0:
        return None, None
    seconds = max((until - started).total_seconds(), 1e-3)
    rate = done / seconds
    return rate, until + dt.timedelta(seconds=(total - done) / rate)


ReplanResult = Annotated[CaseloadReplan | NotFound, strawberry.union("CaseloadReplanResult")]
StartReplanResult = Annotated[CaseloadReplan | InvalidInput, strawberry.union("StartCaseloadReplanResult")]


def _backend(info: Info) -> CaseloadReplans:
    found = info.context.services.replans
    if found is None:
        raise PublicError("caseload re-plans run only inside the service")
    return found


async def _run(info: Info, raw: str) -> CaseloadReplan | None:
    record_id = decode(raw, TYPE_NAME)
    if record_id is None:
        return None
    async with info.context.reading(Replans) as repo:
        row = await repo.get(models.ReplanRun, record_id)
        return None if row is None else await CaseloadReplan.load(repo, row, _now())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@strawberry.type
class ReplansMutation:
    @mutation(
        "Re-plans every household of your firm that has a stored plan, with the rules as of `rulesAsOf`, against "
        "its newest stored plan; returns the run at once (admins only). Stored plans are not replaced."
    )
    async def start_caseload_replan(
        self,
        info: Info,
        rules_as_of: Annotated[
            dt.date | None,
            strawberry.argument(description="The date whose rules apply to every step (null: each step's own day)"),
        ] = None,
        rules_version: Annotated[
            str | None,
            strawberry.argument(description="The rules version expected; refused when the service plans with another"),
        ] = None,
        today: Annotated[
            dt.date | None,
            strawberry.argument(description="The day urgency is judged against (default: today)"),
        ] = None,
    ) -> StartReplanResult:
        require(info.context.principal, lambda role: role.may_manage, "start caseload re-plans")
        replans = _backend(info)
        try:
            run_id = await replans.start(info.context.tenant_id, info.context.actor, rules_as_of, rules_version, today)
        except ValueError as error:
            return InvalidInput(errors=[FieldError(path="rulesVersion", message=str(error))])
        found = await _run(info, global_id(TYPE_NAME, run_id))
        assert found is not None
        return found

    @mutation("Cancels a queued or running caseload re-plan (a finished one is returned as it is; admins only).")
    async def cancel_caseload_replan(self, info: Info, id: strawberry.ID) -> ReplanResult:
        require(info.context.principal, lambda role: role.may_manage, "cancel caseload re-plans")
        replans = _backend(info)
        record_id = decode(id, TYPE_NAME)
        row = await replans.cancel(info.context.tenant_id, info.context.actor, record_id) if record_id else None
        if row is None:
            return not_found("id", id, TYPE_NAME)
        found = await _run(info, id)
        return found if found is not None else not_found("id", id, TYPE_NAME)


@strawberry.type
class ReplansQuery:
    @described("A caseload re-plan of your firm: its progress, then each household's impact report.")
    async def caseload_replan(self, info: Info, id: strawberry.ID) -> ReplanResult:
        found = await _run(info, id)
        return not_found("id", id, TYPE_NAME) if found is None else found


def _subscription(description: str) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.subscription(description=description))


@strawberry.type
class ReplansSubscription:
    @_subscription("The re-plan now, then again as households land (done/total, rate, estimated end) until it ends.")
    async def caseload_replan_updates(self, info: Info, id: strawberry.ID) -> AsyncGenerator[ReplanResult, None]:
        found = await _run(info, id)
        if found is None:
            yield not_found("id", id, TYPE_NAME)
            return
        replans = info.context.services.replans
        if replans is None:
            yield found
            return
        last: tuple[RunState, int] | None = None
        async for _ in replans.changes(info.context.tenant_id, found.run_key):
            try:
                current = await _run(info, id)
            except DATABASE_FAULTS:
                continue  # read again at the next change
            if current is None:
                return
            seen = (current.state, current.done)
            if seen != last:
                last = seen
                yield current
            if current.state in (RunState.DONE, RunState.FAILED, RunState.CANCELLED):
                return
