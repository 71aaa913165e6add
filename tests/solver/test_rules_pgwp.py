"""PGWP (C43) golden cases: one row a case, with the reason; version boundaries the day before, of and after."""

from __future__ import annotations

import datetime as dt

import pytest

from solver.domain import Credential, Education, InstitutionKind, Person
from solver.rules import pgwp
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, held, lang, person, program, student, worker

RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED
BACHELOR = program()  # university bachelor's, 50 months, completed 2026-11-20, study permit applied 2022-04-11
GRAD = person(status=student("2027-02-18"), education=(BACHELOR,), tests=(lang(8),))


def _grad(edu: Education, clb: int = 8, taken: str = "2026-08-01", **kw: object) -> Person:
    end = edu.completion + dt.timedelta(days=90)
    fields: dict[str, object] = {"status": student(end.isoformat()), "education": (edu,), "tests": (lang(clb, taken),)}
    fields.update(kw)
    return person(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("who", "edu", "apply_on", "verdict", "cites"),
    [
        pytest.param(GRAD, BACHELOR, "2026-11-19", N, "C43.application_window", id="day before completion: too early"),
        pytest.param(GRAD, BACHELOR, "2026-11-20", E, None, id="completion day: window opens"),
        pytest.param(GRAD, BACHELOR, "2027-05-19", E, None, id="day 180: last day (R197 route)"),
        pytest.param(GRAD, BACHELOR, "2027-05-20", N, "C43.application_window", id="day 181: window closed"),
        pytest.param(
            person(
                status=student("2027-02-18"),
                education=(BACHELOR,),
                tests=(lang(8),),
                history=(held("C43", "2020-01-01", "2021-01-01"),),
            ),
            BACHELOR,
            "2026-12-01",
            N,
            "C43.once_per_lifetime",
            id="already held a PGWP",
        ),
        pytest.param(
            person(status=worker("2027-01-01", "C43"), education=(BACHELOR,), tests=(lang(8),)),
            BACHELOR,
            "2026-12-01",
            N,
            "C43.once_per_lifetime",
            id="holds a PGWP now (status code)",
        ),
        pytest.param(
            GRAD, program(pgwp_eligible_dli=False), "2026-12-01", N, "C43.institution", id="not a PGWP-eligible DLI"
        ),
        pytest.param(GRAD, program(canadian=False), "2026-12-01", N, "C43.institution", id="foreign program"),
        pytest.param(
            GRAD,
            program(Credential.SECONDARY),
            "2026-12-01",
            N,
            "C43.institution",
            id="secondary school never qualifies",
        ),
        pytest.param(GRAD, program(months=7), "2026-12-01", N, "C43.min_program_length", id="7 months: too short"),
        pytest.param(_grad(program(months=8)), program(months=8), "2026-12-01", E, None, id="8 months: long enough"),
        pytest.param(GRAD, program(full_time=False), "2026-12-01", N, "C43.full_time", id="part-time studies"),
        pytest.param(
            person(status=student("2027-02-18"), education=(BACHELOR,)),
            BACHELOR,
            "2026-12-01",
            U,
            "C43.language",
            id="no language test on file: undecided",
        ),
        pytest.param(
            _grad(BACHELOR, clb=6), BACHELOR, "2026-12-01", N, "C43.language", id="university needs CLB 7: CLB 6 fails"
        ),
        pytest.param(
            _grad(BACHELOR, taken="2024-11-30"),
            BACHELOR,
            "2026-11-30",
            N,
            "C43.language",
            id="test exactly 2 years old: too old",
        ),
        pytest.param(
            _grad(BACHELOR, taken="2024-12-01"), BACHELOR, "2026-11-30", E, None, id="test a day under 2 years: valid"
        ),
        pytest.param(
            _grad(BACHELOR, taken="2027-01-01"),
            BACHELOR,
            "2026-12-01",
            N,
            "C43.language",
            id="test taken after applying does not count",
        ),
        pytest.param(
            person(in_canada=True, status=worker("2027-12-01"), education=(BACHELOR,), tests=(lang(8),)),
            BACHELOR,
            "2026-12-01",
            U,
            "C43.study_permit_required",
            id="no study permit on file: undecided",
        ),
        pytest.param(
            person(
                in_canada=False,
                status=student("2026-01-01"),
                education=(program(completion="2025-10-01"),),
                tests=(lang(8, "2025-09-01"),),
            ),
            program(completion="2025-10-01"),
            "2026-03-31",
            N,
            "C43.application_window",
            id="outside Canada, day 181",
        ),
        pytest.param(
            person(
                in_canada=False,
                status=student("2025-01-01"),
                education=(program(completion="2025-10-01"),),
                tests=(lang(8, "2025-09-01"),),
            ),
            program(completion="2025-10-01"),
            "2025-10-15",
            N,
            "C43.study_permit_required",
            id="study permit ended over 180 days before applying",
        ),
    ],
)
def test_pgwp_check(who: Person, edu: Education, apply_on: str, verdict: Verdict, cites: str | None) -> None:
    decision = pgwp.check(who, edu, D(apply_on), RULES)
    assert decision.verdict is verdict, decision.reasons
    if cites is not None:
        assert decision.reasons[0].rule_id == cites
        assert decision.reasons[0].source == RULES.source(cites)


# Language: none before 2024-11-01; CLB 7 for university programs; college degrees CLB 5 until 2025-03-10, then 7.
COLLEGE_BACHELOR = program(Credential.BACHELOR, InstitutionKind.COLLEGE, completion="2024-10-15", start="2020-09-01")
UNI_BACHELOR = program(completion="2024-10-15", start="2020-09-01")
COLLEGE_DIPLOMA = program(
    Credential.DIPLOMA, InstitutionKind.COLLEGE, completion="2024-10-15", start="2022-09-01", months=24
)


@pytest.mark.parametrize(
    ("edu", "apply_on", "clb", "reason"),
    [
        (UNI_BACHELOR, "2024-10-31", 0, "day before the language rule: none"),
        (UNI_BACHELOR, "2024-11-01", 7, "first day: university CLB 7"),
        (UNI_BACHELOR, "2024-11-02", 7, "day after"),
        (COLLEGE_BACHELOR, "2024-10-31", 0, "college degree, day before: none"),
        (COLLEGE_BACHELOR, "2024-11-01", 5, "college degree from 2024-11-01: CLB 5"),
        (COLLEGE_BACHELOR, "2025-03-10", 5, "college degree, day before the correction: CLB 5"),
        (COLLEGE_BACHELOR, "2025-03-11", 7, "college degree from 2025-03-11: CLB 7"),
        (COLLEGE_BACHELOR, "2025-03-12", 7, "day after the correction"),
        (COLLEGE_DIPLOMA, "2025-03-11", 5, "college diploma stays CLB 5"),
        (
            program(Credential.CERTIFICATE, InstitutionKind.UNIVERSITY, months=10),
            "2025-03-11",
            7,
            "university non-degree: CLB 7",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and not v[:1].isdigit() else None,
)
def test_required_clb_by_date(edu: Education, apply_on: str, clb: int, reason: str) -> None:
    assert pgwp.required_clb(edu, D(apply_on), RULES) == clb, reason


@pytest.mark.parametrize(
    ("apply_on", "verdict", "reason"),
    [
        ("2024-10-31", E, "CLB 6 college-degree graduate, before the language rule"),
        ("2024-11-01", E, "CLB 6 meets CLB 5 for a college degree"),
        ("2025-03-10", E, "last day of CLB 5 for college degrees"),
        ("2025-03-11", N, "from 2025-03-11 a college degree needs CLB 7"),
    ],
)
def test_college_degree_language_changes_the_answer(apply_on: str, verdict: Verdict, reason: str) -> None:
    edu = program(Credential.BACHELOR, InstitutionKind.COLLEGE, completion="2024-10-15", start="2020-09-01")
    who = person(status=student("2025-06-01"), education=(edu,), tests=(lang(6, "2024-06-01"),))
    assert pgwp.check(who, edu, D(apply_on), RULES).verdict is verdict, reason


@pytest.mark.parametrize(
    ("credential", "months", "apply_on", "expected", "reason"),
    [
        (Credential.MASTER, 12, "2024-02-14", 12, "1-year master's the day before: program length"),
        (Credential.MASTER, 12, "2024-02-15", 36, "1-year master's from 2024-02-15: 3 years"),
        (Credential.MASTER, 12, "2024-02-16", 36, "day after"),
        (Credential.MASTER, 7, "2024-03-01", 0, "master's under 8 months: none"),
        (Credential.DIPLOMA, 7, "2024-03-01", 0, "under 8 months: none"),
        (Credential.DIPLOMA, 8, "2024-03-01", 8, "8 months: 8 months"),
        (Credential.DIPLOMA, 23, "2024-03-01", 23, "under 2 years: program length"),
        (Credential.DIPLOMA, 24, "2024-03-01", 36, "2 years: 3 years"),
        (Credential.BACHELOR, 50, "2026-12-01", 36, "4-year bachelor's: 3 years"),
    ],
)
def test_duration(credential: Credential, months: int, apply_on: str, expected: int, reason: str) -> None:
    assert pgwp.duration_months(program(credential, months=months), D(apply_on), RULES) == expected, reason


def _diploma(study_permit: str | None, start: str = "2024-09-03", *, listed: bool) -> Education:
    return program(
        Credential.DIPLOMA,
        InstitutionKind.COLLEGE,
        start=start,
        completion="2026-05-01",
        months=20,
        study_permit=study_permit,
        field_of_study_eligible=listed,
    )


@pytest.mark.parametrize(
    ("edu", "verdict", "reason"),
    [
        (_diploma("2024-10-31", listed=False), E, "study permit applied the day before: field of study does not apply"),
        (_diploma("2024-11-01", listed=False), N, "applied on 2024-11-01: unlisted field fails"),
        (_diploma("2024-11-02", listed=False), N, "applied the day after: unlisted field fails"),
        (_diploma("2024-11-01", listed=True), E, "applied on 2024-11-01: listed field passes"),
        (_diploma(None, start="2024-09-03", listed=False), E, "no date, program started before: taken as before"),
        (_diploma(None, start="2025-01-06", listed=False), U, "no date, program started after: undecided"),
        (
            program(
                Credential.BACHELOR,
                InstitutionKind.COLLEGE,
                start="2024-09-03",
                completion="2026-05-01",
                months=20,
                study_permit="2024-12-01",
                field_of_study_eligible=False,
            ),
            E,
            "degree programs are exempt",
        ),
    ],
)
def test_field_of_study_by_study_permit_date(edu: Education, verdict: Verdict, reason: str) -> None:
    who = person(status=student("2026-07-30"), education=(edu,), tests=(lang(7, "2026-01-01"),))
    decision = pgwp.check(who, edu, D("2026-05-15"), RULES)
    assert decision.verdict is verdict, (reason, decision.reasons)
    if verdict is not E:
        assert "C43.field_of_study" in decision.rule_ids


def test_window_and_study_permit_end() -> None:
    assert pgwp.application_window(BACHELOR, RULES) == (D("2026-11-20"), D("2027-05-19"))
    assert pgwp.study_permit_end(BACHELOR, student("2028-01-01"), RULES) == D("2027-02-18")
    assert pgwp.study_permit_end(BACHELOR, student("2027-01-10"), RULES) == D("2027-01-10")
    assert pgwp.study_permit_end(BACHELOR, worker("2028-01-01"), RULES) is None


@pytest.mark.parametrize(
    ("apply_on", "works", "reason"),
    [
        ("2026-11-19", False, "before completion"),
        ("2026-11-20", True, "on completion with a valid study permit"),
        ("2027-02-18", True, "last day of the study permit"),
        ("2027-02-19", False, "study permit expired: R197, no work"),
    ],
)
def test_work_while_pending(apply_on: str, works: bool, reason: str) -> None:
    assert pgwp.work_while_pending(GRAD, BACHELOR, D(apply_on), RULES) is works, reason


def test_r197_route_is_a_note_and_eligible() -> None:
    decision = pgwp.check(GRAD, BACHELOR, D("2027-03-01"), RULES)
    assert decision.verdict is E
    assert any("R197" in r.message for r in decision.reasons)


def test_eligible_education_picks_canadian_programs() -> None:
    foreign = program(canadian=False)
    short = program(months=6)
    who = person(education=(foreign, BACHELOR, short))
    assert pgwp.eligible_education(who, RULES) == (BACHELOR,)
