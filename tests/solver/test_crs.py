"""CRS: factor points, spouse, transferability, additional points and the 2025-03-25 change, by date."""

from __future__ import annotations

import pytest

from solver import crs
from solver.domain import Credential, InstitutionKind, LanguageTestKind, Nomination, Role, Scenario, WorkPeriod
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, job, lang, person, program

RULES = load_rules()
ON = D("2026-01-05")
BACHELOR = program(completion="2024-05-01", start="2020-09-01", months=44)
# Single, born 1996-06-01 (29), Canadian bachelor's, CLB 9, one year of TEER 1 work in Canada.
BASE = person(
    born="1996-06-01", education=(BACHELOR,), tests=(lang(9, "2025-06-01"),), work=(job("21231", "2025-01-06"),)
)


def _points(score: crs.CrsScore) -> dict[str, int]:
    return {f.name: f.points for f in score.factors}


def test_single_applicant_breakdown() -> None:
    score = crs.score(BASE, ON, RULES)
    assert _points(score) == {
        "age": 110,
        "education": 120,
        "first_language": 124,
        "second_language": 0,
        "canadian_experience": 40,
        "transfer_education": 38,
        "transfer_foreign_experience": 0,
        "canadian_education": 30,
    }
    assert (score.core, score.spouse, score.transferability, score.additional, score.total) == (394, 0, 38, 30, 462)


@pytest.mark.parametrize(
    ("born", "single", "with_spouse", "reason"),
    [
        ("2008-06-01", 0, 0, "17: no points"),
        ("2007-06-01", 99, 90, "18"),
        ("1996-01-06", 110, 100, "29, the 30th birthday is tomorrow"),
        ("1996-01-05", 105, 95, "30 on the day"),
        ("1990-06-01", 77, 70, "35"),
        ("1981-06-01", 6, 5, "44"),
        ("1980-06-01", 0, 0, "45"),
    ],
)
def test_age_points(born: str, single: int, with_spouse: int, reason: str) -> None:
    who = person(born=born)
    assert _points(crs.score(who, ON, RULES))["age"] == single, reason
    assert _points(crs.score(who, ON, RULES, spouse=person()))["age"] == with_spouse, reason


@pytest.mark.parametrize(
    ("programs", "level"),
    [
        ((), "none"),
        ((program(Credential.SECONDARY, months=None),), "secondary"),
        ((program(Credential.CERTIFICATE, InstitutionKind.COLLEGE, months=8),), "secondary"),
        ((program(Credential.CERTIFICATE, InstitutionKind.COLLEGE, months=12),), "one_year"),
        ((program(Credential.DIPLOMA, InstitutionKind.COLLEGE, months=24),), "two_year"),
        ((program(Credential.ADVANCED_DIPLOMA, InstitutionKind.COLLEGE, months=36),), "bachelor"),
        (
            (program(), program(Credential.POST_GRADUATE_CERTIFICATE, InstitutionKind.COLLEGE, months=12)),
            "two_credentials",
        ),
        ((program(), program(Credential.MASTER, months=12)), "master"),
        ((program(Credential.DOCTORAL, months=48),), "phd"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_education_level(programs: tuple[object, ...], level: str) -> None:
    assert crs.education_level(programs) == level  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "noc", "points", "reason"),
    [
        ("2025-03-24", "21231", 50, "TEER 1 offer the day before: 50"),
        ("2025-03-25", "21231", 0, "from 2025-03-25: 0"),
        ("2025-03-26", "21231", 0, "day after: 0"),
        ("2025-03-24", "00012", 200, "senior management (major group 00) the day before: 200"),
        ("2025-03-25", "00012", 0, "senior management from 2025-03-25: 0"),
    ],
)
def test_arranged_employment_by_date(on: str, noc: str, points: int, reason: str) -> None:
    who = person(born="1996-06-01", tests=(lang(9, "2025-01-01"),))
    assert _points(crs.score(who, D(on), RULES, arranged_employment_noc=noc))["arranged_employment"] == points, reason


def test_provincial_nomination_and_french() -> None:
    french = lang(7, "2025-06-01", LanguageTestKind.TEF_CANADA)
    who = person(
        born="1996-06-01",
        tests=(lang(5, "2025-06-01"), french),
        nomination=Nomination("ON", D("2025-12-01")),
    )
    points = _points(crs.score(who, ON, RULES))
    assert points["provincial_nomination"] == 600
    assert points["french"] == 50
    only_french = person(born="1996-06-01", tests=(french,))
    assert _points(crs.score(only_french, ON, RULES))["french"] == 25


def test_spouse_factors() -> None:
    spouse = person(education=(program(Credential.MASTER, months=24),), tests=(lang(9, "2025-06-01"),))
    score = crs.score(BASE, ON, RULES, spouse=spouse)
    points = _points(score)
    assert (points["spouse_education"], points["spouse_language"], points["spouse_canadian_experience"]) == (10, 20, 0)
    assert points["education"] == 112 and points["first_language"] == 116  # with-spouse tables


def test_transferability_blocks_are_capped() -> None:
    abroad = WorkPeriod("21231", D("2015-01-05"), 40, in_canada=False, end=D("2019-12-31"))
    who = person(
        born="1996-06-01",
        education=(program(Credential.MASTER, months=24, completion="2023-01-01", start="2021-01-01"),),
        tests=(lang(9, "2025-06-01"),),
        work=(job("21231", "2023-01-02"), abroad),
    )
    points = _points(crs.score(who, ON, RULES))
    assert points["transfer_education"] == 50  # 50 + 50 capped
    assert points["transfer_foreign_experience"] == 50


def test_cutoffs_are_data() -> None:
    latest = crs.latest_cutoff(D("2026-01-31"), RULES)
    assert latest == crs.Draw(D("2026-01-07"), "CEC", 511, 8000)
    assert crs.latest_cutoff(D("2025-05-12"), RULES) is None
    assert [d.score for d in crs.cutoffs(D("2025-07-01"), RULES, "CEC")] == [529, 547]


def test_score_member_uses_the_other_member_as_spouse() -> None:
    household = Scenario(as_of=ON, principal=BASE, spouse=person())
    score = crs.score_member(household, Role.PRINCIPAL, ON, RULES)
    assert score is not None and _points(score)["age"] == 100
    assert crs.score_member(Scenario(as_of=ON, principal=BASE), Role.SPOUSE, ON, RULES) is None
