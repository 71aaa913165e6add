"""The committed schema.graphql is the served schema, and the served schema keeps the public contract's names."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType

from schema.root import schema, sdl

COMMITTED = Path(__file__).parents[2] / "schema.graphql"


def test_committed_schema_is_current() -> None:
    assert COMMITTED.read_text() == sdl(), (
        "schema.graphql is stale: the served schema changed. Regenerate it with "
        "`.venv/bin/permitpath export-schema > schema.graphql` and commit it."
    )


def test_records_use_the_contract_field_names() -> None:
    served = sdl()
    for fragment in (
        "birthDate: Date!",
        "citizenships: [String!]!",
        "passportExpiry: Date",
        "inCanada: Boolean!",
        "pgwpEligibleDli: Boolean!",
        "studyPermitAppliedOn: Date",
        "nocCode: String!",
        "hoursPerWeek: Float!",
        "whileFullTimeStudent: Boolean!",
        "earliestStart: Date!",
        "lmiaExemptCode: String",
    ):
        assert fragment in served, fragment
    # The enum's values carry descriptions, printed between them: compare the values, not the printed text.
    person = schema._schema.type_map["Person"]
    assert isinstance(person, GraphQLEnumType)
    assert list(person.values) == ["PRINCIPAL", "SPOUSE"]
