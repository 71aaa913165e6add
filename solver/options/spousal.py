"""Candidate permits that depend on the partner: C42 (student), C41 (worker) and C49 (PR applicant)."""

from __future__ import annotations

import functools

from solver.domain import Person, Role
from solver.options import rulebridge as rules_eligibility
from solver.options.household import could_apply_for_pr
from solver.options.options import Options, fee_cents
from solver.options.records import Candidate, DepotKind, Kind


def _spousal(opts: Options, role: Role, person: Person) -> list[Candidate]:
    partner = opts.partner(role)
    if partner is None:
        return []
    p_person = opts.scenario.person(partner)
    assert p_person is not None
    out: list[Candidate] = []
    if role is Role.SPOUSE:
        # C41 and C42 are for the principal's spouse (the principal is who first held a permit).
        out.extend(_spouse_of_student(opts, role, partner, p_person))
        out.extend(_spouse_of_worker(opts, role, partner))
    out.extend(_spouse_of_pr_applicant(opts, role, partner))
    return out


def _spousal_candidate(
    opts: Options, role: Role, code: str, kind: Kind, key: str, days: tuple[int, ...], **kw: object
) -> Candidate:
    d0 = opts.cal.date(days[0])
    return Candidate(
        key=key,
        person=role,
        code=code,
        kind=kind,
        open=True,
        apply_days=days,
        processing_inside=opts.processing(code, True, d0),
        processing_outside=opts.processing(code, False, d0),
        months=None,
        fee_cents=fee_cents(opts, code, d0),
        **kw,  # type: ignore[arg-type]
    )


def _spouse_of_student(opts: Options, role: Role, partner: Role, p_person: Person) -> list[Candidate]:
    depot = opts.depots[partner]
    if depot.kind is not DepotKind.STUDENT or p_person.status is None:
        return []
    out: list[Candidate] = []
    for i, edu in enumerate(p_person.education):
        if not edu.canadian:
            continue
        first = max(0, opts.cal.day(edu.start))
        last = min(depot.end, opts.cal.day(edu.completion))
        days = opts.eligible_days(first, last, p_person, functools.partial(rules_eligibility.c42_on, opts.rules, edu))
        if days:
            out.append(
                _spousal_candidate(
                    opts,
                    role,
                    "C42",
                    Kind.SPOUSE_OF_STUDENT,
                    f"{role.value}:C42:{i}",
                    days,
                    rule_ids=("C42.principal_program",),
                    source=f"{partner.value}:depot",
                    fixed_end=opts.cal.day(p_person.status.valid_to),
                )
            )
    return out[:1]


def work_sources(opts: Options, partner: Role, kinds: tuple[Kind, ...]) -> list[tuple[str, bool, str | None]]:
    """(node key, open, offer ref) of each work permit `partner` may hold: their status on as_of, their candidates."""
    sources: list[tuple[str, bool, str | None]] = []
    depot = opts.depots[partner]
    if depot.works:
        sources.append((f"{partner.value}:depot", depot.kind is DepotKind.WORKER_OPEN, None))
    for c in opts.candidates:
        if c.person is partner and c.kind in kinds:
            sources.append((c.key, c.open, c.offer_ref))
    return sources


def _spouse_of_worker(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C41 variants: one per (principal's work permit, principal's job) that could support it."""
    out: list[Candidate] = []
    depot = opts.depots[partner]
    for source, is_open, offer_ref in work_sources(opts, partner, (Kind.PGWP, Kind.EMPLOYER, Kind.IEC)):
        if source.endswith(":depot") and depot.kind is DepotKind.WORKER_SPECIFIC:
            jobs = [j for j in opts.jobs if j.person is partner and j.offer_ref is None]
        else:
            jobs = [j for j in opts.jobs if j.person is partner and (is_open or j.offer_ref == offer_ref)]
        for job in jobs:
            days = opts.eligible_days(
                0,
                opts.cal.horizon - 1,
                None,
                functools.partial(rules_eligibility.c41_occupation_ok, opts.rules, job.noc_code),
            )
            if not days:
                continue
            months = opts.param_series("C41.principal_validity", "months", days[0], days[-1])
            refs = tuple(opts.shift_months(d, months[d - days[0]]) for d in range(days[0], days[-1] + 1))
            out.append(
                _spousal_candidate(
                    opts,
                    role,
                    "C41",
                    Kind.SPOUSE_OF_WORKER,
                    f"{role.value}:C41:{source}:{job.key}",
                    days,
                    rule_ids=("C41.principal_occupation", "C41.principal_validity", "C41.principal_employed"),
                    source=source,
                    source_job=job.key,
                    validity_ref_months=refs,
                )
            )
    return out


def _spouse_of_pr_applicant(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C49 variants: one per work permit of the PR applicant (the partner) it may run to."""
    days = opts.days(0, opts.cal.horizon - 1)
    if not days or not opts.rules.in_force("C49.principal_pr_applicant", opts.on(opts.cal.date(days[-1]))):
        return []
    applicant = opts.scenario.person(partner)
    if applicant is None or not could_apply_for_pr(opts, applicant):
        return []
    out: list[Candidate] = []
    for source, _open, _ref in work_sources(opts, partner, (Kind.PGWP, Kind.EMPLOYER, Kind.IEC, Kind.BRIDGING)):
        out.append(
            _spousal_candidate(
                opts,
                role,
                "C49",
                Kind.SPOUSE_OF_PR_APPLICANT,
                f"{role.value}:C49:{source}",
                days,
                rule_ids=("C49.principal_pr_applicant",),
                source=source,
            )
        )
    return out
