"""A plan's deadlines as data: the last days its steps depend on, each with the rule that sets it.

Computed from the decoded Plan, the scenario and the rules alone (no model), so the planner, the validator and
a test can all ask for them:

- APPLY_TO_KEEP_STATUS: an application filed while a status covers it must be in by that status's last day
  (`STATUS.maintained`);
- RESTORATION_ENDS: where status lapses in the plan (a status gap), or had lapsed on `as_of`, the last day to
  apply for restoration (`STATUS.restoration` days after the last day of status);
- WINDOW_CLOSES: a planned PGWP's application window (`C43.application_window` days after completion);
- TEST_EXPIRES: the last valid day of the language test a step relies on (`C43.language`'s
  `test_max_age_months` for the PGWP, `CEC.test_validity` for the CEC, which must hold on the PR application);
- ITA_ACCEPTANCE: the last day to answer the Express Entry invitation with a complete PR application
  (`EE.ita_window` days after the invitation; the plan submits on the invitation day).

Steps are found by the rule they cite, so no category code is named here. A deadline before `as_of` is left out:
it can no longer be met. Sorted by date, then person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.dates import add_days, add_months
from solver.domain import (
    Deadline,
    DeadlineKind,
    LanguageTest,
    Person,
    Plan,
    PlannedPermit,
    PlanOptions,
    PlanStep,
    Role,
    Scenario,
    StatusKind,
)
from solver.phrases import Phrase
from solver.rules.registry import RuleSet
from solver.rules.status import lost_status


class _Reader:
    """The plan read with its rules: parameters on each trigger date (or on `options.rules_as_of`)."""

    def __init__(self, scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet) -> None:
        self.scenario = scenario
        self.plan = plan
        self.options = options
        self.rules = rules

    def on(self, trigger: dt.date) -> dt.date:
        return self.options.rules_as_of or trigger

    def days(self, rule_id: str, name: str, trigger: dt.date) -> int:
        return int(self.rules.param(rule_id, name, self.on(trigger)))

    def in_force(self, rule_id: str, trigger: dt.date) -> bool:
        return rule_id in self.rules and self.rules.in_force(rule_id, self.on(trigger))

    def step(self, person: Role, date: dt.date, rule_id: str, code: str | None = None) -> PlanStep | None:
        """The plan's step of `person` on `date` citing `rule_id` (and of category `code` when given)."""
        for s in self.plan.steps:
            if s.person is person and s.date == date and rule_id in s.rule_ids and (code is None or s.code == code):
                return s
        return None

    def steps_citing(self, rule_id: str) -> list[PlanStep]:
        """The steps from as_of on citing `rule_id` (one before is a filing of the file: done, nothing due)."""
        return [s for s in self.plan.steps if rule_id in s.rule_ids and s.date >= self.scenario.as_of]


def deadlines(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet) -> tuple[Deadline, ...]:
    """Every deadline of `plan` for `scenario` (see the module docstring), sorted by date and person."""
    r = _Reader(scenario, plan, options, rules)
    found = [*_keep_status(r), *_restoration(r), *_windows(r), *_tests(r), *_invitations(r)]
    kept = {d: None for d in found if d.date >= scenario.as_of}
    return tuple(sorted(kept, key=lambda d: (d.date, d.person.value, d.kind.value, d.rule_id, d.message)))


def _deadline(
    person: Role, kind: DeadlineKind, date: dt.date, rule_id: str, said: Phrase, step: PlanStep | None
) -> Deadline:
    if step is None:
        return Deadline(person, kind, date, rule_id, said.english(), phrase=said)
    return Deadline(person, kind, date, rule_id, said.english(), step.date, step.action, step.code, said)


# --- status ----------------------------------------------------------------------------------------


def _initial_status_end(r: _Reader, person: Person) -> dt.date | None:
    """The last day of the status held on as_of (a study permit ends at completion + STATUS.study_permit_end
    days at the latest); None when the person holds none in Canada."""
    status = person.status
    if not person.in_canada or status is None or status.kind is StatusKind.NONE:
        # No status on as_of: it ended with the permit of the history that ended last, if any.
        held = lost_status(person, r.scenario.as_of)
        return held.valid_to if held is not None else None
    if status.kind is not StatusKind.STUDENT:
        return status.valid_to
    programs = [e for e in person.education if e.canadian]
    if not programs:
        return status.valid_to
    edu = max(programs, key=lambda e: e.completion)
    after = r.days("STATUS.study_permit_end", "days_after_completion", edu.completion)
    return min(status.valid_to, add_days(edu.completion, after))


def _permits_of(r: _Reader, role: Role) -> list[PlannedPermit]:
    return sorted((p for p in r.plan.permits if p.person is role), key=lambda p: (p.apply_on, p.code))


def _keep_status(r: _Reader) -> Iterator[Deadline]:
    """Each application filed while a status (held on as_of or planned) covers its day: apply by its end."""
    for role, person in r.scenario.members:
        initial = _initial_status_end(r, person)
        permits = _permits_of(r, role)
        for p in permits:
            if r.step(role, p.apply_on, "STATUS.visitor_work_permit", p.code) is not None:
                continue  # a visitor's application processed outside Canada keeps no status
            ends = [q.valid_to for q in permits if q is not p and q.valid_from <= p.apply_on <= q.valid_to]
            if initial is not None and r.scenario.as_of <= p.apply_on <= initial:
                ends.append(initial)
            if not ends:
                continue
            last = max(ends)
            step = r.step(role, p.apply_on, "STATUS.maintained", p.code)
            said = Phrase.of("deadline.keep_status", name=p.name, code=p.code, day=last.isoformat())
            yield _deadline(role, DeadlineKind.APPLY_TO_KEEP_STATUS, last, "STATUS.maintained", said, step)


def _restoration(r: _Reader) -> Iterator[Deadline]:
    """Each status gap (and a status lapsed before as_of): the last day to apply to restore status."""
    as_of = r.scenario.as_of
    for role, person in r.scenario.members:
        initial = _initial_status_end(r, person)
        # A status whose printed end passed after an application filed in Canada by then is maintained, not lost.
        maintained = initial is not None and any(
            a.inside_canada and a.applied_on <= initial for a in person.pending_applications
        )
        lost = [initial] if initial is not None and initial < as_of and not maintained else []
        lost += [add_days(g.start, -1) for g in r.plan.status_gaps if g.person is role and g.start > as_of]
        for last_day in sorted(set(lost)):
            first_without = add_days(last_day, 1)
            until = add_days(last_day, r.days("STATUS.restoration", "days", first_without))
            restoring = next((p for p in _permits_of(r, role) if last_day < p.apply_on <= until), None)
            step = None
            if restoring is not None:
                step = r.step(role, restoring.apply_on, "STATUS.restoration", restoring.code)
            said = Phrase.of("deadline.restoration", lost=last_day.isoformat(), day=until.isoformat())
            yield _deadline(role, DeadlineKind.RESTORATION_ENDS, until, "STATUS.restoration", said, step)


# --- the PGWP window -------------------------------------------------------------------------------


def _windows(r: _Reader) -> Iterator[Deadline]:
    """Each planned application citing the PGWP window: completion + C43.application_window days."""
    for s in r.steps_citing("C43.application_window"):
        person = r.scenario.person(s.person)
        if person is None:
            continue
        programs = [e for e in person.education if e.canadian and e.start <= s.date]
        if not programs:
            continue
        edu = max(programs, key=lambda e: e.completion)
        last = add_days(edu.completion, r.days("C43.application_window", "days", s.date))
        said = Phrase.of(
            "deadline.window", code=str(s.code), completed=edu.completion.isoformat(), day=last.isoformat()
        )
        yield _deadline(s.person, DeadlineKind.WINDOW_CLOSES, last, "C43.application_window", said, s)


# --- language tests --------------------------------------------------------------------------------


def _relied_test(tests: tuple[LanguageTest, ...], on: dt.date, months: int) -> LanguageTest | None:
    """The best test valid on `on` (highest lowest ability, then the latest taken), as best_clb reads them."""
    valid = [t for t in tests if t.taken <= on < add_months(t.taken, months)]
    return max(valid, key=lambda t: (t.lowest, t.taken), default=None)


def _expiry_deadline(
    role: Role, test: LanguageTest, months: int, used_on: dt.date, rule_id: str, step: PlanStep | None, use: Phrase
) -> Deadline:
    last = add_days(add_months(test.taken, months), -1)
    said = Phrase.of(
        "deadline.test_lapses" if last < used_on else "deadline.test",
        test=test.test.value,
        taken=test.taken.isoformat(),
        day=last.isoformat(),
        use=use,
        used_on=used_on.isoformat(),
    )
    return _deadline(role, DeadlineKind.TEST_EXPIRES, last, rule_id, said, step)


def _tests(r: _Reader) -> Iterator[Deadline]:
    """The test a PGWP application (C43.language) or the CEC (CEC.test_validity) relies on: its last valid day."""
    for s in r.steps_citing("C43.language"):
        person = r.scenario.person(s.person)
        if person is None or not r.in_force("C43.language", s.date):
            continue
        months = r.days("C43.language", "test_max_age_months", s.date)
        test = _relied_test(person.language_tests, s.date, months)
        if test is not None:
            use = Phrase.of("use.permit", code=str(s.code))
            yield _expiry_deadline(s.person, test, months, s.date, "C43.language", s, use)
    for s in r.steps_citing("CEC.test_validity"):
        person = r.scenario.person(s.person)
        if person is None:
            continue
        months = r.days("CEC.test_validity", "months", s.date)
        test = _relied_test(person.language_tests, s.date, months)
        if test is None:
            continue
        # The test must still be valid on the PR application: the submission is the step that uses it.
        submission = next((x for x in r.steps_citing("EE.ita_window") if x.person is s.person), None)
        used_on = submission.date if submission is not None else s.date
        step = submission if submission is not None else s
        yield _expiry_deadline(s.person, test, months, used_on, "CEC.test_validity", step, Phrase.of("use.pr"))


# --- the invitation --------------------------------------------------------------------------------


def _invitations(r: _Reader) -> Iterator[Deadline]:
    """The Express Entry invitation (on the submission step's day): answer it within EE.ita_window days."""
    for s in r.steps_citing("EE.ita_window"):
        last = add_days(s.date, r.days("EE.ita_window", "days", s.date))
        said = Phrase.of("deadline.ita", invited=s.date.isoformat(), day=last.isoformat())
        yield _deadline(s.person, DeadlineKind.ITA_ACCEPTANCE, last, "EE.ita_window", said, s)
