"""Fuzzing the served app with hypothesis-graphql: generated queries and mutations, sent over HTTP with a
tenant's admin key, never get a 5xx or a traceback, and never show another tenant's records.

Tenant B's records carry a marker; every response to tenant A is searched for it and for B's ids.
`planScenario` and `comparePlanScenarios` (two solves) are left to the planner's own property tests (each solve
takes up to its time limit).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from api.keys import Role
from loadtests.literals import json_literal
from schema.root import schema
from tests.api.conftest import Service
from tests.schema.records import household_input

SCHEMA = schema.as_str()
MARKER = f"zz-secret-{uuid.uuid4().hex[:8]}"
_QUERY_TYPE = schema._schema.query_type
assert _QUERY_TYPE is not None
QUERY_FIELDS = [name for name in _QUERY_TYPE.fields if name not in ("planScenario", "comparePlanScenarios")]
CREATE = """mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) {
  ... on HouseholdPayload { household { id members { id } offers { id } } } } }"""


# Every date, year 1 to 9999: a date outside the accepted range must be refused, not crash the service.
_dates = st.dates()
_json = st.recursive(
    st.booleans() | st.integers(-10, 10_000) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.from_regex(r"[a-zA-Z]{1,10}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=8,
)
SCALARS = {
    "Date": _dates.map(lambda d: nodes.String(d.isoformat())),
    "DateTime": st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: nodes.String(d.isoformat())),
    "JSON": _json.map(json_literal),
}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


class Secrets:
    """Tenant B's marker and record ids, which no response to tenant A may contain."""

    def __init__(self, ids: list[str]) -> None:
        self.needles = [MARKER, *ids]

    def check(self, response_text: str) -> None:
        leaked = [needle for needle in self.needles if needle in response_text]
        assert not leaked, f"another tenant's data in a response: {leaked}"


@pytest.fixture
async def intruder(service: Service) -> tuple[str, Secrets]:
    """Tenant A's admin key (with a household of its own), and tenant B's secrets."""
    a, b = await service.tenant(), await service.tenant()
    a_admin = await service.key(a, Role.ADMIN)
    await service.data(CREATE, a_admin, {"input": household_input("Mine")})
    b_key = await service.key(b, Role.CONSULTANT)
    victim = household_input(MARKER)
    victim["principal"]["name"] = f"{MARKER} principal"
    created = (await service.data(CREATE, b_key, {"input": victim}))["createHousehold"]["household"]
    ids = [created["id"], *(m["id"] for m in created["members"]), *(o["id"] for o in created["offers"])]
    # The marker is findable where it belongs, so its absence from A's responses means something.
    assert MARKER in (await service.post({"query": "{ households { edges { node { name } } } }"}, b_key)).text
    return a_admin, Secrets(ids)


async def _send(service: Service, key: str, secrets: Secrets, query: str) -> None:
    response = await service.post({"query": query}, key, accept="application/graphql-response+json")
    text = response.text
    assert response.status_code < 500, (query, text)
    assert response.status_code in (200, 400), (query, response.status_code, text)
    assert "Traceback" not in text and 'File "' not in text, (query, text)
    body = json.loads(text)
    for error in body.get("errors", []):
        assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR", (query, error)
    secrets.check(text)


@FUZZ
@given(query=queries(SCHEMA, fields=QUERY_FIELDS, custom_scalars=SCALARS))
async def test_generated_queries(service: Service, intruder: tuple[str, Secrets], query: str) -> None:
    key, secrets = intruder
    await _send(service, key, secrets, query)


@FUZZ
@given(query=mutations(SCHEMA, custom_scalars=SCALARS))
async def test_generated_mutations(service: Service, intruder: tuple[str, Secrets], query: str) -> None:
    key, secrets = intruder
    await _send(service, key, secrets, query)
