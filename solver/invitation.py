"""Whether the invitation a plan assumes is likely: the applicant's CRS on the ready day against the recent
cut-offs of the draws open to them (EE.cutoff), with the levers that would raise it, each scored by
`solver.crs`; and the invitation wait the plan assumed (EE.ita_wait, the caller's options.itaWaitDays).

The plan submits the PR application options.itaWaitDays after the profile as if an invitation came; IRCC
invites by rank, so a score below every recent cut-off makes that an assumption at risk, and the plan says so
rather than leaving it silent (issue 12, item 4).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from solver import crs, dates
from solver.domain import Finding, LanguageTest, LanguageTestKind, Nomination, Person, PlanOptions, WorkPeriod
from solver.phrases import Phrase, all_of
from solver.rules.decision import cited
from solver.rules.express_entry import cutoffs, draw_types, lowest_cutoff
from solver.rules.language import valid_on
from solver.rules.registry import RuleSet

# The levels a lever tests: a retest to CLB 9 (CLB 10 from 9), French at NCLC 7 (CRS.additional's threshold),
# the spouse at CLB 9 (CRS.spouse's top step). Targets of "what if", not rule values.
_RETEST_CLB = 9
_TOP_CLB = 10
_FRENCH_NCLC = 7
_SPOUSE_CLB = 9


@dataclass(frozen=True)
class Lever:
    """One change to the file and what it does to the CRS on the same day."""

    said: Phrase
    points: int
    rule_id: str

    @property
    def label(self) -> str:
        """The change in English."""
        return self.said.english()


def entered_draw_types(person: Person, program: str, on: dt.date, rules: RuleSet) -> tuple[str, ...]:
    """The draw types (of those EE.cutoff names) a profile of `program` enters on `on`: CEC for a CEC
    candidate, PNP for a nominee, FRENCH with NCLC 7 in every ability, GENERAL always. The occupation
    categories (healthcare, trades, education, STEM, agriculture) need occupation facts the file lacks."""
    named = draw_types(on, rules)
    months = int(rules.param("CEC.test_validity", "months", on))
    nominated = person.provincial_nomination is not None and person.provincial_nomination.nominated_on <= on
    french = any(
        t.test.is_french and t.lowest >= _FRENCH_NCLC and valid_on(t, on, months) for t in person.language_tests
    )
    wanted = {"CEC": program == "CEC", "PNP": program == "PNP" or nominated, "FRENCH": french, "GENERAL": True}
    return tuple(t for t in named if wanted.get(t, False))


def levers(person: Person, spouse: Person | None, on: dt.date, rules: RuleSet) -> list[Lever]:
    """The changes that apply to this file, each with its CRS effect on `on` (crs.score with and without)."""
    base = crs.score(person, on, rules, spouse=spouse).total
    months = int(rules.param("CEC.test_validity", "months", on))
    out: list[Lever] = []

    def gain(said: Phrase, rule_id: str, who: Person, partner: Person | None = spouse, day: dt.date = on) -> None:
        out.append(Lever(said, crs.score(who, day, rules, spouse=partner).total - base, rule_id))

    if person.provincial_nomination is None or person.provincial_nomination.nominated_on > on:
        nominee = dataclasses.replace(person, provincial_nomination=Nomination("a province", on))
        gain(Phrase.of("lever.nomination"), "CRS.additional", nominee)
    arranged = rules.rule("CRS.arranged_employment").at(on)
    if arranged is not None and int(arranged.params["other"]) == 0:
        offer = Phrase.of("lever.job_offer", day=arranged.effective.isoformat())
        out.append(Lever(offer, 0, "CRS.arranged_employment"))
    valid = [t for t in person.language_tests if valid_on(t, on, months)]
    first = max((t for t in valid if not t.test.is_french), key=lambda t: t.lowest, default=None)
    level = _RETEST_CLB if first is None or first.lowest < _RETEST_CLB else _TOP_CLB
    if first is None or first.lowest < _TOP_CLB:
        kind = first.test if first is not None else LanguageTestKind.IELTS_GENERAL
        retest = _test(kind, on, level, first)
        gain(Phrase.of("lever.retest", clb=level), "CRS.core", _with_test(person, retest))
    if not any(t.test.is_french and t.lowest >= _FRENCH_NCLC for t in valid):
        french = _test(LanguageTestKind.TEF_CANADA, on, _FRENCH_NCLC, None)
        gain(Phrase.of("lever.french", nclc=_FRENCH_NCLC), "CRS.additional", _with_test(person, french))
    if spouse is not None and spouse.canadian_status is None:
        best = max((t.lowest for t in spouse.language_tests if valid_on(t, on, months)), default=0)
        if best < _SPOUSE_CLB:
            test = _test(LanguageTestKind.IELTS_GENERAL, on, _SPOUSE_CLB, None)
            gain(Phrase.of("lever.spouse_test", clb=_SPOUSE_CLB), "CRS.spouse", person, _with_test(spouse, test))
    year = _one_more_year(person, on, rules)
    if year is not None:
        moved, later = year
        partner = _tests_later(spouse) if spouse is not None else None
        gain(Phrase.of("lever.one_more_year"), "CRS.core", moved, partner, later)
    return [lever for lever in out if lever.points > 0 or lever.rule_id == "CRS.arranged_employment"]


def _test(kind: LanguageTestKind, on: dt.date, level: int, was: LanguageTest | None) -> LanguageTest:
    """A result taken on `on` at `level` in every ability (keeping any ability already higher)."""
    skills = (was.listening, was.reading, was.writing, was.speaking) if was is not None else (0, 0, 0, 0)
    return LanguageTest(kind, on, *(max(level, s) for s in skills))


def _with_test(person: Person, test: LanguageTest) -> Person:
    return dataclasses.replace(person, language_tests=(*person.language_tests, test))


def _tests_later(person: Person) -> Person:
    """`person` with every test taken a year later (so a year on, their validity is unchanged)."""
    tests = tuple(dataclasses.replace(t, taken=dates.add_years(t.taken, 1)) for t in person.language_tests)
    return dataclasses.replace(person, language_tests=tests)


def _one_more_year(person: Person, on: dt.date, rules: RuleSet) -> tuple[Person, dt.date] | None:
    """The person a year later with a year of full-time skilled Canadian work after `on` (tests moved with
    them so their validity is unchanged), or None without Canadian skilled work to continue."""
    canadian = [w for w in person.work_history if w.in_canada and not w.self_employed]
    if not canadian:
        return None
    latest = max(canadian, key=lambda w: w.start)
    later = dates.add_years(on, 1)
    # Full time as CEC.hours_cap counts a week.
    hours = float(rules.param("CEC.hours_cap", "max_hours_per_week", on))
    job = WorkPeriod(latest.noc_code, on, hours, True, end=dates.add_days(later, -1))
    moved = _tests_later(dataclasses.replace(person, work_history=(*person.work_history, job)))
    return moved, later


def cutoff_finding(
    person: Person, spouse: Person | None, program: str, ready: dt.date, rules: RuleSet, rules_on: dt.date
) -> Finding:
    """The CRS on `ready` against the recorded cut-offs of the draw types the profile enters (EE.cutoff): a
    risk finding naming the shortfall and the levers when it is below every one of them; otherwise a note
    that it reaches one, or that the rules record none to compare with."""
    types = entered_draw_types(person, program, ready, rules)
    score = crs.score(person, ready, rules, spouse=spouse).total
    lowest = lowest_cutoff(rules_on, rules, types)
    recorded = [kind for kind in types if cutoffs(rules_on, rules, kind)]
    missing = [kind for kind in types if kind not in recorded]
    if lowest is None:
        if missing:
            said = Phrase.of("cutoff.none", score=score, day=ready.isoformat(), draws=", ".join(missing))
        else:
            said = Phrase.of("cutoff.none_any", score=score, day=ready.isoformat())
        return cited(rules, Finding("EE.cutoff", said.english(), phrase=said), rules_on)
    if score >= lowest.score:
        said = Phrase.of(
            "cutoff.reached",
            score=score,
            day=ready.isoformat(),
            cutoff=lowest.score,
            draw=lowest.type,
            drawn=lowest.date.isoformat(),
        )
        return cited(rules, Finding("EE.cutoff", said.english(), phrase=said), rules_on)
    ranges: list[str | Phrase] = []
    for kind in recorded:
        found = cutoffs(rules_on, rules, kind)
        scores = [d.score for d in found]
        ranges.append(
            Phrase.of(
                "cutoff.range",
                draw=kind,
                low=min(scores),
                high=max(scores),
                latest=found[0].score,
                day=str(found[0].date),
            )
        )
    facts: dict[str, str | int | Phrase] = {
        "score": score,
        "day": ready.isoformat(),
        "ranges": all_of(ranges, "each"),
        "gap": lowest.score - score,
        "cutoff": lowest.score,
        "draw": lowest.type,
        "drawn": lowest.date.isoformat(),
    }
    if missing:
        said = Phrase.of("cutoff.below_missing", **facts, draws=", ".join(missing))
    else:
        said = Phrase.of("cutoff.below", **facts)
    shown: list[str | Phrase] = [
        Phrase.of(
            "lever.reaches" if score + lever.points >= lowest.score else "lever.line",
            lever=lever.said,
            points=f"{lever.points:+d}",
            total=score + lever.points,
            rule=lever.rule_id,
        )
        for lever in levers(person, spouse, ready, rules)
    ]
    if shown:
        said = Phrase.of("cutoff.levers", risk=said, levers=all_of(shown, "each"))
    return cited(rules, Finding("EE.cutoff", said.english(), phrase=said), rules_on)


def ita_wait_finding(options: PlanOptions, profile_on: dt.date, rules: RuleSet, rules_on: dt.date) -> Finding:
    """The invitation wait the plan assumed (EE.ita_wait: the caller's options.itaWaitDays)."""
    wait = options.ita_wait_days
    submit = dates.add_days(profile_on, wait)
    said = Phrase.of("invitation.wait", days=wait, day=profile_on.isoformat(), submit=submit.isoformat())
    return cited(rules, Finding("EE.ita_wait", said.english(), phrase=said), rules_on)
