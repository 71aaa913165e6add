"""Bridging open work permit (A75): eligible PR classes, the R10 completeness gate, status at application."""

from __future__ import annotations

import datetime as dt

from solver import dates
from solver.domain import Person
from solver.phrases import Phrase
from solver.rules.decision import Checks, Decision
from solver.rules.registry import RuleSet
from solver.rules.status import can_restore, holds_work_permit, work_permit_end


def eligible_classes(on: dt.date, rules: RuleSet) -> frozenset[str]:
    """PR classes whose principal applicants may get a BOWP on `on`."""
    return frozenset(rules.param("A75.eligible_classes", "classes", on))


def validity_months(on: dt.date, rules: RuleSet) -> int:
    """BOWP length in months for a permit issued on `on` (before the passport cap)."""
    return int(rules.param("A75.validity", "months", on))


def completeness_days(on: dt.date, rules: RuleSet) -> int:
    """Days from PR submission on `on` until the R10 completeness check lets the BOWP issue."""
    return int(rules.param("A75.completeness", "days_after_submission", on))


def earliest_issue(pr_submitted_on: dt.date, rules: RuleSet) -> dt.date:
    """The first day a BOWP can be issued for a PR application submitted on `pr_submitted_on`."""
    return dates.add_days(pr_submitted_on, completeness_days(pr_submitted_on, rules))


def check(
    person: Person,
    on: dt.date,
    rules: RuleSet,
    *,
    pr_class: str | None,
    pr_submitted_on: dt.date | None,
    maintained: bool = False,
) -> Decision:
    """Whether `person` can apply for a BOWP on `on` as principal applicant of `pr_class` submitted then."""
    c = Checks(rules)
    classes = eligible_classes(on, rules)
    if pr_class is None:
        c.unknown_fact("A75.eligible_classes", Phrase.of("reason.needs_economic_pr"), "PR application class")
    else:
        c.check(
            pr_class in classes,
            "A75.eligible_classes",
            Phrase.of("met.class_eligible", program=pr_class),
            Phrase.of("reason.class_not_eligible", program=pr_class),
        )
        nomination = person.provincial_nomination
        if pr_class == "PNP" and nomination is not None and nomination.employer_restricted:
            c.fail("A75.eligible_classes", Phrase.of("reason.nominee_uses_t13"))
    if pr_submitted_on is None:
        c.unknown_fact("A75.completeness", Phrase.of("reason.needs_pr_aor"), "PR application date")
    elif c.check(
        pr_submitted_on <= on,
        "A75.completeness",
        Phrase.of("met.pr_submitted", day=pr_submitted_on.isoformat()),
        Phrase.of("reason.pr_not_yet_submitted", day=on.isoformat()),
    ):
        c.note(
            "A75.completeness",
            Phrase.of("note.completeness_check", day=earliest_issue(pr_submitted_on, rules).isoformat()),
        )
    ended = work_permit_end(person)
    valid = holds_work_permit(person, on)
    restorable = ended is not None and can_restore(ended, on, rules)
    c.check(
        person.in_canada and (valid or maintained or restorable),
        "A75.status_at_application",
        Phrase.of("met.bowp_status"),
        Phrase.of("reason.bowp_status"),
    )
    window = int(rules.param("A75.four_month_window", "months", on))
    if valid and ended is not None and not dates.add_months(on, window) >= ended:
        c.note("A75.four_month_window", Phrase.of("note.old_four_months", months=window))
    return c.decision()
