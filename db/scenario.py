"""A stored household as the planner's `Scenario`: a pure mapping from loaded rows, by the domain's field names.

The columns carry the solver's names and enums, so `solver.assemble` reads each domain field from the row's
attribute of the same name (and a row's extra columns, such as an offer's employer, stay behind). Only what
is stored otherwise is given here: the member's status, nomination and PR application columns
(`models.STATUS_PREFIX`, `models.NOMINATION_PREFIX`, `models.PR_PREFIX`) are regrouped, issued permits become
the permit history and permits applied for (APPLIED, with the day) the pending applications, each naming its
offer by ref, and the date and horizon come from the question. The household's pins (`household_pins`, in the
order given) are read field by field like its children.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from db.models import NOMINATION_PREFIX, PR_PREFIX, STATUS_PREFIX, Household, Member, Permit, PermitStatus
from solver import domain
from solver.assemble import assemble
from solver.domain import Role

# Permits that were issued: the history the rules look at (a PGWP is once in a lifetime).
_HELD = frozenset({PermitStatus.APPROVED, PermitStatus.EXPIRED})


class _Prefixed:
    """A row's columns `<prefix><field>` seen as the attributes `<field>` of a nested domain value."""

    def __init__(self, row: object, prefix: str) -> None:
        self._row = row
        self._prefix = prefix

    def __getattr__(self, name: str) -> object:
        return getattr(self._row, self._prefix + name)


def household_to_scenario(household: Household, as_of: dt.date, *, horizon_months: int = 60) -> domain.Scenario:
    """The household's situation on `as_of`; its members and offers (and theirs) must be loaded."""
    members = {member.role: member for member in household.members}
    spouse = members.get(Role.SPOUSE)
    refs = {offer.id: offer.ref for offer in household.offers}
    return assemble(
        domain.Scenario,
        household,
        as_of=as_of,
        principal=member_to_person(members[Role.PRINCIPAL], refs, as_of),
        spouse=member_to_person(spouse, refs, as_of) if spouse is not None else None,
        horizon_months=horizon_months,
    )


def member_to_person(
    member: Member, offer_refs: Mapping[int, str] | None = None, as_of: dt.date | None = None
) -> domain.Person:
    """A member's facts as the solver's `Person`; `offer_refs` names the household's offers by id (a pending
    application for an offer the map lacks is taken without its offer). With `as_of`, an application filed
    after it was not yet pending on that day and is left out (a household planned as of an earlier day, or a
    row stored before applications were checked against today)."""
    status = None
    if member.status_kind is not None and member.status_valid_to is not None:
        status = assemble(domain.Status, _Prefixed(member, STATUS_PREFIX))
    nomination = None
    if member.nomination_province is not None and member.nomination_nominated_on is not None:
        nomination = assemble(domain.Nomination, _Prefixed(member, NOMINATION_PREFIX))
    pr_application = None
    if member.pr_program is not None and member.pr_submitted_on is not None:
        pr_application = assemble(domain.PrApplication, _Prefixed(member, PR_PREFIX))
    refs = offer_refs or {}
    return assemble(
        domain.Person,
        member,
        status=status,
        provincial_nomination=nomination,
        pr_application=pr_application,
        permit_history=tuple(held for permit in member.permits if (held := _held(permit)) is not None),
        pending_applications=tuple(
            pending
            for permit in member.permits
            if (pending := _pending(permit, refs)) is not None and (as_of is None or pending.applied_on <= as_of)
        ),
    )


def _pending(permit: Permit, offer_refs: Mapping[int, str]) -> domain.PendingApplication | None:
    """An application filed and not yet decided: a permit APPLIED for on a known day."""
    if permit.status is not PermitStatus.APPLIED or permit.applied_on is None:
        return None
    offer_ref = offer_refs.get(permit.offer_id) if permit.offer_id is not None else None
    return assemble(domain.PendingApplication, permit, offer_ref=offer_ref)


def _held(permit: Permit) -> domain.HeldPermit | None:
    if permit.status not in _HELD or permit.valid_from is None or permit.valid_to is None:
        return None
    return assemble(domain.HeldPermit, permit)
