"""What each person starts from: their status on as_of (the depot), the jobs they may hold, PR prospects."""

from __future__ import annotations

import datetime as dt

from solver.dates import add_days, add_months
from solver.domain import Person, Role, StatusKind
from solver.options.options import Options
from solver.options.records import Depot, DepotKind, Job


def study_end(opts: Options, person: Person) -> dt.date | None:
    """The day a study permit's status ends: its validTo, or completion + STATUS.study_permit_end days."""
    if person.status is None or person.status.kind is not StatusKind.STUDENT:
        return None
    ends = [person.status.valid_to]
    done = [e.completion for e in person.education if e.canadian]
    if done:
        last = max(done)
        ends.append(add_days(last, opts.int_param("STATUS.study_permit_end", "days_after_completion", last)))
    return min(ends)


def _depot(opts: Options, role: Role, person: Person) -> Depot:
    if person.canadian_status is not None:
        # A Canadian partner needs no permit: status and open work past every day the model holds.
        return Depot(role, DepotKind.CANADIAN, opts.cal.table_size)
    if not person.in_canada:
        return Depot(role, DepotKind.OUTSIDE, -1)
    status = person.status
    if status is None or status.kind is StatusKind.NONE:
        return Depot(role, DepotKind.NONE, -1)
    if status.kind is StatusKind.STUDENT:
        end = study_end(opts, person)
        return Depot(role, DepotKind.STUDENT, opts.cal.day(end or status.valid_to))
    end_day = opts.cal.day(status.valid_to)
    if status.kind is StatusKind.VISITOR:
        return Depot(role, DepotKind.VISITOR, end_day)
    kind = DepotKind.WORKER_SPECIFIC if status.employer_specific else DepotKind.WORKER_OPEN
    return Depot(role, kind, end_day, status.permit_code)


def _jobs(opts: Options, role: Role, person: Person) -> list[Job]:
    out: list[Job] = []
    depot = opts.depots[role]
    for i, w in enumerate(person.work_history):
        if w.end is None and w.in_canada and depot.works and w.start <= opts.scenario.as_of:
            out.append(
                Job(f"{role.value}:history{i}", role, w.noc_code, w.hours_per_week, (0,), None, None, w.self_employed)
            )
    for offer in opts.scenario.offers:
        if offer.holder is role:
            first = opts.cal.day(offer.earliest_start)
            last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
            starts = tuple(sorted(set(opts.days(first, last)) | ({first} if 0 <= first < opts.cal.horizon else set())))
            if depot.kind is DepotKind.STUDENT and person.education:
                # A student holds no planned job before completing the program.
                done = opts.cal.day(max(e.completion for e in person.education))
                starts = tuple(d for d in starts if d >= done)
            if starts:
                out.append(
                    Job(
                        f"{role.value}:offer:{offer.ref}",
                        role,
                        offer.noc_code,
                        offer.hours_per_week,
                        starts,
                        offer.months,
                        offer.ref,
                    )
                )
    return out


def could_apply_for_pr(opts: Options, person: Person) -> bool:
    """Whether `person` could be a PR applicant in the horizon: a nomination, or a language result that meets
    the lower CEC level while valid (CEC.language, CEC.test_validity); no new test is planned."""
    if person.provincial_nomination is not None:
        return True
    as_of = opts.scenario.as_of
    need = opts.int_param("CEC.language", "clb_teer_2_3", as_of)
    months = opts.int_param("CEC.test_validity", "months", as_of)
    return any(t.lowest >= need and add_months(t.taken, months) > as_of for t in person.language_tests)
