"""GraphQL literals for generated documents (the fuzz script and the fuzz tests share them)."""

from __future__ import annotations

from typing import Any

import graphql
from hypothesis_graphql import nodes


def json_literal(value: Any) -> graphql.ValueNode:
    """A JSON value as a GraphQL literal (for the `JSON` scalar)."""
    if isinstance(value, dict):
        fields = [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=json_literal(v)) for k, v in value.items()
        ]
        return nodes.Object(fields)
    if isinstance(value, list):
        return nodes.List([json_literal(v) for v in value])
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if value is None:
        return nodes.Null
    return nodes.String(str(value))
