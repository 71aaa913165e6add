"""The work of each mutation: find the records it names, validate, write; all in one transaction.

A mutation either commits everything or nothing: `run` opens the transaction, and any refusal (bad input,
unknown id, a conflict), even after some rows were flushed, rolls it back and comes out as a typed result.

Concurrent writers: a mutation reads the records it changes, or the parent it adds to, under a row lock
(`fetch(..., lock=True)`, its first statement), so an update's audit names the values it really replaced,
a `version` check cannot be overtaken, and a count against a stored limit stays true until the insert
commits; SQLite runs one write transaction at a time (`db.engine.write_transaction`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import strawberry
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import InstrumentedAttribute
from strawberry import relay

from db.engine import write_transaction
from db.models import (
    Child,
    Education,
    Household,
    HouseholdPin,
    JobOffer,
    LanguageTest,
    Member,
    Permit,
    TenantOwned,
    Versioned,
    WorkPeriod,
)
from db.repositories.households import Households
from db.repositories.idempotency import IDEMPOTENCY_KEY_TTL, IdempotencyKeys
from schema import checks
from schema.context import Context
from schema.errors import Conflict, Deleted, FieldError, InvalidInput, NotFound
from schema.ids import decode
from schema.inputs import (
    CreateHouseholdInput,
    CreateMemberInput,
    CreateOfferInput,
    CreatePermitInput,
    UpdateHouseholdInput,
    UpdateOfferInput,
    UpdatePermitInput,
    null_defaults,
    provided,
)
from schema.planning import ChildInput, PinInput
from solver import domain
from solver.assemble import assemble
from solver.domain import Role
from solver.fields import MAX_OFFERS, MAX_PINS, pin_shape_errors

log = logging.getLogger("permitpath.writes")
T = TypeVar("T")
R = TypeVar("R", bound=TenantOwned)
V = TypeVar("V", bound=Versioned)
Refusal = InvalidInput | NotFound | Conflict
Checks = Callable[[Mapping[str, Any], str], list[FieldError]]

# The GraphQL type each model is exposed as (global ids carry it).
TYPE_NAMES: dict[type[TenantOwned], str] = {
    Household: "Household",
    Member: "HouseholdMember",
    Education: "Education",
    LanguageTest: "LanguageTest",
    WorkPeriod: "WorkPeriod",
    JobOffer: "JobOffer",
    Permit: "Permit",
}


class Refused(Exception):
    """Carries a refusal out of a transaction so it rolls back; `run` turns it back into a value."""

    def __init__(self, outcome: Refusal) -> None:
        super().__init__(outcome)
        self.outcome = outcome


# PostgreSQL's deadlock and serialization failures: the transaction lost a race and was rolled back whole.
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
_ATTEMPTS = 3


async def run(context: Context, work: Callable[[Households], Awaitable[T]]) -> T | Refusal:
    """Run `work` in one write transaction: committed when it returns, rolled back when it refuses.

    A transaction PostgreSQL rolled back to break a deadlock (two writers locking the same rows in another
    order, e.g. a cascade against an update) runs again from the start, up to `_ATTEMPTS` times.
    """
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return await _attempt(context, work)
        except DBAPIError as error:
            if isinstance(error, IntegrityError) or _sqlstate(error) not in _RETRYABLE_SQLSTATES:
                raise
            log.info("write transaction lost a race (attempt %d of %d): %s", attempt, _ATTEMPTS, error.orig)
    message = "other changes to the same records kept overtaking this one; read them again and retry"
    return Conflict(path="input", message=message)


def _sqlstate(error: DBAPIError) -> str | None:
    state = getattr(error.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


async def _attempt(context: Context, work: Callable[[Households], Awaitable[T]]) -> T | Refusal:
    try:
        async with write_transaction(context.sessions) as session:
            return await work(Households(session, tenant_id=context.tenant_id, actor=context.actor))
    except Refused as refused:
        return refused.outcome
    except IntegrityError as error:
        # The checks ran, but a concurrent request wrote a conflicting row (same ref, a second spouse)
        # before this one committed: the constraint caught it and the transaction rolled back.
        log.info("mutation refused by a constraint: %s", error.orig)
        message = "conflicts with a record written at the same time (a duplicate ref or member); read and retry"
        return InvalidInput(errors=[FieldError(path="input", message=message)])


def refuse_if(errors: Sequence[FieldError]) -> None:
    """Refuse the mutation when there are errors."""
    if errors:
        raise Refused(InvalidInput(errors=list(errors)))


def refuse(path: str, message: str) -> NoReturn:
    """Refuse the mutation with one error."""
    raise Refused(InvalidInput(errors=[FieldError(path=path, message=message)]))


def decode_id(raw: str, model: type[TenantOwned], path: str) -> int:
    """The database id inside a global id of `model`'s type; refuses with NotFound otherwise."""
    record_id = decode(raw, TYPE_NAMES[model])
    if record_id is None:
        raise Refused(_not_found(path, raw, model))
    return record_id


async def fetch(repo: Households, model: type[R], raw: str, path: str, *, lock: bool = False) -> R:
    """The record of `model` with global id `raw` in the tenant; refuses with NotFound otherwise.

    With `lock`, the row is locked until the mutation commits: take it first, before any other write.
    """
    row = await repo.get(model, decode_id(raw, model, path), lock=lock)
    if row is None:
        raise Refused(_not_found(path, raw, model))
    return row


def _not_found(path: str, raw: str, model: type[TenantOwned]) -> NotFound:
    return NotFound(path=path, id=strawberry.ID(raw), message=f"no {TYPE_NAMES[model]} with id {raw!r} in your firm")


def stored(row: TenantOwned) -> dict[str, Any]:
    """A row's column values by attribute name."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def _required(model: type[TenantOwned]) -> frozenset[str]:
    return frozenset(column.key for column in model.__table__.columns if not column.nullable)


# --- generic update and delete ------------------------------------------------------------------


async def update(
    repo: Households, model: type[V], raw: str, changes: dict[str, Any], check: Checks, version: int | None = None
) -> V:
    """Apply `changes` to the record with global id `raw` (argument `id`), if it is still at `version`."""
    return await update_row(repo, await fetch(repo, model, raw, "id", lock=True), changes, check, version)


async def update_row(
    repo: Households,
    row: V,
    changes: dict[str, Any],
    check: Checks,
    version: int | None = None,
    *,
    path: str = "input",
    version_path: str = "version",
) -> V:
    """Apply `changes` to `row` (read with `lock`) after validating the record as it would stand.

    With a `version`, a record that has moved past it is refused as a Conflict: another change came first.
    Without one the last writer wins (the audit still names what each change replaced). Errors name the
    changes' fields under `path`, a Conflict `version_path`.
    """
    check_version(row, version, version_path)
    errors = checks.not_null(changes, _required(type(row)), path) + check({**stored(row), **changes}, path)
    refuse_if(errors)
    return await repo.update(row, changes)


def check_version(row: Versioned, version: int | None, path: str = "version") -> None:
    """Refuse with a Conflict naming `path` when the client read `row` at another version than it now stands."""
    if version is None or version == row.version:
        return
    message = (
        f"{TYPE_NAMES[type(row)]} is at version {row.version}, not {version}: it changed since you read it; "
        "read it again and reapply your change"
    )
    raise Refused(Conflict(path=path, message=message, current_version=row.version))


# --- stored limits -------------------------------------------------------------------------------

# What one person or household may hold: the same numbers a single request may carry (api/limits.py),
# so records added one at a time cannot pass them either.
MEMBER_RECORD_LIMITS: dict[type[TenantOwned], tuple[int, str]] = {
    Education: (20, "education records"),
    LanguageTest: (20, "language tests"),
    WorkPeriod: (100, "work periods"),
    Permit: (50, "permits"),
}
HOUSEHOLD_OFFER_LIMIT = MAX_OFFERS


async def within_limit(
    repo: Households, model: type[TenantOwned], parent: InstrumentedAttribute[int], parent_id: int, path: str
) -> None:
    """Refuse when the parent (locked by the caller, so the count holds until commit) is full of `model`."""
    if model is JobOffer:
        limit, what, owner = HOUSEHOLD_OFFER_LIMIT, "offers", "household"
    else:
        (limit, what), owner = MEMBER_RECORD_LIMITS[model], "member"
    held = await repo.count(model, parent, parent_id)
    if held >= limit:
        refuse(path, f"this {owner} already has {held} {what}; the limit is {limit} per {owner} (delete one first)")


# --- idempotent creates --------------------------------------------------------------------------

MAX_IDEMPOTENCY_KEY_LENGTH = 200


async def once(
    repo: Households,
    mutation: str,
    key: str | None,
    request: object,
    model: type[R],
    create: Callable[[], Awaitable[R]],
) -> R:
    """`create()`, remembered under `key`; a retry with the same key and request gets the record it made.

    The key and its record commit together, so a key exists exactly when its record was stored (a client
    whose answer was lost retries safely). The same key with another request is a Conflict. A key is kept
    `IDEMPOTENCY_KEY_TTL`; the answer is the record as it stands now (it may have changed since).
    """
    if key is None:
        return await create()
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH:
        refuse("idempotencyKey", f"{len(key)} characters; an idempotency key has 1 to {MAX_IDEMPOTENCY_KEY_LENGTH}")
    digest = request_hash(request)
    keys = repo.sibling(IdempotencyKeys)
    first = await keys.idempotency_key(mutation, key)
    if first is None:
        row = await create()
        await keys.remember_idempotency_key(mutation, key, digest, row)
        return row
    if first.request_hash != digest:
        hours = int(IDEMPOTENCY_KEY_TTL.total_seconds() // 3600)
        message = (
            f"this key was first sent with another input to {mutation} (keys are kept {hours} h); "
            "use a new key for a new request"
        )
        raise Refused(Conflict(path="idempotencyKey", message=message))
    made = await repo.get(model, first.record_id)
    if made is None:
        raise Refused(
            NotFound(
                path="idempotencyKey",
                id=strawberry.ID(relay.to_base64(TYPE_NAMES[model], first.record_id)),
                message=f"the {TYPE_NAMES[model]} this key created has been deleted since",
            )
        )
    return made


def request_hash(request: object) -> str:
    """sha256 (hex) of a mutation's arguments in a canonical JSON form."""
    canonical = json.dumps(_canonical(request), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: _canonical(item) for name, item in fields if item is not strawberry.UNSET}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


async def delete(repo: Households, model: type[TenantOwned], raw: str) -> Deleted:
    """Delete the record and everything that belongs to it."""
    if not await repo.delete(model, decode_id(raw, model, "id")):
        raise Refused(_not_found("id", raw, model))
    return Deleted(id=strawberry.ID(raw))


async def create_member_record(repo: Households, model: type[R], member_raw: str, data: object, check: Checks) -> R:
    """Add an education, language test or work period to a member, within the member's limit of them."""
    member = await fetch(repo, Member, member_raw, "memberId", lock=True)
    refuse_if(null_defaults(data, "input"))
    values = provided(data)
    refuse_if(check(values, "input"))
    await within_limit(repo, model, model.member_id, member.id, "memberId")  # type: ignore[attr-defined]
    return await repo.add(model, {**values, "member_id": member.id})


# --- households and members ---------------------------------------------------------------------


def member_input_errors(data: CreateMemberInput, path: str) -> list[FieldError]:
    """Every error in a member's input and its nested records (after `null_defaults`: no list is null)."""
    errors = checks.member_errors(data.columns(), path)
    for name, field, _model, check in MEMBER_RECORDS:
        errors += records_errors(getattr(data, name) or [], f"{path}.{field}", check)
    return errors + checks.canadian_permits_errors(data.canadian_status, len(data.permits or []), f"{path}.permits")


# A member's lists of records: the input's attribute, its field name in paths, its model, the check of one record.
MEMBER_RECORDS: tuple[tuple[str, str, type[Versioned], Checks], ...] = (
    ("education", "education", Education, checks.education_errors),
    ("language_tests", "languageTests", LanguageTest, checks.language_test_errors),
    ("work_history", "workHistory", WorkPeriod, checks.work_errors),
    ("permits", "permits", Permit, checks.permit_errors),
)


def records_errors(items: Sequence[object], path: str, check: Checks) -> list[FieldError]:
    """Every error in a list of records, each named by its index under `path`."""
    return [error for i, item in enumerate(items) for error in check(provided(item), f"{path}[{i}]")]


async def insert_member(repo: Households, household_id: int, role: Role, data: CreateMemberInput) -> Member:
    """Write a member and its education, language tests and work history (permits come after offers)."""
    member = await repo.add(Member, {**data.columns(), "household_id": household_id, "role": role})
    for education in data.education or []:
        await repo.add(Education, {**provided(education), "member_id": member.id})
    for test in data.language_tests or []:
        await repo.add(LanguageTest, {**provided(test), "member_id": member.id})
    for work in data.work_history or []:
        await repo.add(WorkPeriod, {**provided(work), "member_id": member.id})
    return member


async def insert_permits(repo: Households, member: Member, permits: Sequence[CreatePermitInput], path: str) -> None:
    """Write a member's permits, each naming its offer (of the same household) by ref."""
    for i, permit in enumerate(permits):
        await insert_permit(repo, member, permit, f"{path}[{i}]")


async def insert_permit(repo: Households, member: Member, data: CreatePermitInput, path: str) -> Permit:
    """Write one permit of `member`."""
    return await repo.add(Permit, {**await permit_columns(repo, member, data, path), "member_id": member.id})


async def permit_columns(repo: Households, member: Member, data: CreatePermitInput, path: str) -> dict[str, Any]:
    """A permit's columns, its offer named by ref turned into the offer's id."""
    values = provided(data)
    offer_id = await offer_id_for(repo, member, values.pop("offer_ref", None), f"{path}.offerRef")
    return {**values, "offer_id": offer_id}


async def offer_id_for(repo: Households, member: Member, ref: str | None, path: str) -> int | None:
    """The id of the household's offer `ref`, which must be held by `member`; None for no offer."""
    if ref is None:
        return None
    offer = await repo.offer_by_ref(member.household_id, ref)
    if offer is None:
        refuse(path, f"no offer with ref {ref!r} in this household")
    if offer.holder is not member.role:
        refuse(path, f"offer {ref!r} is held by the {offer.holder.value.lower()}, not the {member.role.value.lower()}")
    return offer.id


async def create_household(repo: Households, data: CreateHouseholdInput) -> Household:
    """Write a household with its members, their records, its offers and the members' permits."""
    refuse_if(null_defaults(data, "input"))
    errors = checks.household_errors(provided(data), "input")
    members = [(Role.PRINCIPAL, data.principal, "input.principal")]
    if data.spouse is not None:
        members.append((Role.SPOUSE, data.spouse, "input.spouse"))
    for _role, member_data, path in members:
        errors += member_input_errors(member_data, path)
    for i, offer in enumerate(data.offers or []):
        errors += checks.offer_errors(provided(offer), f"input.offers[{i}]")
        if offer.holder is Role.SPOUSE and data.spouse is None:
            errors.append(FieldError(path=f"input.offers[{i}].holder", message=NO_SPOUSE))
    refuse_if(errors)

    errors += children_errors(data.children or [], "input.children")
    roles = [role for role, _, _ in members]
    errors += pins_errors(data.pins or [], "input.pins", roles, {o.ref: o.holder for o in data.offers or []})
    refuse_if(errors)

    household = await repo.add(Household, {"name": data.name})
    await insert_children(repo, household.id, data.children or [])
    await insert_pins(repo, household.id, data.pins or [])
    rows = {role: await insert_member(repo, household.id, role, member_data) for role, member_data, _ in members}
    for i, offer in enumerate(data.offers or []):
        await insert_offer(repo, household.id, offer, f"input.offers[{i}]")
    for role, member_data, path in members:
        await insert_permits(repo, rows[role], member_data.permits or [], f"{path}.permits")
    return household


def children_errors(children: Sequence[ChildInput], path: str) -> list[FieldError]:
    """Every error in a household's list of children."""
    errors = checks.children_count_errors(len(children), path)
    for i, child in enumerate(children):
        errors += checks.child_errors(provided(child), f"{path}[{i}]")
    return errors


async def insert_children(repo: Households, household_id: int, children: Sequence[ChildInput]) -> None:
    """Write a household's children."""
    for child in children:
        await repo.add(Child, {**provided(child), "household_id": household_id})


def pins_errors(
    pins: Sequence[PinInput], path: str, members: Sequence[Role], offers: Mapping[str, Role]
) -> list[FieldError]:
    """Every error in a household's list of pins that the household alone shows (the rest, such as a day past
    a plan's horizon, is told when the household is planned): the pin's own shape, a member the household has,
    an offer of the household that member holds."""
    errors = []
    if len(pins) > MAX_PINS:
        errors.append(FieldError(path=path, message=f"{len(pins)} pins; at most {MAX_PINS} per household"))
    for i, given in enumerate(pins):
        where = f"{path}[{i}]"
        pin = assemble(domain.Pin, given)
        errors += [FieldError.from_domain(e) for e in pin_shape_errors(pin, where)]
        if pin.person not in members:
            errors.append(FieldError(path=f"{where}.person", message=_PIN_NO_SPOUSE))
        holder = offers.get(pin.offer_ref) if pin.offer_ref is not None else None
        if pin.kind is domain.PinKind.TAKE_OFFER and pin.offer_ref is not None and holder is not pin.person:
            known = ", ".join(repr(ref) for ref in offers) or "none"
            message = (
                f"no offer has ref {pin.offer_ref!r}; the offers' refs: {known}"
                if holder is None
                else f"offer {pin.offer_ref!r} is held by {holder.value}; a member takes only their own"
            )
            errors.append(FieldError(path=f"{where}.offerRef", message=message))
    return errors


async def insert_pins(repo: Households, household_id: int, pins: Sequence[PinInput]) -> None:
    """Write a household's pins, in order (their ids keep it)."""
    for pin in pins:
        await repo.add(HouseholdPin, {**provided(pin), "household_id": household_id})


async def update_household(
    repo: Households, raw: str, data: UpdateHouseholdInput, version: int | None = None
) -> Household:
    """Rename a household and, when `children` or `pins` is given, replace that list (a change of the
    household: its version moves)."""
    return await change_household(repo, await fetch(repo, Household, raw, "id", lock=True), data, version)


async def change_household(
    repo: Households, household: Household, data: UpdateHouseholdInput, version: int | None = None
) -> Household:
    """`update_household` of the household read with `lock`."""
    check_version(household, version)
    changes = provided(data)
    # The lists given, each replacing the stored one.
    lists: dict[str, Any] = {
        name: getattr(data, name) for name in ("children", "pins") if getattr(data, name) is not strawberry.UNSET
    }
    if not lists:
        return await update_row(repo, household, changes, checks.household_errors, version)
    for name, given in lists.items():
        if given is None:
            refuse(f"input.{name}", f"must not be null; give [] for a household without {name}")
    if "children" in lists:
        refuse_if(children_errors(lists["children"], "input.children"))
    if "pins" in lists:
        refuse_if(await _stored_pins_errors(repo, household, lists["pins"]))
    read_at = household.version
    household = await update_row(repo, household, changes, checks.household_errors, version)
    if "children" in lists:
        stored_children = await repo.children(Child, Child.household_id, [household.id])
        for child in stored_children.get(household.id, []):
            await repo.delete(Child, child.id)
        await insert_children(repo, household.id, lists["children"])
    if "pins" in lists:
        stored_pins = await repo.children(HouseholdPin, HouseholdPin.household_id, [household.id])
        for stored in stored_pins.get(household.id, []):
            await repo.delete(HouseholdPin, stored.id)
        await insert_pins(repo, household.id, lists["pins"])
    # Only the children or the pins changed: the household's version still counts the change.
    await count_change(repo, household, read_at)
    return household


async def count_change(repo: Households, row: V, read_at: int) -> None:
    """Move `row`'s version past `read_at` when only records it holds changed (its own columns did not)."""
    if row.version == read_at:
        await repo.update(row, {"version": read_at + 1})


async def _stored_pins_errors(repo: Households, household: Household, pins: Sequence[PinInput]) -> list[FieldError]:
    """`pins_errors` against the household's stored members and offers."""
    members = await repo.children(Member, Member.household_id, [household.id])
    offers = await repo.children(JobOffer, JobOffer.household_id, [household.id])
    roles = [m.role for m in members.get(household.id, [])]
    return pins_errors(pins, "input.pins", roles, {o.ref: o.holder for o in offers.get(household.id, [])})


async def create_member(repo: Households, household_raw: str, role: Role, data: CreateMemberInput) -> Member:
    """Add the principal or the spouse to a household, with their records."""
    household = await fetch(repo, Household, household_raw, "householdId", lock=True)
    if await repo.member_by_role(household.id, role) is not None:
        refuse("role", f"the household already has a {role.value.lower()}; update that member instead")
    return await add_member(repo, household, role, data, "input")


async def add_member(repo: Households, household: Household, role: Role, data: CreateMemberInput, path: str) -> Member:
    """Write a member in `role` of `household` (read with `lock`; it has none yet), checked as the input at `path`."""
    refuse_if(null_defaults(data, path) or member_input_errors(data, path))
    member = await insert_member(repo, household.id, role, data)
    await insert_permits(repo, member, data.permits or [], f"{path}.permits")
    return member


async def delete_member(repo: Households, raw: str) -> Deleted:
    """Remove the spouse (with the offers the spouse holds); the principal goes only with the household."""
    member = await fetch(repo, Member, raw, "id", lock=True)
    if member.role is Role.PRINCIPAL:
        refuse("id", "the principal cannot be removed; delete the household instead")
    offers = await repo.children(JobOffer, JobOffer.household_id, [member.household_id])
    for offer in offers.get(member.household_id, []):
        if offer.holder is Role.SPOUSE:
            await repo.delete(JobOffer, offer.id)
    return await delete(repo, Member, raw)


# --- offers and permits -------------------------------------------------------------------------

NO_SPOUSE = "SPOUSE holds this offer but the household has no spouse"
_PIN_NO_SPOUSE = "the household has no spouse; a pin names a member of the household"


async def insert_offer(repo: Households, household_id: int, data: CreateOfferInput, path: str) -> JobOffer:
    """Write an offer whose ref is new in the household."""
    if await repo.offer_by_ref(household_id, data.ref) is not None:
        refuse(f"{path}.ref", f"ref {data.ref!r} is already used by an offer of this household; refs are unique")
    return await repo.add(JobOffer, {**provided(data), "household_id": household_id})


async def create_offer(repo: Households, household_raw: str, data: CreateOfferInput) -> JobOffer:
    """Add an offer to a household."""
    household = await fetch(repo, Household, household_raw, "householdId", lock=True)
    refuse_if(null_defaults(data, "input"))
    errors = checks.offer_errors(provided(data), "input")
    if data.holder is Role.SPOUSE and await repo.member_by_role(household.id, Role.SPOUSE) is None:
        errors.append(FieldError(path="input.holder", message=NO_SPOUSE))
    refuse_if(errors)
    await within_limit(repo, JobOffer, JobOffer.household_id, household.id, "householdId")
    return await insert_offer(repo, household.id, data, "input")


async def update_offer(repo: Households, raw: str, data: UpdateOfferInput, version: int | None = None) -> JobOffer:
    """Change an offer; a new ref must stay unique, a new holder must exist."""
    offer = await fetch(repo, JobOffer, raw, "id", lock=True)
    check_version(offer, version)
    changes = provided(data)
    if changes.get("holder") is Role.SPOUSE and await repo.member_by_role(offer.household_id, Role.SPOUSE) is None:
        refuse("input.holder", NO_SPOUSE)
    ref = changes.get("ref")
    if ref is not None and ref != offer.ref and await repo.offer_by_ref(offer.household_id, ref) is not None:
        refuse("input.ref", f"ref {ref!r} is already used by an offer of this household; refs are unique")
    return await update_row(repo, offer, changes, checks.offer_errors, version)


async def create_permit(repo: Households, member_raw: str, data: CreatePermitInput) -> Permit:
    """Add a permit to a member, within the member's limit of them."""
    member = await fetch(repo, Member, member_raw, "memberId", lock=True)
    refuse_if(
        null_defaults(data, "input")
        or checks.permit_errors(provided(data), "input")
        or checks.canadian_permits_errors(member.canadian_status, 1, "memberId")
    )
    await within_limit(repo, Permit, Permit.member_id, member.id, "memberId")
    return await insert_permit(repo, member, data, "input")


async def update_permit(repo: Households, raw: str, data: UpdatePermitInput, version: int | None = None) -> Permit:
    """Change a permit; `offerRef` names an offer of the member's household (null detaches it)."""
    permit = await fetch(repo, Permit, raw, "id", lock=True)
    check_version(permit, version)
    changes = provided(data)
    if "offer_ref" in changes:
        member = await repo.get(Member, permit.member_id)
        if member is None:
            raise LookupError(f"permit {permit.id} has no member")  # a broken invariant, not input
        changes["offer_id"] = await offer_id_for(repo, member, changes.pop("offer_ref"), "input.offerRef")
    return await update_row(repo, permit, changes, checks.permit_errors, version)
