"""`saveHouseholdFacts`: a household's own changes and its members' in one transaction, all stored or none.

The consultant's page saves its form this way: the name and each member's facts as `updateHousehold`,
`updateMember` and `createMember` would (the same checks, version checks and writes of `schema/writes.py`),
and the lists it gives (offers, each member's records: `schema/record_lists.py`) replacing the stored ones,
but a refusal of any part leaves every part unwritten. The field errors of all parts come back together,
each named by its path under `input` (`input.name`, `input.spouse.birthDate`, `input.offers[0].nocCode`); a
stale version (the household's `version` or a member's `input.principal.version`) is a Conflict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from typing import Annotated, TypeVar

import strawberry

from db import models
from db.repositories.households import Households
from schema import checks, record_lists, writes
from schema.errors import Conflict, FieldError, InvalidInput, NotFound
from schema.inputs import CreateMemberInput, HouseholdFactsInput, MemberFactsInput, null_defaults, provided
from schema.mutations import Version, mutation
from schema.payloads import HouseholdPayload
from schema.types import Household, Info
from solver.domain import Role

T = TypeVar("T")

SaveHouseholdFactsResult = Annotated[
    HouseholdPayload | InvalidInput | NotFound | Conflict, strawberry.union("SaveHouseholdFactsResult")
]
# The facts a new member cannot do without (CreateMemberInput's fields with no default).
_REQUIRED = tuple(
    f.name
    for f in dataclasses.fields(CreateMemberInput)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
)


@strawberry.type
class HouseholdFactsMutation:
    @mutation(
        "Save a household's name and its members' facts (adding the spouse the household lacks), and the lists "
        "given (children, offers, each member's education, language tests, work history and permits) in one "
        "transaction: every part is checked as updateHousehold, updateMember, createMember and the create "
        "mutations of each record check it, and any refusal writes nothing. The field errors of every part come "
        "back together."
    )
    async def save_household_facts(
        self, info: Info, id: strawberry.ID, input: HouseholdFactsInput, version: Version = None
    ) -> SaveHouseholdFactsResult:
        outcome = await writes.run(info.context, lambda repo: save_household_facts(repo, id, input, version))
        if isinstance(outcome, models.Household):
            return HouseholdPayload(household=Household.from_row(outcome))
        return outcome


async def save_household_facts(
    repo: Households, raw: str, data: HouseholdFactsInput, version: int | None = None
) -> models.Household:
    """The household's changes, then each member's, then the lists, in the caller's transaction; every part's
    field errors are gathered and refused together (a Conflict or NotFound ends the save at once)."""
    household = await writes.fetch(repo, models.Household, raw, "id", lock=True)
    read_at = household.version
    errors: list[FieldError] = []
    await _gather(errors, writes.change_household(repo, household, data, version))
    members = ((Role.PRINCIPAL, data.principal, "input.principal"), (Role.SPOUSE, data.spouse, "input.spouse"))
    # Each member saved, with the version it was read at (None for a member this save adds).
    saved: list[tuple[models.Member, int | None, MemberFactsInput, str]] = []
    for role, facts, path in members:
        if facts is not strawberry.UNSET:
            stored = await repo.member_by_role(household.id, role)
            read = stored.version if stored is not None else None
            member = await _gather(errors, save_member(repo, household, role, facts, path))
            if member is not None and facts is not None:
                saved.append((member, read, facts, path))
    # The lists after the members (an offer's holder must exist), the permits after the offers they name.
    if await _gather(errors, record_lists.replace_offers(repo, household, data)):
        await writes.count_change(repo, household, read_at)
    for member, member_read_at, facts, path in saved:
        changed = await _gather(errors, record_lists.replace_member_records(repo, member, facts, path))
        if changed and member_read_at is not None:  # a member this save adds stays at version 1
            await writes.count_change(repo, member, member_read_at)
    writes.refuse_if(errors)
    return household


async def _gather(errors: list[FieldError], part: Awaitable[T]) -> T | None:
    """Run one part of the save, adding its field errors to `errors` instead of ending the save (None then)."""
    try:
        return await part
    except writes.Refused as refused:
        if not isinstance(refused.outcome, InvalidInput):
            raise
        errors += refused.outcome.errors
        return None


async def save_member(
    repo: Households, household: models.Household, role: Role, facts: MemberFactsInput | None, path: str
) -> models.Member:
    """Change the household's member in `role` as `facts` say (at `facts.version`), or add it when there is none."""
    if facts is None:
        writes.refuse(path, "must not be null; leave it out to keep the member as stored")
    writes.refuse_if(null_defaults(facts, path))
    member = await repo.member_by_role(household.id, role, lock=True)
    if member is None:
        if facts.version is not None:
            message = f"the household has no {role.value.lower()} now: removed since you read it; read it again"
            raise writes.Refused(Conflict(path=f"{path}.version", message=message))
        return await writes.add_member(repo, household, role, new_member(facts, path), path)
    return await writes.update_row(
        repo, member, facts.changes(), checks.member_errors, facts.version, path=path, version_path=f"{path}.version"
    )


def new_member(facts: MemberFactsInput, path: str) -> CreateMemberInput:
    """`facts` as a new member's input; refuses naming each fact a new member needs and `facts` leaves out."""
    given = {name: value for name, value in provided(facts).items() if name != "version"}
    missing = [name for name in _REQUIRED if given.get(name) is None]
    writes.refuse_if(
        [FieldError(path=checks.join(path, name), message="is required for a new member") for name in missing]
    )
    return CreateMemberInput(**given)
