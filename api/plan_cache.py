"""The plan cache of `api/plan_service.py`: solved plans by question, in memory and in the database.

The key is `solver.fingerprint.plan_key` (scenario, options without the time limit, rules version), per
tenant; an in-process LRU answers first, the `cached_plans` table next (so a restart keeps the cache). A proven
optimum answers any time limit; a plan cut short by its limit (FEASIBLE, NO_SOLUTION) answers only that same
limit (the search is deterministic, so that is the same plan), and a solve under another limit replaces it.
Lookups count in `permitpath_plan_cache_total{result="hit"|"miss"}`, solves in `permitpath_solve_seconds`.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.lru import Lru
from api.observability import Metrics
from api.services import ApiServices
from db.plan_json import from_plain, to_plain
from db.repositories.plans import Plans
from solver import domain
from solver.fingerprint import plan_key
from solver.rules.registry import load_rules

# (time limit solved under, plan)
Entry = tuple[int, domain.Plan]


class PlanCache:
    """Plans by (tenant, plan key): an LRU of `memory_size` entries over the tenant's `cached_plans` rows."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], services: ApiServices, *, memory_size: int = 1024
    ) -> None:
        self._sessions = sessions
        self._services = services  # read at each use: tests and the lifespan may swap the metrics
        self._memory: Lru[tuple[int, str], Entry] = Lru(memory_size)

    def key(self, scenario: domain.Scenario, options: domain.PlanOptions, blockers: bool = True) -> str:
        """The cache key of a question under the rules this process plans with (a plan without its blockers
        is another answer)."""
        return plan_key(scenario, options, load_rules().version, blockers=blockers)

    async def lookup(self, tenant_id: int, key: str, time_limit_ms: int) -> domain.Plan | None:
        """The cached plan that answers `key` under `time_limit_ms`, or None (counted as a hit or a miss)."""
        entry = self._memory.get((tenant_id, key))
        if entry is None:
            async with self._sessions() as session:
                row = await Plans(session, tenant_id=tenant_id).cached_plan(key)
                # A row cached before plans carried deadlines would answer without them: solve it again.
                if row is not None and current(row.plan):
                    entry = (row.time_limit_ms, from_plain(row.plan, domain.Plan))
                    self._memory.put((tenant_id, key), entry)
        found = entry[1] if entry is not None and answers(entry, time_limit_ms) else None
        if (metrics := self._metrics) is not None:
            metrics.plan_cache.labels(result="miss" if found is None else "hit").inc()
        return found

    async def store(self, tenant_id: int, key: str, time_limit_ms: int, result: domain.Plan) -> None:
        """Keeps a solved plan (and counts the solve)."""
        if (metrics := self._metrics) is not None:
            metrics.solves.labels(status=result.status.value).observe(result.solve_ms / 1000.0)
        self._memory.put((tenant_id, key), (time_limit_ms, result))
        values = {"time_limit_ms": time_limit_ms, "status": result.status.value, "plan": to_plain(result)}
        try:
            async with self._sessions() as session, session.begin():
                await Plans(session, tenant_id=tenant_id).put_cached_plan(key, values)
        except IntegrityError:
            pass  # the same question was solved and stored at the same time: either copy will do

    @property
    def _metrics(self) -> Metrics | None:
        return self._services.metrics


def answers(entry: Entry, time_limit_ms: int) -> bool:
    """A proven optimum answers any limit; a plan cut short by its limit, only that limit."""
    limit, cached = entry
    return cached.status is domain.PlanStatus.OPTIMAL or limit == time_limit_ms


def current(stored: Mapping[str, object]) -> bool:
    """True when a stored plan's JSON has every field a plan now carries (`deadlines` came last)."""
    return "deadlines" in stored
