"""The served schema keeps the public contract: every type, field, argument and enum value, and every
contract operation validates as written. The contract files are copied into tests/fixtures/contract."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    parse,
    validate,
)

from schema.root import schema as served_schema

CONTRACT = Path(__file__).parent / "fixtures" / "contract"


def contract_gaps(contract: GraphQLSchema, served: GraphQLSchema) -> list[str]:
    """What the served schema lacks or types differently, one line per difference."""
    gaps: list[str] = []
    for name, want in contract.type_map.items():
        if name.startswith("__"):
            continue
        got = served.type_map.get(name)
        if got is None:
            gaps.append(f"type {name} is missing")
            continue
        if not isinstance(got, type(want)):
            gaps.append(f"type {name} is a {type(got).__name__}, contract says {type(want).__name__}")
            continue
        if isinstance(want, GraphQLEnumType) and isinstance(got, GraphQLEnumType):
            gaps += [f"enum {name} lacks {v}" for v in want.values if v not in got.values]
        if isinstance(want, GraphQLUnionType) and isinstance(got, GraphQLUnionType):
            members = {t.name for t in got.types}
            gaps += [f"union {name} lacks {t.name}" for t in want.types if t.name not in members]
        if isinstance(want, GraphQLObjectType | GraphQLInputObjectType) and isinstance(
            got, GraphQLObjectType | GraphQLInputObjectType
        ):
            for field_name, field in want.fields.items():
                served_field = got.fields.get(field_name)
                if served_field is None:
                    gaps.append(f"{name}.{field_name} is missing")
                    continue
                if str(served_field.type) != str(field.type):
                    gaps.append(f"{name}.{field_name} is {served_field.type}, contract says {field.type}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    served_arg = served_field.args.get(arg_name)
                    if served_arg is None:
                        gaps.append(f"{name}.{field_name}({arg_name}:) is missing")
                    elif str(served_arg.type) != str(arg.type):
                        gaps.append(f"{name}.{field_name}({arg_name}:) is {served_arg.type}, contract says {arg.type}")
    return gaps


def test_served_schema_contains_the_contract() -> None:
    contract = build_schema((CONTRACT / "schema.graphql").read_text())
    assert contract_gaps(contract, served_schema._schema) == []


def test_contract_operations_validate_against_the_served_schema() -> None:
    document = parse((CONTRACT / "operations.graphql").read_text())
    assert [e.message for e in validate(served_schema._schema, document)] == []


def test_the_checker_notices_a_missing_field() -> None:
    contract = build_schema("type Query { a: Int! b(x: Int): String }")
    served = build_schema("type Query { a: Int }")
    assert contract_gaps(contract, served) == ["Query.a is Int, contract says Int!", "Query.b is missing"]
