"""A tenant's plan jobs, and the sweep that fails the jobs no process runs any more (across tenants)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PlanJob
from db.repositories.scoped import TenantScoped

UNFINISHED = ("RUNNING", "QUEUED")


class PlanJobs(TenantScoped):
    """The tenant's plan jobs: their progress, their owners' heartbeats, and the unfinished ones."""

    async def save_job(self, job: PlanJob, values: Mapping[str, Any]) -> PlanJob:
        """Records a job's progress (state, best plan, result) without an audit row: the system, not a person,
        moves a job along; starting and cancelling one are audited as the changes they are."""
        if job.tenant_id != self.tenant_id:
            raise ValueError(f"plan job {job.id} belongs to another tenant")  # a bug, not input
        for key, value in values.items():
            setattr(job, key, value)
        await self.session.flush()
        return job

    async def touch_jobs(self, owner: str, at: dt.datetime, held: Iterable[int]) -> list[int]:
        """The heartbeat of the tenant's unfinished jobs among `held` that `owner` runs, as of `at`; the ids it
        renewed (a held job missing from them was finished, or removed, by someone else)."""
        wanted = set(held)
        if not wanted:
            return []
        result = await self.session.execute(
            update(PlanJob)
            .where(
                PlanJob.tenant_id == self.tenant_id,
                PlanJob.owner == owner,
                PlanJob.state.in_(UNFINISHED),
                PlanJob.id.in_(wanted),
            )
            .values(heartbeat_at=at)
            .returning(PlanJob.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def unfinished_jobs(self, household_id: int) -> Sequence[PlanJob]:
        """The household's QUEUED or RUNNING plan jobs, by id."""
        query = self._scoped(PlanJob).where(PlanJob.household_id == household_id, PlanJob.state.in_(UNFINISHED))
        return (await self.session.scalars(query.order_by(PlanJob.id))).all()


@dataclass(frozen=True)
class Abandoned:
    """Which unfinished (QUEUED, RUNNING) plan jobs no process runs any more.

    With `stale_before`: the jobs whose heartbeat is older than it or missing, and every job of `gone_owner`
    (a previous run of the sweeping process); never those of `live_owner` (the sweeping process itself).
    With `orphans_of` instead of `live_owner`: only that owner's (the sweeping process's own) stale jobs that
    none of its tasks holds (not in `held`): their follower ended without writing their end.
    Without `stale_before`: every unfinished job (one process per database).
    """

    stale_before: dt.datetime | None = None
    gone_owner: str | None = None
    live_owner: str | None = None
    orphans_of: str | None = None
    held: frozenset[int] = frozenset()

    def condition(self) -> ColumnElement[bool]:
        """The jobs as a WHERE clause (for SQLite and other databases without row-level security)."""
        out: ColumnElement[bool] = PlanJob.state.in_(UNFINISHED)
        if self.stale_before is not None:
            lapsed = [PlanJob.heartbeat_at.is_(None), PlanJob.heartbeat_at < self.stale_before]
            if self.gone_owner is not None:
                lapsed.append(PlanJob.owner == self.gone_owner)
            out = and_(out, or_(*lapsed))
        if self.live_owner is not None:
            out = and_(out, or_(PlanJob.owner.is_(None), PlanJob.owner != self.live_owner))
        if self.orphans_of is not None:
            out = and_(out, PlanJob.owner == self.orphans_of)
            if self.held:
                out = and_(out, PlanJob.id.not_in(self.held))
        return out

    def sql(self) -> str:
        """The same clause as PostgreSQL text with literals (a DO block takes no parameters)."""
        parts = ["state IN ('RUNNING', 'QUEUED')"]
        if self.stale_before is not None:
            stale = f"{_literal(self.stale_before.isoformat())}::timestamptz"
            lapsed = ["heartbeat_at IS NULL", f"heartbeat_at < {stale}"]
            if self.gone_owner is not None:
                lapsed.append(f"owner = {_literal(self.gone_owner)}")
            parts.append("(" + " OR ".join(lapsed) + ")")
        if self.live_owner is not None:
            parts.append(f"(owner IS NULL OR owner <> {_literal(self.live_owner)})")
        if self.orphans_of is not None:
            parts.append(f"owner = {_literal(self.orphans_of)}")
            if self.held:
                parts.append("id NOT IN (" + ", ".join(str(int(i)) for i in sorted(self.held)) + ")")
        return " AND ".join(parts)


async def fail_unfinished_jobs(
    session: AsyncSession, reason: Callable[[str], str], which: Abandoned = Abandoned(), at: dt.datetime | None = None
) -> int:
    """Marks every tenant's `which` jobs FAILED with `reason(state)`, finished `at` (now); how many there were.

    Under PostgreSQL's row-level security a transaction sees one tenant's rows, so a server-side loop names
    each tenant in turn (one round trip, however many tenants) and leaves the count in a transaction setting;
    elsewhere one statement does.
    """
    running, queued = reason("RUNNING"), reason("QUEUED")
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        result = await session.execute(
            update(PlanJob)
            .where(which.condition())
            .values(
                state="FAILED",
                error=case((PlanJob.state == "RUNNING", running), else_=queued),
                finished_at=at or dt.datetime.now(dt.UTC),
            )
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
    sweep = _SWEEP.format(running=_literal(running), queued=_literal(queued), which=which.sql())
    await session.execute(text(sweep))
    swept = await session.scalar(text("SELECT current_setting('app.swept_jobs', true)"))
    return int(swept or 0)


def _literal(value: str) -> str:
    """A constant of this module's callers as an SQL string literal (a DO block takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"


_SWEEP = """DO $sweep$
DECLARE tenant integer; n integer; total integer := 0;
BEGIN
  FOR tenant IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    UPDATE plan_jobs SET state = 'FAILED', finished_at = now(),
      error = CASE state WHEN 'RUNNING' THEN {running} ELSE {queued} END
      WHERE tenant_id = tenant AND {which};
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
  END LOOP;
  PERFORM set_config('app.swept_jobs', total::text, true);
END
$sweep$"""
