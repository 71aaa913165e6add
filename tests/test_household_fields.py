"""The household is described once, in `solver.domain`: every other description of it has exactly its fields.

The field lists are derived from the domain's dataclasses (the scenario's types, reached from `Scenario`, and
`PlanOptions`), so a field added there and forgotten in one place fails here, naming the place: the GraphQL
inputs of planScenario, the stored records' inputs, types and rows, the contract JSON reader and writer, the
database mapping and the plan options' check. Where a place differs on purpose, the difference is listed
below with the reason. Then a sample question with every field away from its default goes through each path
and must come back whole. (The migrations are held to the tables by tests/db/test_migrations.py.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
import sqlalchemy
import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.relay import GlobalID

from db import models
from db.models import NOMINATION_PREFIX, PR_PREFIX, STATUS_PREFIX
from db.repositories.households import Households
from db.scenario import household_to_scenario
from schema import inputs, planning, processing
from schema import types as records
from schema.services import Services
from solver.domain import (
    Child,
    Education,
    HeldPermit,
    LanguageTest,
    Nomination,
    Offer,
    PendingApplication,
    Person,
    Pin,
    PinKind,
    Plan,
    PlanOptions,
    PlanStatus,
    PrApplication,
    ProcessingTime,
    Role,
    Scenario,
    Status,
    WorkPeriod,
)
from solver.scenario_json import checked, parse_scenario, read_options, to_json
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD


def question_types() -> list[type]:
    """The domain's types of a planning question: those reachable from `Scenario`, then `PlanOptions`."""
    found: list[type] = []

    def visit(cls: type) -> None:
        if cls in found:
            return
        found.append(cls)
        for hint in typing.get_type_hints(cls).values():
            for inner in _inner_types(hint):
                if isinstance(inner, type) and dataclasses.is_dataclass(inner):
                    visit(inner)

    visit(Scenario)
    visit(PlanOptions)
    return found


def _inner_types(hint: Any) -> Iterator[Any]:
    args = typing.get_args(hint)
    if not args:
        yield hint
    for arg in args:
        yield from _inner_types(arg)


def names(cls: type) -> set[str]:
    """A dataclass's field names (a domain type, or a GraphQL input)."""
    return {f.name for f in dataclasses.fields(cls)}


def graphql_names(cls: type) -> set[str]:
    """A strawberry type's field names in Python (resolved fields included, private ones left out)."""
    return {f.python_name for f in cls.__strawberry_definition__.fields}  # type: ignore[attr-defined]


def column_names(model: type[models.Base], prefix: str | None = None) -> set[str]:
    """A table's columns and relationships; with `prefix`, only the columns under it, without it."""
    keys = set(sqlalchemy.inspect(model).attrs.keys())
    if prefix is None:
        return keys
    return {key.removeprefix(prefix) for key in keys if key.startswith(prefix)}


def member_names() -> set[str]:
    """A member's columns with the flattened status, nomination and PR application seen as the groups they are."""
    grouped = (STATUS_PREFIX, NOMINATION_PREFIX, PR_PREFIX)
    flat = {key for key in column_names(models.Member) if not key.startswith(grouped)}
    return flat | {"status", "provincial_nomination", "pr_application"}


# --- the places, and where each differs on purpose ----------------------------------------------------------

# What every stored record has beyond the facts: its identity (`_id`: a GraphQL node's global id) and its
# place in the household.
RECORD = frozenset(
    {"id", "_id", "tenant_id", "version", "created_at", "household_id", "household", "member_id", "member"}
)
# An offer's employer and filing: stored, shown and checked, but the planner does not use them.
EMPLOYER = frozenset({"employer_name", "hourly_wage", "offer_number", "compliance_fee_paid"})
# A permit record is any permit (planned, applied for, refused); the issued ones are the permit history, those
# applied for (APPLIED, with the day) the pending applications.
PERMIT_RECORD = frozenset(
    {"open", "status", "offer_ref", "offer_id", "offer", "applied_on", "inside_canada", "with_restoration"}
)
# Seen as a pending application, a permit record has the validity and kind of any permit beside it; a stored
# one names its offer by id (the GraphQL type by the offer itself), and db/scenario.py reads the ref from it.
APPLICATION_RECORD = frozenset({"open", "status", "valid_from", "valid_to"})
BY_OFFER_ID = frozenset({"offer_id", "offer"})
# Typed views of a field that is there (an enum or Money beside the contract's string or float): no fact of their own.
TYPED_VIEWS = frozenset({"province_code", "program_kind", "hourly_wage_money"})
# A member record is named, has its role, and keeps all its permits, not only the history derived from them.
MEMBER_RECORD = frozenset({"name", "role", "permits"})
DERIVED_HISTORY = frozenset({"permit_history", "pending_applications"})
# A stored household is named; its date and horizon are asked when it is planned (planHousehold's arguments).
HOUSEHOLD_RECORD = frozenset({"name"})
ASKED_WHEN_PLANNED = frozenset({"as_of", "horizon_months"})
# Updates change one record: the nested records are changed by their own mutations.
MEMBER_RECORDS = frozenset({"education", "language_tests", "work_history", "permit_history", "pending_applications"})
HOUSEHOLD_RECORDS = frozenset({"principal", "spouse", "offers"})


@dataclass(frozen=True)
class Place:
    """One description of a domain type: its field names, those it adds and those it keeps elsewhere."""

    name: str
    domain: type
    fields: set[str]
    extra: frozenset[str] = frozenset()
    missing: frozenset[str] = frozenset()


PLACES = [
    # planScenario and startPlan (schema/planning.py): the contract's inputs, one per domain type.
    *(
        Place(f"schema.planning.{cls.__name__}", domain, names(cls))
        for domain, cls in (
            (Scenario, planning.ScenarioInput),
            (Person, planning.PersonInput),
            (Status, planning.StatusInput),
            (HeldPermit, planning.HeldPermitInput),
            (Education, planning.EducationInput),
            (LanguageTest, planning.LanguageTestInput),
            (WorkPeriod, planning.WorkInput),
            (Nomination, planning.NominationInput),
            (PendingApplication, planning.PendingApplicationInput),
            (PrApplication, planning.PrApplicationInput),
            (Child, planning.ChildInput),
            (Offer, planning.OfferInput),
            (Pin, planning.PinInput),
            (PlanOptions, planning.PlanOptionsInput),
            (ProcessingTime, planning.ProcessingTimeInput),
        )
    ),
    # A firm's own processing time (schema/processing.py): the same fields as a request's.
    Place("schema.processing.SetProcessingTimeInput", ProcessingTime, names(processing.SetProcessingTimeInput)),
    # The plan options' check reads each option by name.
    Place(
        "solver.scenario_json.read_options",
        PlanOptions,
        set(inspect.signature(read_options).parameters) - {"cite_time_limit"},
    ),
    # The stored records' inputs (schema/inputs.py).
    Place(
        "schema.inputs.CreateHouseholdInput",
        Scenario,
        names(inputs.CreateHouseholdInput),
        HOUSEHOLD_RECORD,
        ASKED_WHEN_PLANNED,
    ),
    Place(
        "schema.inputs.UpdateHouseholdInput",
        Scenario,
        names(inputs.UpdateHouseholdInput),
        HOUSEHOLD_RECORD,
        ASKED_WHEN_PLANNED | HOUSEHOLD_RECORDS,
    ),
    Place(
        "schema.inputs.CreateMemberInput",
        Person,
        names(inputs.CreateMemberInput),
        MEMBER_RECORD - {"role"},  # the role is where the member is given: principal or spouse
        DERIVED_HISTORY,
    ),
    Place(
        "schema.inputs.UpdateMemberInput", Person, names(inputs.UpdateMemberInput), frozenset({"name"}), MEMBER_RECORDS
    ),
    Place("schema.inputs.MemberStatusInput", Status, names(inputs.MemberStatusInput)),
    Place("schema.inputs.MemberNominationInput", Nomination, names(inputs.MemberNominationInput)),
    Place("schema.inputs.MemberPrApplicationInput", PrApplication, names(inputs.MemberPrApplicationInput)),
    Place("schema.inputs.CreateEducationInput", Education, names(inputs.CreateEducationInput)),
    Place("schema.inputs.UpdateEducationInput", Education, names(inputs.UpdateEducationInput)),
    Place("schema.inputs.CreateLanguageTestInput", LanguageTest, names(inputs.CreateLanguageTestInput)),
    Place("schema.inputs.UpdateLanguageTestInput", LanguageTest, names(inputs.UpdateLanguageTestInput)),
    Place("schema.inputs.CreateWorkPeriodInput", WorkPeriod, names(inputs.CreateWorkPeriodInput)),
    Place("schema.inputs.UpdateWorkPeriodInput", WorkPeriod, names(inputs.UpdateWorkPeriodInput)),
    Place("schema.inputs.CreateOfferInput", Offer, names(inputs.CreateOfferInput), EMPLOYER),
    Place("schema.inputs.UpdateOfferInput", Offer, names(inputs.UpdateOfferInput), EMPLOYER),
    Place("schema.inputs.CreatePermitInput", HeldPermit, names(inputs.CreatePermitInput), PERMIT_RECORD),
    Place("schema.inputs.UpdatePermitInput", HeldPermit, names(inputs.UpdatePermitInput), PERMIT_RECORD),
    Place(
        "schema.inputs.CreatePermitInput (APPLIED)",
        PendingApplication,
        names(inputs.CreatePermitInput),
        APPLICATION_RECORD,
    ),
    Place(
        "schema.inputs.UpdatePermitInput (APPLIED)",
        PendingApplication,
        names(inputs.UpdatePermitInput),
        APPLICATION_RECORD,
    ),
    # The stored records as GraphQL types (schema/types.py); a household's members are shown by role.
    Place(
        "schema.types.Household",
        Scenario,
        graphql_names(records.Household),
        # `plans`: the household's stored plans (a connection), records of their own, not facts of the household.
        RECORD | HOUSEHOLD_RECORD | {"members", "plans"},
        ASKED_WHEN_PLANNED,
    ),
    Place(
        "schema.types.HouseholdMember",
        Person,
        graphql_names(records.HouseholdMember),
        RECORD | MEMBER_RECORD,
        DERIVED_HISTORY,
    ),
    Place("schema.types.MemberStatus", Status, graphql_names(records.MemberStatus)),
    Place("schema.types.ProvincialNomination", Nomination, graphql_names(records.ProvincialNomination), TYPED_VIEWS),
    Place("schema.types.PrApplication", PrApplication, graphql_names(records.PrApplication), TYPED_VIEWS),
    Place("schema.types.Child", Child, graphql_names(records.Child)),
    Place("schema.types.Pin", Pin, graphql_names(records.Pin)),
    Place("schema.types.Education", Education, graphql_names(records.Education), RECORD),
    Place("schema.types.LanguageTest", LanguageTest, graphql_names(records.LanguageTest), RECORD),
    Place("schema.types.WorkPeriod", WorkPeriod, graphql_names(records.WorkPeriod), RECORD),
    Place("schema.types.JobOffer", Offer, graphql_names(records.JobOffer), RECORD | EMPLOYER | TYPED_VIEWS),
    Place("schema.types.Permit", HeldPermit, graphql_names(records.Permit), RECORD | PERMIT_RECORD),
    Place(
        "schema.types.Permit (APPLIED)",
        PendingApplication,
        graphql_names(records.Permit),
        RECORD | APPLICATION_RECORD | BY_OFFER_ID,
        frozenset({"offer_ref"}),
    ),
    # The tables (db/models.py), which db/scenario.py reads by the domain's names.
    Place(
        "db.models.Household",
        Scenario,
        column_names(models.Household),
        RECORD | HOUSEHOLD_RECORD | {"members"},
        # The principal and the spouse are the members, by role.
        ASKED_WHEN_PLANNED | {"principal", "spouse"},
    ),
    Place("db.models.Member", Person, member_names(), RECORD | MEMBER_RECORD, DERIVED_HISTORY),
    Place(f"db.models.Member {STATUS_PREFIX}*", Status, column_names(models.Member, STATUS_PREFIX)),
    Place(f"db.models.Member {NOMINATION_PREFIX}*", Nomination, column_names(models.Member, NOMINATION_PREFIX)),
    Place(f"db.models.Member {PR_PREFIX}*", PrApplication, column_names(models.Member, PR_PREFIX)),
    Place("db.models.Child", Child, column_names(models.Child), RECORD),
    Place("db.models.HouseholdPin", Pin, column_names(models.HouseholdPin), RECORD),
    Place("db.models.Education", Education, column_names(models.Education), RECORD),
    Place("db.models.LanguageTest", LanguageTest, column_names(models.LanguageTest), RECORD),
    Place("db.models.WorkPeriod", WorkPeriod, column_names(models.WorkPeriod), RECORD),
    Place("db.models.JobOffer", Offer, column_names(models.JobOffer), RECORD | EMPLOYER),
    Place("db.models.Permit", HeldPermit, column_names(models.Permit), RECORD | PERMIT_RECORD),
    Place(
        "db.models.Permit (APPLIED)",
        PendingApplication,
        column_names(models.Permit),
        RECORD | APPLICATION_RECORD | BY_OFFER_ID,
        frozenset({"offer_ref"}),
    ),
]


def place_gaps(place: Place) -> list[str]:
    """How a place differs from its domain type beyond its listed differences (and listed ones that are stale)."""
    domain = names(place.domain)
    gaps = [f"{place.name} lacks {name}" for name in sorted(domain - place.missing - place.fields)]
    gaps += [
        f"{place.name} has {name}, which {place.domain.__name__} has not"
        for name in sorted(place.fields - domain - place.extra)
    ]
    gaps += [f"{place.name}: {name} is listed as missing but is there" for name in sorted(place.missing & place.fields)]
    return gaps


def test_every_type_of_the_question_has_its_places() -> None:
    described = {place.domain for place in PLACES}
    assert [cls.__name__ for cls in question_types() if cls not in described] == []


@pytest.mark.parametrize("place", PLACES, ids=[place.name for place in PLACES])
def test_each_place_has_exactly_the_domain_fields(place: Place) -> None:
    assert place_gaps(place) == []


def test_a_forgotten_field_is_named() -> None:
    place = Place("a place", Nomination, {"province", "nominated_on", "office"})
    assert place_gaps(place) == ["a place lacks employer_restricted", "a place has office, which Nomination has not"]


# --- a question with every field set, through each path ------------------------------------------------------

AS_OF = dt.date(2026, 6, 1)
# Values that the field checks (solver.fields) constrain; every other field gets a value other than its default.
VALID: dict[str, Any] = {
    "as_of": AS_OF,
    "birth_date": dt.date(1990, 4, 1),
    "citizenships": ("IN",),
    "noc_code": "21231",
    "province": "ON",
    "code": "C43",
    "permit_code": "C43",
    "lmia_exempt_code": "C10",
    "ref": "offer-1",
    "program": "CEC",
    "country": "PH",
}
# Every other date: before asOf, and the same day for both ends of a period (in order).
DAY = dt.date(2026, 1, 15)


def sample(cls: type[Any]) -> Any:
    """A valid `cls` with every field set and away from its default (one item in each tuple)."""
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else None
        values[f.name] = VALID[f.name] if f.name in VALID else _other_than(default, hints[f.name])
    return cls(**values)


def _other_than(default: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        return _other_than(default, inner)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return (_other_than(None, item),)
    if dataclasses.is_dataclass(hint):
        return sample(cast("type[Any]", hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return [member for member in hint if member != default][-1]
    if hint is bool:
        return not default if isinstance(default, bool) else True
    if hint is int:
        return default + 1 if isinstance(default, int) else 9
    if hint is float:
        return 37.5
    if hint is dt.date:
        return DAY
    if hint is str:
        return "text"
    raise AssertionError(f"no sample value for {hint}")


def sample_household() -> Scenario:
    """`sample(Scenario)` made consistent where the checks tie fields together: the principal is the foreign
    national with the whole file (a pending application for the offer the principal holds), the spouse the
    Canadian partner (no status, permit or application of their own), and of the two offers the one under an
    exemption code needs no LMIA while the other had its LMIA applied for."""
    every: Scenario = sample(Scenario)
    principal = dataclasses.replace(
        every.principal,
        canadian_status=None,
        pending_applications=tuple(
            dataclasses.replace(p, code="C10", offer_ref="offer-1") for p in every.principal.pending_applications
        ),
    )
    assert every.spouse is not None and every.spouse.canadian_status is not None
    spouse = dataclasses.replace(
        every.spouse, status=None, permit_history=(), pending_applications=(), pr_application=None, in_canada=True
    )
    (offer,) = every.offers
    exempt = dataclasses.replace(offer, holder=Role.PRINCIPAL, lmia_applied_on=None)
    lmia = dataclasses.replace(offer, ref="offer-2", lmia_exempt_code=None)
    return dataclasses.replace(every, principal=principal, spouse=spouse, offers=(exempt, lmia), pins=PINS)


# The principal's pins (the spouse is Canadian), one of each kind that reads a field, each field set by one.
PINS = (
    Pin(PinKind.APPLY, Role.PRINCIPAL, code="C43", apply_from=dt.date(2026, 7, 1), apply_to=dt.date(2026, 7, 31)),
    Pin(PinKind.TAKE_OFFER, Role.PRINCIPAL, offer_ref="offer-1"),
    Pin(PinKind.LEAD_PR, Role.PRINCIPAL, program="CEC"),
)


SCENARIO: Scenario = sample_household()
OPTIONS: PlanOptions = sample(PlanOptions)


def _away_from_defaults(value: object, path: str = "") -> Iterator[str]:
    """The paths of the fields of `value` (and of the values nested in it) left at their defaults."""
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _away_from_defaults(item, f"{path}[{i}]")
        return
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return
    for f in dataclasses.fields(value):
        here = f"{path}.{f.name}" if path else f.name
        current = getattr(value, f.name)
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if default is not dataclasses.MISSING and current == default:
            yield here
        yield from _away_from_defaults(current, here)


def test_the_sample_question_is_valid_and_sets_every_field_away_from_its_default() -> None:
    assert checked(SCENARIO, OPTIONS) == (SCENARIO, OPTIONS)
    assert SCENARIO.spouse is not None and SCENARIO.offers and SCENARIO.principal.education
    # Each field is away from its default in one member at least (a Canadian has no permits, and a foreign
    # national no Canadian status).
    left = set(_away_from_defaults(SCENARIO.principal)) & set(_away_from_defaults(SCENARIO.spouse))
    assert left == set()
    assert [path for path in _away_from_defaults(SCENARIO) if not path.startswith(("principal", "spouse", "pins"))] == [
        "offers[0].lmia_applied_on",
        "offers[1].lmia_exempt_code",
    ]
    # Each pin reads its kind's fields only; together they set every field.
    pin_fields = [
        {f.name for f in dataclasses.fields(pin) if getattr(pin, f.name) is not None} for pin in SCENARIO.pins
    ]
    assert set().union(*pin_fields) == names(Pin)


def test_the_contract_json_writer_and_reader_carry_every_field() -> None:
    assert parse_scenario(to_json(SCENARIO), to_json(OPTIONS)) == (SCENARIO, OPTIONS)


class _Recorder:
    """A plan backend that keeps the question it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[Scenario, PlanOptions]] = []

    async def plan(self, tenant_id: int, scenario: Scenario, options: PlanOptions, blockers: bool = True) -> Plan:
        self.asked.append((scenario, options))
        return Plan(status=PlanStatus.NO_SOLUTION, rules_version="test", solve_ms=0.0)


@dataclass
class _Context:
    services: Services
    tenant_id: int = 1


async def test_plan_scenario_inputs_carry_every_field() -> None:
    recorder = _Recorder()
    query = """query($s: ScenarioInput!, $o: PlanOptionsInput) {
        planScenario(scenario: $s, options: $o) { __typename } }"""
    result = await strawberry.Schema(query=planning.PlanningQuery).execute(
        query,
        variable_values={"s": to_json(SCENARIO), "o": to_json(OPTIONS)},
        context_value=_Context(Services(plans=cast("Any", recorder))),
    )
    assert result.errors is None
    assert recorder.asked == [(SCENARIO, OPTIONS)]


def _member_input(person: Person, name: str) -> dict[str, Any]:
    """A CreateMemberInput of `person`: its history as issued permits."""
    data = cast("dict[str, Any]", to_json(person))
    history = data.pop("permitHistory")
    pending = data.pop("pendingApplications")
    return {
        **data,
        "name": name,
        "permits": [{**held, "open": True, "status": "APPROVED"} for held in history]
        + [{**applied, "open": False, "status": "APPLIED"} for applied in pending],
    }


async def test_a_stored_household_carries_every_field(
    gql: Gql, sessions: async_sessionmaker[AsyncSession], tenant_id: int
) -> None:
    assert SCENARIO.spouse is not None
    data = {
        "name": "Every field",
        "principal": _member_input(SCENARIO.principal, "Principal"),
        "spouse": _member_input(SCENARIO.spouse, "Spouse"),
        "offers": [{**cast("dict[str, Any]", to_json(offer)), "employerName": "Acme"} for offer in SCENARIO.offers],
        "children": [to_json(child) for child in SCENARIO.children],
        "pins": [to_json(pin, drop_none=True) for pin in SCENARIO.pins],
    }
    created = await gql(CREATE_HOUSEHOLD, {"input": data})
    assert created["createHousehold"]["__typename"] == "HouseholdPayload", created
    household_id = int(GlobalID.from_id(created["createHousehold"]["household"]["id"]).node_id)
    async with sessions() as session:
        household = await Households(session, tenant_id=tenant_id).load_household_graph(household_id)
    assert household is not None
    assert household_to_scenario(household, AS_OF, horizon_months=SCENARIO.horizon_months) == SCENARIO
