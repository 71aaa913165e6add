"""Mutation inputs. `Create*` inputs carry every fact of a record; `Update*` inputs only what changes.

An update field left out keeps the stored value; an explicit null clears a nullable one. Both turn into
column values (`columns()`, `changes()`) that `schema/checks.py` validates and the repository writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import strawberry

from db.models import NOMINATION_PREFIX, PR_PREFIX, STATUS_PREFIX
from schema.enums import CanadianStatus, Credential, InstitutionKind, LanguageTestKind, PermitStatus, Role, StatusKind
from schema.errors import FieldError
from schema.planning import ChildInput, PinInput
from solver import domain
from solver.assemble import null_message
from solver.scenario_json import camel

# Inputs whose nested lists are written as records of their own, not as columns.
_NESTED = frozenset(
    {"education", "language_tests", "work_history", "permits", "principal", "spouse", "offers", "children", "pins"}
)


def provided(data: object) -> dict[str, Any]:
    """The fields of an input that the client set (UNSET ones left out), nested record lists excluded."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, f.name)
        if value is not strawberry.UNSET and f.name not in _NESTED:
            out[f.name] = value
    return out


@strawberry.input(description="The status a member holds today (the contract's `StatusInput`).")
class MemberStatusInput:
    kind: StatusKind
    valid_to: dt.date
    permit_code: str | None = None
    employer_specific: bool | None = False


@strawberry.input(description="A provincial nomination (the contract's `NominationInput`).")
class MemberNominationInput:
    province: str
    nominated_on: dt.date
    employer_restricted: bool | None = False


@strawberry.input(description="A permanent-residence application submitted (the contract's `PrApplicationInput`).")
class MemberPrApplicationInput:
    program: str = strawberry.field(description="e.g. CEC, FSW, PNP, SPOUSAL (PR.programs lists them)")
    submitted_on: dt.date
    aor_on: dt.date | None = strawberry.field(
        default=None, description="acknowledgement of receipt; null while not yet received"
    )


# The member's nested inputs that are stored flat: the field, its columns' prefix, and its domain type.
_FLAT: tuple[tuple[str, str, type[Any]], ...] = (
    ("status", STATUS_PREFIX, domain.Status),
    ("provincial_nomination", NOMINATION_PREFIX, domain.Nomination),
    ("pr_application", PR_PREFIX, domain.PrApplication),
)


def _flatten(values: dict[str, Any]) -> dict[str, Any]:
    """Status and nomination inputs as their member columns, one per field of the domain's type (null clears
    every column of the group: to the field's default, else null)."""
    for name, prefix, kind in _FLAT:
        if name not in values:
            continue
        group = values.pop(name)
        for f in dataclasses.fields(kind):
            cleared = None if f.default is dataclasses.MISSING else f.default
            values[prefix + f.name] = cleared if group is None else getattr(group, f.name)
    return values


@strawberry.input
class CreateEducationInput:
    credential: Credential
    institution: InstitutionKind
    canadian: bool
    start: dt.date
    completion: dt.date = strawberry.field(description="Date of written confirmation of completion.")
    pgwp_eligible_dli: bool | None = False
    field_of_study_eligible: bool | None = True
    full_time: bool | None = True
    length_months: int | None = None
    study_permit_applied_on: dt.date | None = None


@strawberry.input
class UpdateEducationInput:
    credential: Credential | None = strawberry.UNSET
    institution: InstitutionKind | None = strawberry.UNSET
    canadian: bool | None = strawberry.UNSET
    start: dt.date | None = strawberry.UNSET
    completion: dt.date | None = strawberry.UNSET
    pgwp_eligible_dli: bool | None = strawberry.UNSET
    field_of_study_eligible: bool | None = strawberry.UNSET
    full_time: bool | None = strawberry.UNSET
    length_months: int | None = strawberry.UNSET
    study_permit_applied_on: dt.date | None = strawberry.UNSET


@strawberry.input(description="Results as CLB/NCLC levels (1-12) per ability.")
class CreateLanguageTestInput:
    test: LanguageTestKind
    taken: dt.date
    listening: int
    reading: int
    writing: int
    speaking: int


@strawberry.input
class UpdateLanguageTestInput:
    test: LanguageTestKind | None = strawberry.UNSET
    taken: dt.date | None = strawberry.UNSET
    listening: int | None = strawberry.UNSET
    reading: int | None = strawberry.UNSET
    writing: int | None = strawberry.UNSET
    speaking: int | None = strawberry.UNSET


@strawberry.input
class CreateWorkPeriodInput:
    noc_code: str = strawberry.field(description="5-digit NOC 2021 code")
    start: dt.date
    hours_per_week: float
    in_canada: bool
    end: dt.date | None = None
    self_employed: bool | None = False
    while_full_time_student: bool | None = False
    authorized: bool | None = True


@strawberry.input
class UpdateWorkPeriodInput:
    noc_code: str | None = strawberry.UNSET
    start: dt.date | None = strawberry.UNSET
    hours_per_week: float | None = strawberry.UNSET
    in_canada: bool | None = strawberry.UNSET
    end: dt.date | None = strawberry.UNSET
    self_employed: bool | None = strawberry.UNSET
    while_full_time_student: bool | None = strawberry.UNSET
    authorized: bool | None = strawberry.UNSET


@strawberry.input(description="A job offer: the contract's `OfferInput` plus the employer's details.")
class CreateOfferInput:
    ref: str = strawberry.field(description="Unique within the household; permits name their offer by it.")
    holder: Role
    employer_name: str
    noc_code: str
    province: str
    hours_per_week: float
    earliest_start: dt.date
    hourly_wage: float | None = None
    latest_start: dt.date | None = None
    months: int | None = None
    lmia_exempt_code: str | None = None
    lmia_approved: bool | None = False
    lmia_applied_on: dt.date | None = strawberry.field(
        default=None, description="the day the employer applied for the LMIA; with lmiaApproved false it is pending"
    )
    offer_number: str | None = strawberry.field(
        default=None, description="IRCC Employer Portal offer-of-employment number: 'A' and 7 digits."
    )
    compliance_fee_paid: bool | None = False


@strawberry.input
class UpdateOfferInput:
    ref: str | None = strawberry.UNSET
    holder: Role | None = strawberry.UNSET
    employer_name: str | None = strawberry.UNSET
    noc_code: str | None = strawberry.UNSET
    province: str | None = strawberry.UNSET
    hours_per_week: float | None = strawberry.UNSET
    earliest_start: dt.date | None = strawberry.UNSET
    hourly_wage: float | None = strawberry.UNSET
    latest_start: dt.date | None = strawberry.UNSET
    months: int | None = strawberry.UNSET
    lmia_exempt_code: str | None = strawberry.UNSET
    lmia_approved: bool | None = strawberry.UNSET
    lmia_applied_on: dt.date | None = strawberry.UNSET
    offer_number: str | None = strawberry.UNSET
    compliance_fee_paid: bool | None = strawberry.UNSET


@strawberry.input
class CreatePermitInput:
    code: str = strawberry.field(description="Exemption code, e.g. C43")
    open: bool
    status: PermitStatus
    offer_ref: str | None = strawberry.field(default=None, description="`ref` of an offer of the same household")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    applied_on: dt.date | None = strawberry.field(
        default=None, description="With status APPLIED: the application is pending (the planner starts from it)."
    )
    inside_canada: bool | None = strawberry.field(
        default=True, description="false for an application processed outside Canada (e.g. under R197)"
    )
    with_restoration: bool | None = strawberry.field(
        default=False, description="true when filed together with a request to restore status"
    )


@strawberry.input
class UpdatePermitInput:
    code: str | None = strawberry.UNSET
    open: bool | None = strawberry.UNSET
    status: PermitStatus | None = strawberry.UNSET
    offer_ref: str | None = strawberry.UNSET
    valid_from: dt.date | None = strawberry.UNSET
    valid_to: dt.date | None = strawberry.UNSET
    applied_on: dt.date | None = strawberry.UNSET
    inside_canada: bool | None = strawberry.UNSET
    with_restoration: bool | None = strawberry.UNSET


@strawberry.input(description="A person and their records, written in one go.")
class CreateMemberInput:
    name: str
    birth_date: dt.date
    citizenships: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes")
    in_canada: bool
    passport_expiry: dt.date | None = None
    status: MemberStatusInput | None = None
    provincial_nomination: MemberNominationInput | None = None
    pr_application: MemberPrApplicationInput | None = None
    biometrics_given_on: dt.date | None = strawberry.field(
        default=None, description="The day biometrics were last given (they serve 10 years); null if never."
    )
    medical_exam_on: dt.date | None = strawberry.field(
        default=None, description="The day of the last immigration medical exam (valid 12 months); null if none."
    )
    canadian_status: CanadianStatus | None = strawberry.field(
        default=None, description="CITIZEN or PERMANENT_RESIDENT for a Canadian member; null for a foreign national."
    )
    education: list[CreateEducationInput] | None = strawberry.field(default_factory=list)
    language_tests: list[CreateLanguageTestInput] | None = strawberry.field(default_factory=list)
    work_history: list[CreateWorkPeriodInput] | None = strawberry.field(default_factory=list)
    permits: list[CreatePermitInput] | None = strawberry.field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        """The member's own columns (nested records excluded)."""
        return _flatten(provided(self))


@strawberry.input
class UpdateMemberInput:
    name: str | None = strawberry.UNSET
    birth_date: dt.date | None = strawberry.UNSET
    citizenships: list[str] | None = strawberry.UNSET
    in_canada: bool | None = strawberry.UNSET
    passport_expiry: dt.date | None = strawberry.UNSET
    status: MemberStatusInput | None = strawberry.UNSET
    provincial_nomination: MemberNominationInput | None = strawberry.UNSET
    pr_application: MemberPrApplicationInput | None = strawberry.UNSET
    biometrics_given_on: dt.date | None = strawberry.UNSET
    medical_exam_on: dt.date | None = strawberry.UNSET
    canadian_status: CanadianStatus | None = strawberry.UNSET

    def changes(self) -> dict[str, Any]:
        """The member columns this update sets."""
        return _flatten(provided(self))


@strawberry.input(description="A household with its principal, optional spouse and offers, written in one go.")
class CreateHouseholdInput:
    name: str
    principal: CreateMemberInput
    spouse: CreateMemberInput | None = None
    offers: list[CreateOfferInput] | None = strawberry.field(default_factory=list)
    children: list[ChildInput] | None = strawberry.field(
        default_factory=list, description="Dependent children (fees, and the rules where children matter)"
    )
    pins: list[PinInput] | None = strawberry.field(
        default_factory=list,
        description="The consultant's pinned decisions, in order; planHousehold plans around them.",
    )


@strawberry.input
class UpdateHouseholdInput:
    name: str | None = strawberry.UNSET
    children: list[ChildInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The household's children, all of them: replaces the stored list."
    )
    pins: list[PinInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The household's pins, all of them, in order: replaces the stored list ([] unpins everything).",
    )


def null_defaults(data: object, path: str) -> list[FieldError]:
    """Every explicit null in `data` (and the inputs nested in it) for a field that has a default: an error
    naming its path, as for planScenario's inputs (`solver.assemble`); the default is had by leaving it out."""
    errors: list[FieldError] = []
    for f in dataclasses.fields(data):  # type: ignore[arg-type]
        value = getattr(data, f.name)
        where = f"{path}.{camel(f.name)}"
        if value is None:
            if f.default_factory is not dataclasses.MISSING:
                errors.append(FieldError(path=where, message=null_message(f.default_factory())))
            elif f.default not in (None, dataclasses.MISSING, strawberry.UNSET):
                errors.append(FieldError(path=where, message=null_message(f.default)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    errors += null_defaults(item, f"{where}[{i}]")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            errors += null_defaults(value, where)
    return errors


# The lists `saveHouseholdFacts` replaces (schema/record_lists.py).
_REPLACES = (
    "{what}, all of them: the list stored afterwards (a record equal to a stored one is kept as it is). Left "
    "out: unchanged."
)


@strawberry.input(description="What changes in one member in `saveHouseholdFacts`, with the version it was read at.")
class MemberFactsInput(UpdateMemberInput):
    version: int | None = strawberry.field(
        default=None,
        description="The member's `version` as you read it: a member changed since (or removed) is refused as a "
        "Conflict at this field, nothing written. Left out, the last writer wins; leave it out for a new spouse.",
    )

    education: list[CreateEducationInput] | None = strawberry.field(
        default=strawberry.UNSET, description=_REPLACES.format(what="The member's education records")
    )
    language_tests: list[CreateLanguageTestInput] | None = strawberry.field(
        default=strawberry.UNSET, description=_REPLACES.format(what="The member's language tests")
    )
    work_history: list[CreateWorkPeriodInput] | None = strawberry.field(
        default=strawberry.UNSET, description=_REPLACES.format(what="The member's work periods")
    )
    permits: list[CreatePermitInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=_REPLACES.format(what="The member's permits (held, applied for, planned)")
        + " A permit's offerRef names an offer as this save leaves them.",
    )

    def changes(self) -> dict[str, Any]:
        """The member columns this save sets (the version is checked, not set)."""
        return {column: value for column, value in super().changes().items() if column != "version"}


@strawberry.input(
    description="A household's own changes and its members', saved together by `saveHouseholdFacts`: a field left "
    "out keeps its value."
)
class HouseholdFactsInput(UpdateHouseholdInput):
    principal: MemberFactsInput | None = strawberry.field(
        default=strawberry.UNSET, description="What changes in the principal applicant; left out: nothing."
    )
    spouse: MemberFactsInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="What changes in the spouse; for a household without one, the new spouse's facts (name, "
        "birthDate, citizenships and inCanada required). Left out: nothing.",
    )
    offers: list[CreateOfferInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=_REPLACES.format(what="The household's job offers")
        + " An offer whose ref is stored is updated in place (its permits and pins keep it).",
    )
