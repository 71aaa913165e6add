"""A stored household as the planner's `Scenario`: a pure mapping from loaded rows, by the domain's field names.

The columns carry the solver's names and enums, so `solver.assemble` reads each domain field from the row's
attribute of the same name (and a row's extra columns, such as an offer's employer, stay behind). Only what
is stored otherwise is given here: the member's status and nomination columns (`models.STATUS_PREFIX`,
`models.NOMINATION_PREFIX`) are regrouped, held permits become the permit history, and the date and
horizon come from the question.
"""

from __future__ import annotations

import datetime as dt

from db.models import NOMINATION_PREFIX, STATUS_PREFIX, Household, Member, Permit, PermitStatus
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
    return assemble(
        domain.Scenario,
        household,
        as_of=as_of,
        principal=member_to_person(members[Role.PRINCIPAL]),
        spouse=member_to_person(spouse) if spouse is not None else None,
        horizon_months=horizon_months,
    )


def member_to_person(member: Member) -> domain.Person:
    """A member's facts as the solver's `Person`."""
    status = None
    if member.status_kind is not None and member.status_valid_to is not None:
        status = assemble(domain.Status, _Prefixed(member, STATUS_PREFIX))
    nomination = None
    if member.nomination_province is not None and member.nomination_nominated_on is not None:
        nomination = assemble(domain.Nomination, _Prefixed(member, NOMINATION_PREFIX))
    return assemble(
        domain.Person,
        member,
        status=status,
        provincial_nomination=nomination,
        permit_history=tuple(held for permit in member.permits if (held := _held(permit)) is not None),
    )


def _held(permit: Permit) -> domain.HeldPermit | None:
    if permit.status not in _HELD or permit.valid_from is None or permit.valid_to is None:
        return None
    return assemble(domain.HeldPermit, permit)
