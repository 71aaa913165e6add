"""Every record type goes create -> query -> update -> query -> delete over GraphQL, on both databases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input


@dataclass(frozen=True)
class Kind:
    """How one record type is created, read and changed over GraphQL."""

    type_name: str
    create: str  # mutation field
    parent_arg: str  # argument naming the parent ("" for households)
    payload_field: str
    fields: str
    create_input: dict[str, Any]
    created: dict[str, Any]
    update_input: dict[str, Any]
    updated: dict[str, Any]
    extra_args: str = ""

    @property
    def suffix(self) -> str:
        return self.create.removeprefix("create")


KINDS = [
    Kind(
        type_name="Household",
        create="createHousehold",
        parent_arg="",
        payload_field="household",
        fields="name members { name role }",
        create_input=household_input("Okoye", spouse=False, offers=0),
        created={"name": "Okoye", "members": [{"name": "Mei Tanaka", "role": "PRINCIPAL"}]},
        update_input={"name": "Okoye-Bello"},
        updated={"name": "Okoye-Bello", "members": [{"name": "Mei Tanaka", "role": "PRINCIPAL"}]},
    ),
    Kind(
        type_name="HouseholdMember",
        create="createMember",
        parent_arg="householdId",
        extra_args="role: SPOUSE",
        payload_field="member",
        fields="role name birthDate citizenships passportExpiry inCanada status { kind permitCode validTo "
        "employerSpecific } provincialNomination { province nominatedOn employerRestricted } education { credential }",
        create_input={
            "name": "Ama Okoye",
            "birthDate": "1993-05-01",
            "citizenships": ["GH", "GB"],
            "inCanada": False,
            "education": [
                {
                    "credential": "BACHELOR",
                    "institution": "UNIVERSITY",
                    "canadian": False,
                    "start": "2011-09-01",
                    "completion": "2015-06-30",
                },
            ],
        },
        created={
            "role": "SPOUSE",
            "name": "Ama Okoye",
            "birthDate": "1993-05-01",
            "citizenships": ["GH", "GB"],
            "passportExpiry": None,
            "inCanada": False,
            "status": None,
            "provincialNomination": None,
            "education": [{"credential": "BACHELOR"}],
        },
        update_input={
            "inCanada": True,
            "passportExpiry": "2030-02-28",
            "status": {"kind": "VISITOR", "validTo": "2026-08-31"},
            "provincialNomination": {"province": "SK", "nominatedOn": "2026-01-15"},
        },
        updated={
            "role": "SPOUSE",
            "name": "Ama Okoye",
            "birthDate": "1993-05-01",
            "citizenships": ["GH", "GB"],
            "passportExpiry": "2030-02-28",
            "inCanada": True,
            "status": {"kind": "VISITOR", "permitCode": None, "validTo": "2026-08-31", "employerSpecific": False},
            "provincialNomination": {"province": "SK", "nominatedOn": "2026-01-15", "employerRestricted": False},
            "education": [{"credential": "BACHELOR"}],
        },
    ),
    Kind(
        type_name="Education",
        create="createEducation",
        parent_arg="memberId",
        payload_field="education",
        fields="credential institution canadian pgwpEligibleDli fieldOfStudyEligible fullTime start completion "
        "lengthMonths studyPermitAppliedOn member { name }",
        create_input={
            "credential": "DIPLOMA",
            "institution": "COLLEGE",
            "canadian": True,
            "start": "2019-09-03",
            "completion": "2021-04-30",
            "studyPermitAppliedOn": "2019-05-01",
        },
        created={
            "credential": "DIPLOMA",
            "institution": "COLLEGE",
            "canadian": True,
            "pgwpEligibleDli": False,
            "fieldOfStudyEligible": True,
            "fullTime": True,
            "start": "2019-09-03",
            "completion": "2021-04-30",
            "lengthMonths": None,
            "studyPermitAppliedOn": "2019-05-01",
            "member": {"name": "Mei Tanaka"},
        },
        update_input={"pgwpEligibleDli": True, "lengthMonths": 20, "studyPermitAppliedOn": None},
        updated={
            "credential": "DIPLOMA",
            "institution": "COLLEGE",
            "canadian": True,
            "pgwpEligibleDli": True,
            "fieldOfStudyEligible": True,
            "fullTime": True,
            "start": "2019-09-03",
            "completion": "2021-04-30",
            "lengthMonths": 20,
            "studyPermitAppliedOn": None,
            "member": {"name": "Mei Tanaka"},
        },
    ),
    Kind(
        type_name="LanguageTest",
        create="createLanguageTest",
        parent_arg="memberId",
        payload_field="languageTest",
        fields="test taken listening reading writing speaking",
        create_input={
            "test": "TEF_CANADA",
            "taken": "2025-06-01",
            "listening": 7,
            "reading": 8,
            "writing": 6,
            "speaking": 7,
        },
        created={
            "test": "TEF_CANADA",
            "taken": "2025-06-01",
            "listening": 7,
            "reading": 8,
            "writing": 6,
            "speaking": 7,
        },
        update_input={"writing": 7},
        updated={
            "test": "TEF_CANADA",
            "taken": "2025-06-01",
            "listening": 7,
            "reading": 8,
            "writing": 7,
            "speaking": 7,
        },
    ),
    Kind(
        type_name="WorkPeriod",
        create="createWorkPeriod",
        parent_arg="memberId",
        payload_field="workPeriod",
        fields="nocCode start end hoursPerWeek inCanada selfEmployed whileFullTimeStudent authorized",
        create_input={
            "nocCode": "13110",
            "start": "2020-01-06",
            "end": "2022-03-31",
            "hoursPerWeek": 37.5,
            "inCanada": False,
        },
        created={
            "nocCode": "13110",
            "start": "2020-01-06",
            "end": "2022-03-31",
            "hoursPerWeek": 37.5,
            "inCanada": False,
            "selfEmployed": False,
            "whileFullTimeStudent": False,
            "authorized": True,
        },
        update_input={"end": None, "selfEmployed": True},
        updated={
            "nocCode": "13110",
            "start": "2020-01-06",
            "end": None,
            "hoursPerWeek": 37.5,
            "inCanada": False,
            "selfEmployed": True,
            "whileFullTimeStudent": False,
            "authorized": True,
        },
    ),
    Kind(
        type_name="JobOffer",
        create="createOffer",
        parent_arg="householdId",
        payload_field="offer",
        fields="ref holder employerName nocCode province hoursPerWeek hourlyWage earliestStart latestStart months "
        "lmiaExemptCode lmiaApproved offerNumber compliancePaid: complianceFeePaid household { name }",
        create_input={
            "ref": "ict",
            "holder": "PRINCIPAL",
            "employerName": "Borealis Ltd.",
            "nocCode": "20012",
            "province": "AB",
            "hoursPerWeek": 40,
            "earliestStart": "2026-05-01",
            "months": 24,
            "lmiaExemptCode": "C12",
            "offerNumber": "A7654321",
        },
        created={
            "ref": "ict",
            "holder": "PRINCIPAL",
            "employerName": "Borealis Ltd.",
            "nocCode": "20012",
            "province": "AB",
            "hoursPerWeek": 40.0,
            "hourlyWage": None,
            "earliestStart": "2026-05-01",
            "latestStart": None,
            "months": 24,
            "lmiaExemptCode": "C12",
            "lmiaApproved": False,
            "offerNumber": "A7654321",
            "compliancePaid": False,
            "household": {"name": "Tanaka"},
        },
        update_input={"complianceFeePaid": True, "hourlyWage": 71.25, "latestStart": "2026-07-01"},
        updated={
            "ref": "ict",
            "holder": "PRINCIPAL",
            "employerName": "Borealis Ltd.",
            "nocCode": "20012",
            "province": "AB",
            "hoursPerWeek": 40.0,
            "hourlyWage": 71.25,
            "earliestStart": "2026-05-01",
            "latestStart": "2026-07-01",
            "months": 24,
            "lmiaExemptCode": "C12",
            "lmiaApproved": False,
            "offerNumber": "A7654321",
            "compliancePaid": True,
            "household": {"name": "Tanaka"},
        },
    ),
    Kind(
        type_name="Permit",
        create="createPermit",
        parent_arg="memberId",
        payload_field="permit",
        fields="code open status validFrom validTo appliedOn offer { ref } member { name }",
        create_input={"code": "C12", "open": False, "status": "PLANNED", "offerRef": "offer-0"},
        created={
            "code": "C12",
            "open": False,
            "status": "PLANNED",
            "validFrom": None,
            "validTo": None,
            "appliedOn": None,
            "offer": {"ref": "offer-0"},
            "member": {"name": "Mei Tanaka"},
        },
        update_input={
            "status": "APPROVED",
            "appliedOn": "2026-01-10",
            "validFrom": "2026-02-01",
            "validTo": "2028-01-31",
        },
        updated={
            "code": "C12",
            "open": False,
            "status": "APPROVED",
            "validFrom": "2026-02-01",
            "validTo": "2028-01-31",
            "appliedOn": "2026-01-10",
            "offer": {"ref": "offer-0"},
            "member": {"name": "Mei Tanaka"},
        },
    ),
]


def _operations(kind: Kind) -> tuple[str, str, str, str]:
    payload = f"{kind.payload_field} {{ id {kind.fields} }}"
    refused = "... on InvalidInput { errors { path message } } ... on NotFound { path message }"
    selection = f"__typename ... on {kind.suffix}Payload {{ {payload} }} {refused}"
    args = ", ".join(a for a in (f"{kind.parent_arg}: $parent" if kind.parent_arg else "", kind.extra_args) if a)
    parent_var = "$parent: ID!, " if kind.parent_arg else ""
    create = (
        f"mutation({parent_var}$input: Create{kind.suffix}Input!) {{ {kind.create}({args}{', ' if args else ''}"
        f"input: $input) {{ {selection} }} }}"
    )
    update = (
        f"mutation($id: ID!, $input: Update{kind.suffix}Input!) {{ update{kind.suffix}(id: $id, input: $input) "
        f"{{ {selection} }} }}"
    )
    read = f"query($id: ID!) {{ node(id: $id) {{ __typename ... on {kind.type_name} {{ id {kind.fields} }} }} }}"
    delete = f"mutation($id: ID!) {{ delete{kind.suffix}(id: $id) {{ __typename ... on Deleted {{ id }} {refused} }} }}"
    return create, read, update, delete


@pytest.mark.parametrize("kind", KINDS, ids=[k.type_name for k in KINDS])
async def test_create_read_update_delete(gql: Gql, kind: Kind) -> None:
    parent: dict[str, Any] = {}
    if kind.parent_arg:
        household = (await gql(CREATE_HOUSEHOLD, {"input": household_input(spouse=False)}))["createHousehold"]
        parent_id = household["household"]["id"] if kind.parent_arg == "householdId" else None
        parent = {"parent": parent_id or household["household"]["principal"]["id"]}
    create, read, update, delete = _operations(kind)

    created = (await gql(create, {**parent, "input": kind.create_input}))[kind.create]
    record = created[kind.payload_field]
    record_id = record["id"]
    assert created["__typename"].endswith("Payload"), created
    assert record == {"id": record_id, **kind.created}

    assert await gql(read, {"id": record_id}) == {
        "node": {"__typename": kind.type_name, "id": record_id, **kind.created}
    }

    updated = (await gql(update, {"id": record_id, "input": kind.update_input}))[f"update{kind.suffix}"]
    assert updated[kind.payload_field] == {"id": record_id, **kind.updated}
    assert await gql(read, {"id": record_id}) == {
        "node": {"__typename": kind.type_name, "id": record_id, **kind.updated}
    }

    deleted = await gql(delete, {"id": record_id})
    assert deleted == {f"delete{kind.suffix}": {"__typename": "Deleted", "id": record_id}}
    assert await gql(read, {"id": record_id}) == {"node": None}
    again = await gql(delete, {"id": record_id})
    assert again == {
        f"delete{kind.suffix}": {
            "__typename": "NotFound",
            "path": "id",
            "message": f"no {kind.type_name} with id {record_id!r} in your firm",
        }
    }


async def test_null_clears_a_nested_group_and_left_out_fields_stay(gql: Gql) -> None:
    household = (await gql(CREATE_HOUSEHOLD, {"input": household_input()}))["createHousehold"]["household"]
    update = """mutation($id: ID!, $input: UpdateMemberInput!) { updateMember(id: $id, input: $input) {
        ... on MemberPayload { member { name citizenships status { kind } provincialNomination { province } } } } }"""
    result = await gql(update, {"id": household["principal"]["id"], "input": {"status": None, "name": "Mei Ito"}})
    assert result == {
        "updateMember": {
            "member": {"name": "Mei Ito", "citizenships": ["JP"], "status": None, "provincialNomination": None}
        }
    }
