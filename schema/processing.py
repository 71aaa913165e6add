"""A firm's own processing times: set or removed by an admin, listed to any key, applied to every plan the firm makes.

The firm's rows (`db.repositories.processing`) replace PROCESSING.*'s figures for the categories they name;
a request's `options.processing` replaces the firm's in turn (the planner takes the last of equals:
`with_firm_processing` puts the firm's first). Each change is one transaction with its audit row and the
tenant's revision bump (`schema.writes.run`), so `auditLog` shows it and a cached response made before it is
stale; the plan cache key covers the figures through `PlanOptions.processing` (solver/fingerprint.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

import strawberry

from db import models
from db.repositories.processing import ProcessingOverrides, as_processing_time
from schema.auth import require
from schema.errors import Deleted, FieldError, InvalidInput, NotFound
from schema.mutations import mutation
from schema.queries import described
from schema.types import Info
from schema.writes import Refusal, Refused, refuse_if, run
from solver import domain
from solver.scenario_json import processing_errors


@strawberry.type(description="One of your firm's own processing times, used in every plan your firm makes.")
class FirmProcessingTime:
    code: str = strawberry.field(description="The permit category code, e.g. C43.")
    inside_canada: bool = strawberry.field(description="Applications made inside Canada (else outside).")
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2: only a citizen's outside applications.")
    effective_from: dt.date | None = strawberry.field(description="Only applications filed on or after this day.")
    p50_days: int = strawberry.field(description="Expected processing days.")
    p90_days: int = strawberry.field(description="Slow processing days (at least p50Days).")

    @classmethod
    def of(cls, t: domain.ProcessingTime) -> FirmProcessingTime:
        """The GraphQL form of a stored processing time."""
        return cls(
            code=t.code,
            inside_canada=t.inside_canada,
            country=t.country,
            effective_from=t.effective_from,
            p50_days=t.p50_days,
            p90_days=t.p90_days,
        )


@strawberry.input(
    description="Your firm's processing time for one category, inside or outside Canada (and optionally one "
    "country, from one day): setting the same category, side, country and day again replaces its figures."
)
class SetProcessingTimeInput:
    code: str = strawberry.field(description="The permit category code, e.g. C43, A75, TFWP.")
    inside_canada: bool = strawberry.field(description="True for applications made inside Canada.")
    p50_days: int = strawberry.field(description="Expected processing days (0 to 3650).")
    p90_days: int = strawberry.field(description="Slow processing days (at least p50Days, at most 3650).")
    country: str | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2: only for applications from outside Canada by its citizen."
    )
    effective_from: dt.date | None = strawberry.field(
        default=None, description="Only for applications filed on or after this day (any day when null)."
    )

    def to_domain(self) -> domain.ProcessingTime:
        return domain.ProcessingTime(
            self.code, self.inside_canada, self.p50_days, self.p90_days, self.country, self.effective_from
        )


@strawberry.input(description="Which of your firm's processing times to remove: the rules' figures apply again.")
class RemoveProcessingTimeInput:
    code: str = strawberry.field(description="The permit category code.")
    inside_canada: bool = strawberry.field(description="True for the inside-Canada figure.")
    country: str | None = strawberry.field(default=None, description="The country it was set for, if any.")
    effective_from: dt.date | None = strawberry.field(default=None, description="The day it was set from, if any.")


SetProcessingTimeResult = Annotated[FirmProcessingTime | InvalidInput, strawberry.union("SetProcessingTimeResult")]
RemoveProcessingTimeResult = Annotated[Deleted | NotFound, strawberry.union("RemoveProcessingTimeResult")]


def input_errors(t: domain.ProcessingTime) -> list[FieldError]:
    """The checks of a request's processing times, with paths under `input` (one item, not a list)."""
    return [
        FieldError(path="input" + e.path.removeprefix("input[0]"), message=e.message)
        for e in processing_errors([t], "input")
    ]


async def _set(repo: ProcessingOverrides, t: domain.ProcessingTime) -> models.ProcessingOverride:
    refuse_if(input_errors(t))
    row = await repo.find(t.code, t.inside_canada, t.country, t.effective_from, lock=True)
    values = {"p50_days": t.p50_days, "p90_days": t.p90_days}
    if row is not None:
        return await repo.update(row, values)
    keys = {"code": t.code, "inside_canada": t.inside_canada, "country": t.country, "effective_from": t.effective_from}
    return await repo.add(models.ProcessingOverride, {**keys, **values})


def _manage(info: Info) -> None:
    require(info.context.principal, lambda role: role.may_manage, "set your firm's processing times (an admin key may)")


@strawberry.type
class ProcessingMutation:
    @mutation("Sets your firm's processing time for a category (admin keys): your firm's plans use it from now on.")
    async def set_processing_time(self, info: Info, input: SetProcessingTimeInput) -> SetProcessingTimeResult:
        _manage(info)
        wanted = input.to_domain()
        outcome = await run(info.context, lambda repo: _set(repo.sibling(ProcessingOverrides), wanted))
        if isinstance(outcome, InvalidInput):
            return outcome
        if isinstance(outcome, Refusal):
            return InvalidInput(errors=[FieldError(path="input", message="could not store it; retry")])
        return FirmProcessingTime.of(as_processing_time(outcome))

    @mutation("Removes one of your firm's processing times (admin keys): the rules' figures apply again.")
    async def remove_processing_time(self, info: Info, input: RemoveProcessingTimeInput) -> RemoveProcessingTimeResult:
        _manage(info)

        async def remove(repo: Any) -> Deleted:
            times = repo.sibling(ProcessingOverrides)
            row = await times.find(input.code, input.inside_canada, input.country, input.effective_from, lock=True)
            if row is None or not await times.delete(models.ProcessingOverride, row.id):
                message = "your firm has no processing time for this category, side, country and day"
                raise Refused(NotFound(path="input", id=strawberry.ID(input.code), message=message))
            return Deleted(id=strawberry.ID(input.code))

        outcome = await run(info.context, remove)
        if isinstance(outcome, NotFound | Deleted):
            return outcome
        return NotFound(path="input", id=strawberry.ID(input.code), message="could not remove it; retry")


@strawberry.type
class ProcessingQuery:
    @described("Your firm's own processing times, which replace the rules' in your firm's plans, oldest first.")
    async def processing_times(self, info: Info) -> list[FirmProcessingTime]:
        async with info.context.reading(ProcessingOverrides) as repo:
            return [FirmProcessingTime.of(t) for t in await repo.processing_times()]


async def with_firm_processing(context: Any, options: domain.PlanOptions) -> domain.PlanOptions:
    """`options` with the firm's processing times before the request's (the request's win a tie); unchanged
    outside a firm's request (no sessions to read them from) or for a firm without any."""
    if getattr(context, "sessions", None) is None or getattr(context, "tenant_id", None) is None:
        return options
    async with context.reading(ProcessingOverrides) as repo:
        firm = await repo.processing_times()
    if not firm:
        return options
    return dataclasses.replace(options, processing=firm + options.processing)
