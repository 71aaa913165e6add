"""Ids a client sends that cannot name a record (malformed, of another type, past the id columns' range) find
nothing wherever they are read, in each field's way of saying so (docs/integrators.md, "Not found"), and never
reach the database: PostgreSQL refuses an INTEGER parameter past 2^31 - 1. Both databases."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.relay.utils import to_base64

from schema.ids import MAX_RECORD_ID, decode, record_key
from tests.conftest import Gql

PAST_THE_RANGE = to_base64("Household", MAX_RECORD_ID + 1)
FIELDS: dict[str, tuple[str, Any]] = {
    "updateHousehold": (
        'mutation($id: ID!) { updateHousehold(id: $id, input: {name: "x"}) { ... on NotFound { path id } } }',
        {"path": "id", "id": PAST_THE_RANGE},
    ),
    "deleteHousehold": (
        "mutation($id: ID!) { deleteHousehold(id: $id) { ... on NotFound { path id } } }",
        {"path": "id", "id": PAST_THE_RANGE},
    ),
    "planHousehold": (
        "mutation($id: ID!) { planHousehold(householdId: $id) { ... on NotFound { path id } } }",
        {"path": "householdId", "id": PAST_THE_RANGE},
    ),
    "household": ("query($id: ID!) { household(id: $id) { id } }", None),
    "node": ("query($id: ID!) { node(id: $id) { id } }", None),
    "auditLog": ("query($id: ID!) { auditLog(recordId: $id) { edges { cursor } } }", {"edges": []}),
    "householdEligibility": ("query($id: ID!) { householdEligibility(id: $id) { code } }", None),
}


@pytest.mark.parametrize("field", FIELDS)
async def test_an_id_past_the_range_finds_nothing(gql: Gql, field: str) -> None:
    query, expected = FIELDS[field]
    assert await gql(query, {"id": PAST_THE_RANGE}) == {field: expected}


def test_what_an_id_may_name() -> None:
    assert [record_key(text) for text in ("1", "42", str(MAX_RECORD_ID))] == [1, 42, MAX_RECORD_ID]
    assert [record_key(text) for text in ("", "0", "-1", "+1", " 1", "1.0", "٣", str(MAX_RECORD_ID + 1))] == [None] * 8
    assert decode(to_base64("Household", 7), "Household") == 7
    assert [decode(raw, "Household") for raw in (to_base64("Permit", 7), "garbage!!", "SG91c2Vob2xk")] == [None] * 3
