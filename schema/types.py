"""The stored records as GraphQL types (Relay nodes); nested fields resolve through the request's loaders.

Field names are the contract's `ScenarioInput` names wherever the facts are the same (`birthDate`,
`citizenships`, `hoursPerWeek`, `earliestStart`, ...), so a client can copy a stored household into a
`planScenario` call.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Self, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader

from db import models
from schema.context import Context
from schema.enums import (
    CanadianStatus,
    Credential,
    InstitutionKind,
    LanguageTestKind,
    PermitStatus,
    PinKind,
    Province,
    PrProgram,
    Role,
    StatusKind,
    kind_of,
)
from schema.errors import PublicError
from schema.ids import record_key
from schema.money import Money
from schema.rules import described

if TYPE_CHECKING:
    from schema.stored_plans import StoredPlanConnection

Info = strawberry.Info[Context, None]
_VERSION = (
    "Counts the record's changes (1 when created); send it back as an update's `version` to be refused if it "
    "changed since."
)
T = TypeVar("T")
U = TypeVar("U")


def _then(pending: Awaitable[T], convert: Callable[[T], U]) -> U:
    """`convert` of a loader's answer: at once when it is already there (primed by a prefetch, or loaded
    earlier in the request), otherwise an awaitable of it, which graphql-core awaits (typed as the value
    so that strawberry reads the field's GraphQL type from the resolver). A list field that answers at once
    spares graphql-core a task and a gather per parent, which is most of the cost of a page of households."""
    if isinstance(pending, asyncio.Future) and pending.done() and pending.exception() is None:
        return convert(pending.result())

    async def later() -> U:
        return convert(await pending)

    return cast(U, later())


def _copy(cls: type[Any], row: models.TenantOwned, prefix: str = "") -> Any:
    """An instance of strawberry type `cls` from the row's attributes of the same names (under `prefix`)."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    return cls(**{name: getattr(row, prefix + name) for name in names})


async def load_nodes(cls: Any, loader: DataLoader[int, Any], node_ids: Iterable[str], required: bool) -> list[Any]:
    """The nodes of `cls` for `node_ids` in order, None for ids not in the tenant (an error when required)."""
    keys = list(node_ids)
    wanted = [record_key(key) for key in keys]
    found = iter(await loader.load_many([key for key in wanted if key is not None]))
    rows = [next(found) if key is not None else None for key in wanted]
    nodes = [cls.from_row(row) if row is not None else None for row in rows]
    if required and any(node is None for node in nodes):
        missing = [key for key, node in zip(keys, nodes, strict=True) if node is None]
        raise PublicError(f"no {cls.__name__} with id {', '.join(missing)}")
    return nodes


@strawberry.type(description="The status a member holds today (the contract's `StatusInput`).")
class MemberStatus:
    kind: StatusKind
    permit_code: str | None
    valid_to: dt.date
    employer_specific: bool


@strawberry.type(description="A provincial nomination (the contract's `NominationInput`).")
class ProvincialNomination:
    province: str
    nominated_on: dt.date
    employer_restricted: bool

    @described("`province` as an enum (null only for a code stored before provinces were checked).")
    def province_code(self) -> Province | None:
        return kind_of(Province, self.province)


@strawberry.type(description="A permanent-residence application submitted (the contract's `PrApplicationInput`).")
class PrApplication:
    program: str
    submitted_on: dt.date
    aor_on: dt.date | None

    @described("`program` as an enum (null only for a program stored before programs were checked).")
    def program_kind(self) -> PrProgram | None:
        return kind_of(PrProgram, self.program)


@strawberry.type(description="A dependent child of a household (the contract's `ChildInput`).")
class Child:
    birth_date: dt.date
    citizenships: list[str]
    in_canada: bool

    @classmethod
    def from_row(cls, row: models.Child) -> Self:
        """The GraphQL view of a stored child."""
        return cls(birth_date=row.birth_date, citizenships=list(row.citizenships), in_canada=row.in_canada)


@strawberry.type(
    name="HouseholdPin", description="A decision pinned for a stored household (the contract's `PinInput`)."
)
class Pin:
    kind: PinKind
    person: Role
    code: str | None = strawberry.field(description="APPLY, EXCLUDE: the category.")
    apply_from: dt.date | None = strawberry.field(description="APPLY: the first day it may be filed.")
    apply_to: dt.date | None = strawberry.field(description="APPLY: the last day it may be filed.")
    offer_ref: str | None = strawberry.field(description="TAKE_OFFER: the offer's ref.")
    program: str | None = strawberry.field(description="LEAD_PR: the PR program, when named.")

    @classmethod
    def from_row(cls, row: models.HouseholdPin) -> Self:
        """The GraphQL view of a stored pin."""
        return cls(
            kind=row.kind,
            person=row.person,
            code=row.code,
            apply_from=row.apply_from,
            apply_to=row.apply_to,
            offer_ref=row.offer_ref,
            program=row.program,
        )


@strawberry.type(description="A household: a principal applicant, an optional spouse, and the job offers they hold.")
class Household(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    name: str
    created_at: dt.datetime

    @strawberry.field
    def members(self, info: Info) -> list[HouseholdMember]:
        return _then(info.context.loaders.members_by_household.load(self.id), _members)

    @described("The principal applicant: every household has one (created with it, removed only with it).")
    def principal(self, info: Info) -> HouseholdMember:
        return _then(info.context.loaders.members_by_household.load(self.id), _principal_of(self.id))

    @strawberry.field
    def spouse(self, info: Info) -> HouseholdMember | None:
        return _then(info.context.loaders.members_by_household.load(self.id), _with_role(Role.SPOUSE))

    @strawberry.field
    def offers(self, info: Info) -> list[JobOffer]:
        return _then(info.context.loaders.offers_by_household.load(self.id), _rows_as(JobOffer))

    @described("Dependent children (fees, and the rules where children matter).")
    def children(self, info: Info) -> list[Child]:
        return _then(info.context.loaders.children_by_household.load(self.id), _rows_as(Child))

    @described(
        "The consultant's pinned decisions, in order: planHousehold plans around them (Plan.pins says what became "
        "of each)."
    )
    def pins(self, info: Info) -> list[Pin]:
        return _then(info.context.loaders.pins_by_household.load(self.id), _rows_as(Pin))

    @described(
        "The household's stored plans (`planHousehold`, and plan jobs of the household), newest first: a page of"
        " `first` (at most 100) after the cursor `after`."
    )
    async def plans(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many plans (0 to 100).")] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="An `endCursor` of this connection: the plans older than it.")
        ] = None,
    ) -> Annotated[StoredPlanConnection, strawberry.lazy("schema.stored_plans")]:
        from schema.stored_plans import plans_page  # stored_plans imports this module

        return await plans_page(info, self.id, first, after)

    @classmethod
    def from_row(cls, row: models.Household) -> Self:
        """The GraphQL view of a stored household."""
        created = row.created_at
        # SQLite hands back naive datetimes; they were written in UTC, so both databases answer alike.
        created = created if created.tzinfo is not None else created.replace(tzinfo=dt.UTC)
        return cls(id=row.id, version=row.version, name=row.name, created_at=created)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Household | None]:
        return await load_nodes(cls, info.context.loaders.household, node_ids, required)


@strawberry.type(description="A person of a household, with the facts of the contract's `PersonInput`.")
class HouseholdMember(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    role: Role
    name: str
    birth_date: dt.date
    citizenships: list[str]
    passport_expiry: dt.date | None
    in_canada: bool
    status: MemberStatus | None
    provincial_nomination: ProvincialNomination | None
    pr_application: PrApplication | None
    biometrics_given_on: dt.date | None = strawberry.field(
        description="The day biometrics were last given (they serve 10 years); null if never."
    )
    medical_exam_on: dt.date | None = strawberry.field(
        description="The day of the last immigration medical exam (valid 12 months); null if none."
    )
    canadian_status: CanadianStatus | None = strawberry.field(
        description="CITIZEN or PERMANENT_RESIDENT for a Canadian member; null for a foreign national."
    )
    household_id: strawberry.Private[int]

    @strawberry.field
    async def household(self, info: Info) -> Household:
        row = await info.context.loaders.household.load(self.household_id)
        if row is None:
            raise LookupError(f"member {self.id} has no household {self.household_id}")  # a broken invariant
        return Household.from_row(row)

    @strawberry.field
    def education(self, info: Info) -> list[Education]:
        return _then(info.context.loaders.education_by_member.load(self.id), _rows_as(Education))

    @strawberry.field
    def language_tests(self, info: Info) -> list[LanguageTest]:
        return _then(info.context.loaders.language_tests_by_member.load(self.id), _rows_as(LanguageTest))

    @strawberry.field
    def work_history(self, info: Info) -> list[WorkPeriod]:
        return _then(info.context.loaders.work_by_member.load(self.id), _rows_as(WorkPeriod))

    @strawberry.field
    def permits(self, info: Info) -> list[Permit]:
        return _then(info.context.loaders.permits_by_member.load(self.id), _rows_as(Permit))

    @classmethod
    def from_row(cls, row: models.Member) -> Self:
        """The GraphQL view of a stored member (status and nomination regrouped)."""
        status = None
        if row.status_kind is not None and row.status_valid_to is not None:
            status = _copy(MemberStatus, row, models.STATUS_PREFIX)
        nomination = None
        if row.nomination_province is not None and row.nomination_nominated_on is not None:
            nomination = _copy(ProvincialNomination, row, models.NOMINATION_PREFIX)
        pr_application = None
        if row.pr_program is not None and row.pr_submitted_on is not None:
            pr_application = _copy(PrApplication, row, models.PR_PREFIX)
        return cls(
            id=row.id,
            version=row.version,
            role=row.role,
            name=row.name,
            birth_date=row.birth_date,
            citizenships=list(row.citizenships),
            passport_expiry=row.passport_expiry,
            in_canada=row.in_canada,
            status=status,
            provincial_nomination=nomination,
            pr_application=pr_application,
            biometrics_given_on=row.biometrics_given_on,
            medical_exam_on=row.medical_exam_on,
            canadian_status=row.canadian_status,
            household_id=row.household_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[HouseholdMember | None]:
        return await load_nodes(cls, info.context.loaders.member, node_ids, required)


@strawberry.type
class _MemberChild:
    """Shared by the records that belong to one member."""

    member_id: strawberry.Private[int]

    @strawberry.field
    async def member(self, info: Info) -> HouseholdMember:
        row = await info.context.loaders.member.load(self.member_id)
        if row is None:
            raise LookupError(f"record has no member {self.member_id}")  # a broken invariant
        return HouseholdMember.from_row(row)


@strawberry.type
class Education(relay.Node, _MemberChild):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    credential: Credential
    institution: InstitutionKind
    canadian: bool
    pgwp_eligible_dli: bool
    field_of_study_eligible: bool
    full_time: bool
    start: dt.date
    completion: dt.date
    length_months: int | None
    study_permit_applied_on: dt.date | None
    member_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.Education) -> Self:
        """The GraphQL view of a stored education record."""
        result: Self = _copy(cls, row)
        return result

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Education | None]:
        return await load_nodes(cls, info.context.loaders.education, node_ids, required)


@strawberry.type(description="Results as CLB/NCLC levels (1-12) per ability.")
class LanguageTest(relay.Node, _MemberChild):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    test: LanguageTestKind
    taken: dt.date
    listening: int
    reading: int
    writing: int
    speaking: int
    member_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.LanguageTest) -> Self:
        """The GraphQL view of a stored language test."""
        result: Self = _copy(cls, row)
        return result

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[LanguageTest | None]:
        return await load_nodes(cls, info.context.loaders.language_test, node_ids, required)


@strawberry.type(description="A period of work (the contract's `WorkInput`); `end` is null while ongoing.")
class WorkPeriod(relay.Node, _MemberChild):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    noc_code: str
    start: dt.date
    end: dt.date | None
    hours_per_week: float
    in_canada: bool
    self_employed: bool
    while_full_time_student: bool
    authorized: bool
    member_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: models.WorkPeriod) -> Self:
        """The GraphQL view of a stored work period."""
        result: Self = _copy(cls, row)
        return result

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[WorkPeriod | None]:
        return await load_nodes(cls, info.context.loaders.work_period, node_ids, required)


@strawberry.type(description="A job offered to a member: the contract's `OfferInput` plus the employer's filing.")
class JobOffer(relay.Node):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    ref: str
    holder: Role
    employer_name: str
    noc_code: str
    province: str
    hours_per_week: float
    hourly_wage: float | None
    earliest_start: dt.date
    latest_start: dt.date | None
    months: int | None
    lmia_exempt_code: str | None
    lmia_approved: bool
    lmia_applied_on: dt.date | None = strawberry.field(
        description="the day the employer applied for the LMIA; with lmiaApproved false the LMIA is pending"
    )
    offer_number: str | None = strawberry.field(
        description="IRCC Employer Portal offer-of-employment number: 'A' and 7 digits."
    )
    compliance_fee_paid: bool = strawberry.field(description="Whether the employer paid the compliance fee.")
    household_id: strawberry.Private[int]

    @described("`province` as an enum (null only for a code stored before provinces were checked).")
    def province_code(self) -> Province | None:
        return kind_of(Province, self.province)

    @described("`hourlyWage` as exact money (CAD); null when unknown.")
    def hourly_wage_money(self) -> Money | None:
        return Money.cad(self.hourly_wage) if self.hourly_wage is not None else None

    @strawberry.field
    async def household(self, info: Info) -> Household:
        row = await info.context.loaders.household.load(self.household_id)
        if row is None:
            raise LookupError(f"offer {self.id} has no household {self.household_id}")  # a broken invariant
        return Household.from_row(row)

    @classmethod
    def from_row(cls, row: models.JobOffer) -> Self:
        """The GraphQL view of a stored offer."""
        result: Self = _copy(cls, row)
        return result

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[JobOffer | None]:
        return await load_nodes(cls, info.context.loaders.offer, node_ids, required)


@strawberry.type(description="A permit a member holds, applied for, or that is planned.")
class Permit(relay.Node, _MemberChild):
    id: relay.NodeID[int]
    version: int = strawberry.field(description=_VERSION)
    code: str = strawberry.field(description="Exemption code, e.g. C43 (PGWP), C41 (spousal open permit).")
    open: bool = strawberry.field(description="true for an open permit; false when it names one employer.")
    valid_from: dt.date | None
    valid_to: dt.date | None
    applied_on: dt.date | None
    status: PermitStatus
    inside_canada: bool = strawberry.field(
        description="false for an application processed outside Canada (e.g. under R197)"
    )
    with_restoration: bool = strawberry.field(description="true when filed together with a request to restore status")
    member_id: strawberry.Private[int]
    offer_id: strawberry.Private[int | None]

    @strawberry.field
    async def offer(self, info: Info) -> JobOffer | None:
        if self.offer_id is None:
            return None
        row = await info.context.loaders.offer.load(self.offer_id)
        return JobOffer.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: models.Permit) -> Self:
        """The GraphQL view of a stored permit."""
        result: Self = _copy(cls, row)
        return result

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Permit | None]:
        return await load_nodes(cls, info.context.loaders.permit, node_ids, required)


@strawberry.type(name="HouseholdConnection", description="A page of households.")
class HouseholdConnection(relay.Connection[Household]):
    pass


@strawberry.type(name="PermitConnection", description="A page of permits.")
class PermitConnection(relay.Connection[Permit]):
    pass


def _members(rows: list[models.Member]) -> list[HouseholdMember]:
    """A household's members, the principal first."""
    return [HouseholdMember.from_row(row) for row in sorted(rows, key=lambda r: r.role is not Role.PRINCIPAL)]


def _with_role(role: Role) -> Callable[[list[models.Member]], HouseholdMember | None]:
    def pick(rows: list[models.Member]) -> HouseholdMember | None:
        return next((HouseholdMember.from_row(r) for r in rows if r.role is role), None)

    return pick


def _principal_of(household_id: int) -> Callable[[list[models.Member]], HouseholdMember]:
    def pick(rows: list[models.Member]) -> HouseholdMember:
        member = _with_role(Role.PRINCIPAL)(rows)
        if member is None:
            raise LookupError(f"household {household_id} has no principal")  # a broken invariant (writes.py)
        return member

    return pick


def _rows_as(cls: Any) -> Callable[[list[Any]], list[Any]]:
    def convert(rows: list[Any]) -> list[Any]:
        return [cls.from_row(row) for row in rows]

    return convert
