"""Deleting a household stops its plans: its unfinished plan jobs are CANCELLED in the deletion's transaction,
and once that has committed the service's plan backend frees their solves (`api/plan_service.py`)."""

from __future__ import annotations

from db.models import Household
from db.repositories.households import Households
from db.repositories.jobs import PlanJobs
from schema import writes
from schema.context import Context
from schema.errors import Deleted
from schema.services import JobStopper


async def delete_household(context: Context, raw: str) -> Deleted | writes.Refusal:
    """Deletes the household (argument `id`) and cancels its unfinished plan jobs, in one transaction."""
    plans: JobStopper | None = context.services.plans
    cancelled: list[int] = []

    async def work(repo: Households) -> Deleted:
        if plans is not None:
            # Before the delete: its cascade forgets which household a job planned (household_id SET NULL).
            household_id = writes.decode_id(raw, Household, "id")
            cancelled.extend(await plans.cancel_household_jobs(repo.sibling(PlanJobs), household_id))
        return await writes.delete(repo, Household, raw)

    outcome = await writes.run(context, work)
    if plans is not None and isinstance(outcome, Deleted):
        plans.stop(cancelled)  # committed: the jobs' solves, queued or running, are no longer wanted
    return outcome
