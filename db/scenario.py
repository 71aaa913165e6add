"""A stored household as the planner's `Scenario`: a pure mapping from loaded rows, field by field.

The columns carry the solver's names and enums, so nothing is translated here; only the flattened status
and nomination columns are regrouped, and held permits become the permit history.
"""

from __future__ import annotations

import datetime as dt

from db.models import Education, Household, JobOffer, LanguageTest, Member, Permit, PermitStatus, WorkPeriod
from solver import domain
from solver.domain import Role

# Permits that were issued: the history the rules look at (a PGWP is once in a lifetime).
_HELD = frozenset({PermitStatus.APPROVED, PermitStatus.EXPIRED})


def household_to_scenario(household: Household, as_of: dt.date, *, horizon_months: int = 60) -> domain.Scenario:
    """The household's situation on `as_of`; its members and offers (and theirs) must be loaded."""
    members = {member.role: member for member in household.members}
    spouse = members.get(Role.SPOUSE)
    return domain.Scenario(
        as_of=as_of,
        principal=member_to_person(members[Role.PRINCIPAL]),
        spouse=member_to_person(spouse) if spouse is not None else None,
        offers=tuple(offer_to_domain(offer) for offer in household.offers),
        horizon_months=horizon_months,
    )


def member_to_person(member: Member) -> domain.Person:
    """A member's facts as the solver's `Person`."""
    status = None
    if member.status_kind is not None and member.status_valid_to is not None:
        status = domain.Status(
            kind=member.status_kind,
            valid_to=member.status_valid_to,
            permit_code=member.status_permit_code,
            employer_specific=member.status_employer_specific,
        )
    nomination = None
    if member.nomination_province is not None and member.nomination_nominated_on is not None:
        nomination = domain.Nomination(
            province=member.nomination_province,
            nominated_on=member.nomination_nominated_on,
            employer_restricted=member.nomination_employer_restricted,
        )
    return domain.Person(
        birth_date=member.birth_date,
        citizenships=tuple(member.citizenships),
        in_canada=member.in_canada,
        passport_expiry=member.passport_expiry,
        status=status,
        permit_history=tuple(held for permit in member.permits if (held := _held(permit)) is not None),
        education=tuple(_education(row) for row in member.education),
        language_tests=tuple(_language_test(row) for row in member.language_tests),
        work_history=tuple(_work(row) for row in member.work_history),
        provincial_nomination=nomination,
    )


def offer_to_domain(offer: JobOffer) -> domain.Offer:
    """A stored offer as the solver's `Offer` (employer details stay behind)."""
    return domain.Offer(
        ref=offer.ref,
        holder=offer.holder,
        noc_code=offer.noc_code,
        province=offer.province,
        hours_per_week=offer.hours_per_week,
        earliest_start=offer.earliest_start,
        latest_start=offer.latest_start,
        months=offer.months,
        lmia_exempt_code=offer.lmia_exempt_code,
        lmia_approved=offer.lmia_approved,
    )


def _held(permit: Permit) -> domain.HeldPermit | None:
    if permit.status not in _HELD or permit.valid_from is None or permit.valid_to is None:
        return None
    return domain.HeldPermit(code=permit.code, valid_from=permit.valid_from, valid_to=permit.valid_to)


def _education(row: Education) -> domain.Education:
    return domain.Education(
        credential=row.credential,
        institution=row.institution,
        canadian=row.canadian,
        start=row.start,
        completion=row.completion,
        pgwp_eligible_dli=row.pgwp_eligible_dli,
        field_of_study_eligible=row.field_of_study_eligible,
        full_time=row.full_time,
        length_months=row.length_months,
        study_permit_applied_on=row.study_permit_applied_on,
    )


def _language_test(row: LanguageTest) -> domain.LanguageTest:
    return domain.LanguageTest(
        test=row.test,
        taken=row.taken,
        listening=row.listening,
        reading=row.reading,
        writing=row.writing,
        speaking=row.speaking,
    )


def _work(row: WorkPeriod) -> domain.WorkPeriod:
    return domain.WorkPeriod(
        noc_code=row.noc_code,
        start=row.start,
        hours_per_week=row.hours_per_week,
        in_canada=row.in_canada,
        end=row.end,
        self_employed=row.self_employed,
        while_full_time_student=row.while_full_time_student,
        authorized=row.authorized,
    )
