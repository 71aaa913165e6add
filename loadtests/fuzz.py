"""schemathesis's GraphQL mode against the app in-process: every generated operation gets a clean answer.

    .venv/bin/python -m loadtests.fuzz [--cases 3000] [--database-url URL]

schemathesis writes one operation per root field of the served schema (queries and mutations, arguments
as literals, dates from year 1 to 9999, any string, any 32-bit integer); the cases are drawn up front with
a fixed seed, then sent over the ASGI transport with a key of each role that may send operation text, in
turn. A case fails when the answer is a 5xx or carries INTERNAL_SERVER_ERROR. Without a URL the run uses a
fresh SQLite file in a temporary folder. `tests/api/test_schemathesis.py` runs a few hundred of the same
cases per database in the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import schemathesis.graphql
from graphql import introspection_from_schema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from loadtests.literals import json_literal
from schema.root import schema

INTERNAL = "INTERNAL_SERVER_ERROR"
# Roles whose keys may send operation text (integrators send registered documents only); a read-only key
# is refused mutations before they are looked at, so mutations go to the others.
TEXT_ROLES = ("admin", "consultant", "readonly")
WRITING_ROLES = ("admin", "consultant")


# schemathesis knows no strategy for the JSON scalar (the inline scenarios of `eligibility` and `crs`).
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=12,
)
schemathesis.graphql.scalar("JSON", st.dictionaries(st.text(max_size=12), _JSON, max_size=6).map(json_literal))


def strategy() -> st.SearchStrategy[str]:
    """One generated operation (its text) for any root field of the served schema, as schemathesis writes them."""
    loaded = schemathesis.graphql.from_dict(dict(introspection_from_schema(schema._schema)))
    operations = [result.ok() for result in loaded.get_all_operations() if isinstance(result, Ok)]
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    return st.one_of(
        [op.as_strategy(generation_mode=mode).map(lambda case: str(case.body)) for op in operations for mode in modes]
    )


def generate(count: int) -> list[str]:
    """`count` operations (fewer if hypothesis runs out of new ones), the same list on every run."""
    drawn: list[str] = []
    cases = strategy()

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        drawn.append(data.draw(cases))

    draw()
    return drawn


@dataclass
class Outcome:
    """What the service answered to the cases: counts by HTTP status and error code, and the failures."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, int, str]] = field(default_factory=list)

    def record(self, query: str, response: httpx.Response) -> None:
        """Counts one answer; a 5xx or an INTERNAL_SERVER_ERROR is a failure."""
        self.cases += 1
        self.statuses[response.status_code] += 1
        try:
            errors = json.loads(response.text).get("errors") or []
        except ValueError:
            errors = [{"extensions": {"code": "NOT_JSON"}}]
        codes = [str((e.get("extensions") or {}).get("code")) for e in errors]
        self.codes.update(codes)
        if response.status_code >= 500 or INTERNAL in codes:
            self.failures.append((query, response.status_code, response.text[:500]))

    @property
    def internal(self) -> int:
        """Answers that were a 5xx or an INTERNAL_SERVER_ERROR."""
        return len(self.failures)


async def send(client: httpx.AsyncClient, keys: Mapping[str, str], queries: Sequence[str]) -> Outcome:
    """Sends each query with the next key (by role) in turn that may run it; one at a time, as the run measures
    answers, not load."""
    outcome = Outcome()
    for i, query in enumerate(queries):
        roles = WRITING_ROLES if query.lstrip().startswith("mutation") else TEXT_ROLES
        key = keys[roles[i % len(roles)]]
        headers = {"Authorization": f"Bearer {key}", "Accept": "application/graphql-response+json"}
        response = await client.post("/graphql", json={"query": query}, headers=headers)
        outcome.record(query, response)
    return outcome


async def _run(database_url: str, count: int) -> Outcome:
    # Imported here: the tests' helpers make tenants and keys through the app's own sessions.
    from api.keys import Role
    from tests.api.conftest import serve, settings_for

    queries = generate(count)
    overrides: dict[str, Any] = {"rate_capacity": 1e9, "rate_per_second": 1e9, "solve_time_cap_ms": 200}
    overrides["migrate_on_start"] = True
    async with serve(settings_for(database_url, **overrides)) as service:
        tenant = await service.tenant()
        keys = {role: await service.key(tenant, Role(role)) for role in TEXT_ROLES}
        return await send(service.client, keys, queries)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the cases and prints the counts; exits 1 when any answer was a 5xx or INTERNAL_SERVER_ERROR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--show", type=int, default=5, help="failures to print")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        outcome = asyncio.run(_run(url, args.cases))
    print(f"cases: {outcome.cases}")
    print(f"HTTP statuses: {dict(sorted(outcome.statuses.items()))}")
    print(f"error codes: {dict(outcome.codes.most_common())}")
    print(f"5xx or {INTERNAL}: {outcome.internal}")
    for query, status, text in outcome.failures[: args.show]:
        print(f"--- {status}\n{query}\n{text}")
    return 1 if outcome.internal else 0


if __name__ == "__main__":
    sys.exit(main())
