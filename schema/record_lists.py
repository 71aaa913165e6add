"""The lists `saveHouseholdFacts` replaces: a household's offers, a member's education, language tests, work
history and permits. The list given is the list stored afterwards.

Each record is checked as createOffer, createLanguageTest, ... check it (`schema/writes.py`), its errors named
by its index (`input.offers[1].nocCode`, `input.principal.languageTests[0].listening`). A record equal to a
stored one is kept as it is (same id, no audit entry); an offer is matched by its `ref` and updated in place,
so the permits and pins that name it keep it. The rest of the stored list is deleted, the rest of the given
list inserted. Each replacement says whether it changed anything, for the version of the household (offers)
or the member (its records) to count the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import strawberry

from db.models import Household, JobOffer, Member, Permit, Versioned
from db.repositories.households import Households
from schema import checks, writes
from schema.errors import FieldError
from schema.inputs import CreateOfferInput, HouseholdFactsInput, MemberFactsInput, null_defaults, provided
from solver.domain import Role


def given(data: object, name: str, path: str) -> list[Any] | None:
    """The list `data` gives for `name` (at `path`); None when it is left out: the stored list stays."""
    items = getattr(data, name)
    if items is strawberry.UNSET:
        return None
    if items is None:
        writes.refuse(path, "must not be null; give [] to remove every record, or leave it out to keep them")
    return list(items)


def items_errors(items: Sequence[object], path: str, check: writes.Checks) -> list[FieldError]:
    """Every error in the records given at `path`: explicit nulls, else each record's own check."""
    nulls = [error for i, item in enumerate(items) for error in null_defaults(item, f"{path}[{i}]")]
    return nulls or writes.records_errors(items, path, check)


async def replace_offers(repo: Households, household: Household, data: HouseholdFactsInput) -> bool:
    """The household's offers become those `data` gives (when it gives them): matched by ref and updated in
    place, new refs added, the others deleted (their permits lose the link, as deleteOffer leaves them)."""
    path = "input.offers"
    offers: list[CreateOfferInput] | None = given(data, "offers", path)
    if offers is None:
        return False
    errors = items_errors(offers, path, checks.offer_errors)
    has_spouse = await repo.member_by_role(household.id, Role.SPOUSE) is not None
    errors += [
        FieldError(path=f"{path}[{i}].holder", message=writes.NO_SPOUSE)
        for i, offer in enumerate(offers)
        if offer.holder is Role.SPOUSE and not has_spouse
    ]
    writes.refuse_if(errors)
    stored = {offer.ref: offer for offer in await _stored(repo, JobOffer, household.id)}
    changed = False
    for i, offer in enumerate(offers):
        match = stored.pop(offer.ref, None)
        if match is None:
            await writes.insert_offer(repo, household.id, offer, f"{path}[{i}]")
            changed = True
        else:
            before = match.version
            await writes.update_row(repo, match, provided(offer), checks.offer_errors, path=f"{path}[{i}]")
            changed = changed or match.version != before
    for left in stored.values():
        await repo.delete(JobOffer, left.id)
        changed = True
    return changed


async def replace_member_records(repo: Households, member: Member, facts: MemberFactsInput, path: str) -> bool:
    """The member's lists that `facts` gives become those lists (permits after the offers they name)."""
    lists = [
        (model, check, f"{path}.{field}", given(facts, name, f"{path}.{field}"))
        for name, field, model, check in writes.MEMBER_RECORDS
    ]
    errors = [error for _, check, at, items in lists if items is not None for error in items_errors(items, at, check)]
    permits = next(items for model, _, _, items in lists if model is Permit)
    if permits is not None:  # the member as this save left it: a Canadian holds no permit
        errors += checks.canadian_permits_errors(member.canadian_status, len(permits), f"{path}.permits")
    writes.refuse_if(errors)
    changed = False
    for model, _check, at, items in lists:
        if items is None:
            continue
        if model is Permit:
            records = [await writes.permit_columns(repo, member, item, f"{at}[{i}]") for i, item in enumerate(items)]
        else:
            records = [provided(item) for item in items]
        changed = await _replace(repo, model, member, records) or changed
    return changed


async def _replace(
    repo: Households, model: type[Versioned], member: Member, records: Sequence[Mapping[str, Any]]
) -> bool:
    """The member's records of `model` become `records`, those equal to a stored one kept; whether any changed."""
    kept = await _stored(repo, model, member.id)
    changed = False
    for values in records:
        same = next((row for row in kept if all(getattr(row, k) == v for k, v in values.items())), None)
        if same is None:
            await repo.add(model, {**values, "member_id": member.id})
            changed = True
        else:
            kept.remove(same)
    for row in kept:
        await repo.delete(model, row.id)
        changed = True
    return changed


async def _stored(repo: Households, model: type[Versioned], parent_id: int) -> list[Any]:
    """The stored records of `model` under the household or member `parent_id`, by id."""
    parent = model.household_id if model is JobOffer else model.member_id  # type: ignore[attr-defined]
    return list((await repo.children(model, parent, [parent_id])).get(parent_id, []))
