"""Every type, field, argument and enum value of the served schema carries a description.

A frontend developer or an RCIC reads the schema (GraphiQL, codegen comments) instead of the source: a
missing description is a missing answer to "in what unit, from what day, what does null mean". The walk
reads the served schema (what introspection answers), so a description set anywhere in strawberry counts.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.type import is_introspection_type, is_specified_scalar_type

from schema.root import UNMATCHED_DESCRIPTIONS, schema


def undescribed(served: GraphQLSchema) -> list[str]:
    """The coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) that carry no description."""
    missing: list[str] = []

    def blank(text: str | None) -> bool:
        return text is None or not text.strip()

    for name, type_ in sorted(served.type_map.items()):
        if is_introspection_type(type_) or is_specified_scalar_type(type_):
            continue
        if blank(type_.description):
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                if blank(field.description):
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg_name}:)"
                    for arg_name, arg in field.args.items()
                    if blank(arg.description)
                )
        elif isinstance(type_, GraphQLInputObjectType):
            missing.extend(f"{name}.{f}" for f, field in type_.fields.items() if blank(field.description))
        elif isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{v}" for v, value in type_.values.items() if blank(value.description))
        elif isinstance(type_, GraphQLUnionType):
            pass  # a union has no members of its own to describe; its member types are walked above
    return missing


def test_every_schema_element_is_described() -> None:
    missing = undescribed(schema._schema)
    assert missing == [], f"{len(missing)} schema elements have no description:\n" + "\n".join(missing)


def test_every_description_entry_names_a_schema_element() -> None:
    # An entry left behind by a renamed or removed field would describe nothing, silently.
    assert not UNMATCHED_DESCRIPTIONS, sorted(UNMATCHED_DESCRIPTIONS)
