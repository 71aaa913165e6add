"""The query-cost rule: objects cost 1, connections multiply by their page size, fragments count once."""

from __future__ import annotations

import pytest
from graphql import build_schema, parse, validate

from schema.cost import cost_limit_rule

SDL = """
type Query {
  households(first: Int, after: String): HouseholdConnection!  version: String!  nodes(ids: [ID!]!): [Household]!
}
type HouseholdConnection { edges: [HouseholdEdge!]! }
type HouseholdEdge { node: Household! }
type Household { id: ID!  name: String!  people(first: Int): PersonConnection!  principal: Person! }
type PersonConnection { edges: [PersonEdge!]! }
type PersonEdge { node: Person! }
type Person { name: String! }
"""
SCHEMA = build_schema(SDL)


def cost_errors(query: str, max_cost: int = 1000, page: int = 100) -> list[tuple[str, object]]:
    errors = validate(SCHEMA, parse(query), [cost_limit_rule(max_cost, page)])
    return [(e.message, (e.extensions or {}).get("cost")) for e in errors]


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        pytest.param("{ version }", 0, id="scalars-are-free"),
        pytest.param("{ households(first: 10) { edges { node { name } } } }", 21, id="page-of-10"),
        pytest.param("{ households(first: 2) { edges { node { principal { name } } } } }", 7, id="nested-object"),
        pytest.param(
            "{ households(first: 10) { edges { node { people(first: 5) { edges { node { name } } } } } } }",
            1 + 10 * (1 + (1 + (1 + 5 * (1 + 1)))),
            id="connection-in-connection",
        ),
        pytest.param(
            "query($n: Int) { households(first: $n) { edges { node { name } } } }", 1 + 100 * 2, id="variable-page"
        ),
        pytest.param('{ nodes(ids: ["a", "b", "c"]) { id } }', 1 + 3 * 0, id="ids-of-scalars"),
        pytest.param('{ nodes(ids: ["a", "b", "c"]) { principal { name } } }', 1 + 3 * 1, id="three-ids"),
        pytest.param("query($ids: [ID!]!) { nodes(ids: $ids) { principal { name } } }", 1 + 100, id="variable-ids"),
        pytest.param(
            "{ households(first: 1) { ...E } } fragment E on HouseholdConnection { edges { node { name } } }",
            3,
            id="fragment",
        ),
    ],
)
def test_cost(query: str, cost: int) -> None:
    errors = cost_errors(query, max_cost=cost - 1) if cost else []
    if cost:
        assert errors == [
            (
                f"Query cost {cost} exceeds the limit of {cost - 1}: ask for smaller pages (first) "
                "or fewer nested connections.",
                cost,
            )
        ]
    assert cost_errors(query, max_cost=cost) == []


def test_an_oversized_page_counts_as_the_largest_page() -> None:
    query = "{ households(first: 100000) { edges { node { name } } } }"
    assert cost_errors(query, max_cost=200, page=100)[0][1] == 201
