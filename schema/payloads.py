"""What a successful mutation returns: the record as it now stands."""

from __future__ import annotations

import strawberry

from schema.types import Education, Household, HouseholdMember, JobOffer, LanguageTest, Permit, WorkPeriod


@strawberry.type
class HouseholdPayload:
    household: Household


@strawberry.type
class MemberPayload:
    member: HouseholdMember


@strawberry.type
class EducationPayload:
    education: Education


@strawberry.type
class LanguageTestPayload:
    language_test: LanguageTest


@strawberry.type
class WorkPeriodPayload:
    work_period: WorkPeriod


@strawberry.type
class OfferPayload:
    offer: JobOffer


@strawberry.type
class PermitPayload:
    permit: Permit
