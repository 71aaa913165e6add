"""A firm's own processing times (`processing_overrides`): read for every plan the firm makes, set by an admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from db.models import ProcessingOverride
from db.repositories.scoped import TenantScoped
from solver.domain import ProcessingTime


class ProcessingOverrides(TenantScoped):
    """The tenant's processing times; every change is audited like any record's (TenantScoped)."""

    async def overrides(self) -> Sequence[ProcessingOverride]:
        """The firm's rows, oldest first (a later row wins a tie when figures are chosen)."""
        return (await self.session.scalars(self._scoped(ProcessingOverride).order_by(ProcessingOverride.id))).all()

    async def processing_times(self) -> tuple[ProcessingTime, ...]:
        """The firm's rows as the planner's overrides (`PlanOptions.processing`)."""
        return tuple(as_processing_time(row) for row in await self.overrides())

    async def find(
        self, code: str, inside_canada: bool, country: str | None, effective_from: dt.date | None, *, lock: bool = False
    ) -> ProcessingOverride | None:
        """The row for exactly this category, side, country and effective day, or None."""
        query = self._scoped(ProcessingOverride).where(
            ProcessingOverride.code == code,
            ProcessingOverride.inside_canada == inside_canada,
            ProcessingOverride.country.is_(None) if country is None else ProcessingOverride.country == country,
            ProcessingOverride.effective_from.is_(None)
            if effective_from is None
            else ProcessingOverride.effective_from == effective_from,
        )
        if lock:
            query = query.with_for_update(key_share=True)
        return await self.session.scalar(query)


def as_processing_time(row: ProcessingOverride) -> ProcessingTime:
    """A stored row as the planner's override."""
    return ProcessingTime(
        code=row.code,
        inside_canada=row.inside_canada,
        p50_days=row.p50_days,
        p90_days=row.p90_days,
        country=row.country,
        effective_from=row.effective_from,
    )
