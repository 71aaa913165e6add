"""Create, update and delete for every record; each mutation is one transaction and returns a typed result.

Resolvers stay thin: `schema/writes.py` does the work, `writes.run` owns the transaction, and a refusal
(`InvalidInput`, `NotFound`, `Conflict`) is returned as a member of the mutation's result union with nothing
written. Updates take the `version` the client read (optional: without it the last writer wins); creates
take an optional `idempotencyKey`, so a client that lost the answer can retry without a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

import strawberry

from db import models
from schema import checks, household_deletion, writes
from schema.enums import Role
from schema.errors import Conflict, Deleted, InvalidInput, NotFound
from schema.inputs import (
    CreateEducationInput,
    CreateHouseholdInput,
    CreateLanguageTestInput,
    CreateMemberInput,
    CreateOfferInput,
    CreatePermitInput,
    CreateWorkPeriodInput,
    UpdateEducationInput,
    UpdateHouseholdInput,
    UpdateLanguageTestInput,
    UpdateMemberInput,
    UpdateOfferInput,
    UpdatePermitInput,
    UpdateWorkPeriodInput,
    null_defaults,
    provided,
)
from schema.payloads import (
    EducationPayload,
    HouseholdPayload,
    LanguageTestPayload,
    MemberPayload,
    OfferPayload,
    PermitPayload,
    WorkPeriodPayload,
)
from schema.types import Education, Household, HouseholdMember, Info, JobOffer, LanguageTest, Permit, WorkPeriod

F = TypeVar("F", bound=Callable[..., Any])
P = TypeVar("P")
Row = TypeVar("Row")


def mutation(description: str) -> Callable[[F], F]:
    """`strawberry.mutation(description=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.mutation(description=description))


Version = Annotated[
    int | None,
    strawberry.argument(
        description="The record's `version` as you read it: a record changed since is refused as a Conflict, "
        "nothing written. Left out, the last writer wins."
    ),
]
IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Any string of 1-200 characters, new for each new request: the same key sent again "
        "(within 24 h) with the same input returns the record the first call created instead of a second "
        "one; with another input it is a Conflict."
    ),
]


def _wrap(outcome: Row | writes.Refusal, payload: Callable[[Row], P]) -> P | writes.Refusal:
    if isinstance(outcome, InvalidInput | NotFound | Conflict):
        return outcome
    return payload(outcome)


CreateHouseholdResult = Annotated[
    HouseholdPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateHouseholdResult")
]
UpdateHouseholdResult = Annotated[
    HouseholdPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateHouseholdResult")
]
DeleteHouseholdResult = Annotated[
    Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteHouseholdResult")
]
CreateMemberResult = Annotated[
    MemberPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateMemberResult")
]
UpdateMemberResult = Annotated[
    MemberPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateMemberResult")
]
DeleteMemberResult = Annotated[Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteMemberResult")]
CreateEducationResult = Annotated[
    EducationPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateEducationResult")
]
UpdateEducationResult = Annotated[
    EducationPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateEducationResult")
]
DeleteEducationResult = Annotated[
    Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteEducationResult")
]
CreateLanguageTestResult = Annotated[
    LanguageTestPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateLanguageTestResult")
]
UpdateLanguageTestResult = Annotated[
    LanguageTestPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateLanguageTestResult")
]
DeleteLanguageTestResult = Annotated[
    Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteLanguageTestResult")
]
CreateWorkPeriodResult = Annotated[
    WorkPeriodPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateWorkPeriodResult")
]
UpdateWorkPeriodResult = Annotated[
    WorkPeriodPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateWorkPeriodResult")
]
DeleteWorkPeriodResult = Annotated[
    Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteWorkPeriodResult")
]
CreateOfferResult = Annotated[OfferPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreateOfferResult")]
UpdateOfferResult = Annotated[OfferPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdateOfferResult")]
DeleteOfferResult = Annotated[Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeleteOfferResult")]
CreatePermitResult = Annotated[
    PermitPayload | InvalidInput | NotFound | Conflict, strawberry.union("CreatePermitResult")
]
UpdatePermitResult = Annotated[
    PermitPayload | InvalidInput | NotFound | Conflict, strawberry.union("UpdatePermitResult")
]
DeletePermitResult = Annotated[Deleted | InvalidInput | NotFound | Conflict, strawberry.union("DeletePermitResult")]


def _household(row: models.Household) -> HouseholdPayload:
    return HouseholdPayload(household=Household.from_row(row))


def _member(row: models.Member) -> MemberPayload:
    return MemberPayload(member=HouseholdMember.from_row(row))


def _education(row: models.Education) -> EducationPayload:
    return EducationPayload(education=Education.from_row(row))


def _language_test(row: models.LanguageTest) -> LanguageTestPayload:
    return LanguageTestPayload(language_test=LanguageTest.from_row(row))


def _work(row: models.WorkPeriod) -> WorkPeriodPayload:
    return WorkPeriodPayload(work_period=WorkPeriod.from_row(row))


def _offer(row: models.JobOffer) -> OfferPayload:
    return OfferPayload(offer=JobOffer.from_row(row))


def _permit(row: models.Permit) -> PermitPayload:
    return PermitPayload(permit=Permit.from_row(row))


@strawberry.type
class RecordsMutation:
    # --- households ---

    @mutation("A household with its principal, optional spouse, their records and its offers, in one go.")
    async def create_household(
        self, info: Info, input: CreateHouseholdInput, idempotency_key: IdempotencyKey = None
    ) -> CreateHouseholdResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createHousehold",
                idempotency_key,
                input,
                models.Household,
                lambda: writes.create_household(repo, input),
            ),
        )
        return _wrap(outcome, _household)

    @mutation("Rename a household, or replace its children (the whole list).")
    async def update_household(
        self, info: Info, id: strawberry.ID, input: UpdateHouseholdInput, version: Version = None
    ) -> UpdateHouseholdResult:
        outcome = await writes.run(info.context, lambda repo: writes.update_household(repo, id, input, version))
        return _wrap(outcome, _household)

    @mutation("Delete a household with its members, their records, its offers and permits.")
    async def delete_household(self, info: Info, id: strawberry.ID) -> DeleteHouseholdResult:
        return await household_deletion.delete_household(info.context, id)

    # --- members ---

    @mutation("Add the principal or the spouse to a household, with their records.")
    async def create_member(
        self,
        info: Info,
        household_id: strawberry.ID,
        role: Role,
        input: CreateMemberInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CreateMemberResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createMember",
                idempotency_key,
                (household_id, role, input),
                models.Member,
                lambda: writes.create_member(repo, household_id, role, input),
            ),
        )
        return _wrap(outcome, _member)

    @mutation("Change a member's own facts (their records have mutations of their own).")
    async def update_member(
        self, info: Info, id: strawberry.ID, input: UpdateMemberInput, version: Version = None
    ) -> UpdateMemberResult:
        if nulls := null_defaults(input, "input"):  # a null inside `status` or `provincialNomination`
            return InvalidInput(errors=nulls)
        changes = input.changes()
        outcome = await writes.run(
            info.context, lambda repo: writes.update(repo, models.Member, id, changes, checks.member_errors, version)
        )
        return _wrap(outcome, _member)

    @mutation("Remove the spouse with their records and the offers they hold (the principal goes with the household).")
    async def delete_member(self, info: Info, id: strawberry.ID) -> DeleteMemberResult:
        return await writes.run(info.context, lambda repo: writes.delete_member(repo, id))

    # --- education ---

    @mutation("Add an education record to a member (at most 20 per member).")
    async def create_education(
        self, info: Info, member_id: strawberry.ID, input: CreateEducationInput, idempotency_key: IdempotencyKey = None
    ) -> CreateEducationResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createEducation",
                idempotency_key,
                (member_id, input),
                models.Education,
                lambda: writes.create_member_record(repo, models.Education, member_id, input, checks.education_errors),
            ),
        )
        return _wrap(outcome, _education)

    @mutation("Change an education record.")
    async def update_education(
        self, info: Info, id: strawberry.ID, input: UpdateEducationInput, version: Version = None
    ) -> UpdateEducationResult:
        changes = provided(input)
        outcome = await writes.run(
            info.context,
            lambda repo: writes.update(repo, models.Education, id, changes, checks.education_errors, version),
        )
        return _wrap(outcome, _education)

    @mutation("Delete an education record.")
    async def delete_education(self, info: Info, id: strawberry.ID) -> DeleteEducationResult:
        return await writes.run(info.context, lambda repo: writes.delete(repo, models.Education, id))

    # --- language tests ---

    @mutation("Add a language test result to a member (at most 20 per member).")
    async def create_language_test(
        self,
        info: Info,
        member_id: strawberry.ID,
        input: CreateLanguageTestInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CreateLanguageTestResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createLanguageTest",
                idempotency_key,
                (member_id, input),
                models.LanguageTest,
                lambda: writes.create_member_record(
                    repo, models.LanguageTest, member_id, input, checks.language_test_errors
                ),
            ),
        )
        return _wrap(outcome, _language_test)

    @mutation("Change a language test result.")
    async def update_language_test(
        self, info: Info, id: strawberry.ID, input: UpdateLanguageTestInput, version: Version = None
    ) -> UpdateLanguageTestResult:
        changes = provided(input)
        outcome = await writes.run(
            info.context,
            lambda repo: writes.update(repo, models.LanguageTest, id, changes, checks.language_test_errors, version),
        )
        return _wrap(outcome, _language_test)

    @mutation("Delete a language test result.")
    async def delete_language_test(self, info: Info, id: strawberry.ID) -> DeleteLanguageTestResult:
        return await writes.run(info.context, lambda repo: writes.delete(repo, models.LanguageTest, id))

    # --- work history ---

    @mutation("Add a period of work to a member (at most 100 per member).")
    async def create_work_period(
        self,
        info: Info,
        member_id: strawberry.ID,
        input: CreateWorkPeriodInput,
        idempotency_key: IdempotencyKey = None,
    ) -> CreateWorkPeriodResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createWorkPeriod",
                idempotency_key,
                (member_id, input),
                models.WorkPeriod,
                lambda: writes.create_member_record(repo, models.WorkPeriod, member_id, input, checks.work_errors),
            ),
        )
        return _wrap(outcome, _work)

    @mutation("Change a period of work.")
    async def update_work_period(
        self, info: Info, id: strawberry.ID, input: UpdateWorkPeriodInput, version: Version = None
    ) -> UpdateWorkPeriodResult:
        changes = provided(input)
        outcome = await writes.run(
            info.context,
            lambda repo: writes.update(repo, models.WorkPeriod, id, changes, checks.work_errors, version),
        )
        return _wrap(outcome, _work)

    @mutation("Delete a period of work.")
    async def delete_work_period(self, info: Info, id: strawberry.ID) -> DeleteWorkPeriodResult:
        return await writes.run(info.context, lambda repo: writes.delete(repo, models.WorkPeriod, id))

    # --- offers ---

    @mutation("Add a job offer to a household (at most 50 per household).")
    async def create_offer(
        self, info: Info, household_id: strawberry.ID, input: CreateOfferInput, idempotency_key: IdempotencyKey = None
    ) -> CreateOfferResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createOffer",
                idempotency_key,
                (household_id, input),
                models.JobOffer,
                lambda: writes.create_offer(repo, household_id, input),
            ),
        )
        return _wrap(outcome, _offer)

    @mutation("Change a job offer.")
    async def update_offer(
        self, info: Info, id: strawberry.ID, input: UpdateOfferInput, version: Version = None
    ) -> UpdateOfferResult:
        outcome = await writes.run(info.context, lambda repo: writes.update_offer(repo, id, input, version))
        return _wrap(outcome, _offer)

    @mutation("Delete a job offer (permits for it keep their other facts and lose the link).")
    async def delete_offer(self, info: Info, id: strawberry.ID) -> DeleteOfferResult:
        return await writes.run(info.context, lambda repo: writes.delete(repo, models.JobOffer, id))

    # --- permits ---

    @mutation("Add a permit (held, applied for or planned) to a member (at most 50 per member).")
    async def create_permit(
        self, info: Info, member_id: strawberry.ID, input: CreatePermitInput, idempotency_key: IdempotencyKey = None
    ) -> CreatePermitResult:
        outcome = await writes.run(
            info.context,
            lambda repo: writes.once(
                repo,
                "createPermit",
                idempotency_key,
                (member_id, input),
                models.Permit,
                lambda: writes.create_permit(repo, member_id, input),
            ),
        )
        return _wrap(outcome, _permit)

    @mutation("Change a permit, e.g. its status once IRCC decides.")
    async def update_permit(
        self, info: Info, id: strawberry.ID, input: UpdatePermitInput, version: Version = None
    ) -> UpdatePermitResult:
        outcome = await writes.run(info.context, lambda repo: writes.update_permit(repo, id, input, version))
        return _wrap(outcome, _permit)

    @mutation("Delete a permit.")
    async def delete_permit(self, info: Info, id: strawberry.ID) -> DeletePermitResult:
        return await writes.run(info.context, lambda repo: writes.delete(repo, models.Permit, id))
