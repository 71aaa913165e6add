"""Comprehensive Ranking System score of a person (with or without an accompanying spouse) at a date.

Every factor comes with its points and the rule id its table lives in (`CRS.*` in `rules/params/crs.toml`),
so the same person scores differently either side of a version boundary (arranged employment, 2025-03-25).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from solver import dates, noc
from solver.domain import Credential, Education, LanguageTest, Person, Role, Scenario
from solver.rules.cec import hours_between

# The recent draws' cut-offs live with the Express Entry rules (EE.cutoff); re-exported for schema/rules.py.
from solver.rules.express_entry import Draw as Draw
from solver.rules.express_entry import cutoffs as cutoffs
from solver.rules.express_entry import latest_cutoff as latest_cutoff
from solver.rules.language import valid_on
from solver.rules.registry import RuleSet

_YEAR_HOURS = 1560.0
# Education levels, lowest first; index into the transferability rows: 0 secondary or less, 1 post-secondary, 2 higher.
LEVELS = ("none", "secondary", "one_year", "two_year", "bachelor", "two_credentials", "master", "phd")
_TRANSFER_ROW = {
    "none": 0,
    "secondary": 0,
    "one_year": 1,
    "two_year": 1,
    "bachelor": 1,
    "two_credentials": 2,
    "master": 2,
    "phd": 2,
}


@dataclass(frozen=True)
class Factor:
    name: str
    points: int
    rule_id: str
    detail: str


@dataclass(frozen=True)
class CrsScore:
    total: int
    core: int
    spouse: int
    transferability: int
    additional: int
    factors: tuple[Factor, ...]


def education_level(education: Sequence[Education]) -> str:
    """The CRS education level of a list of credentials (any country)."""
    levels = [_level(e) for e in education]
    if not levels:
        return "none"
    best = max(levels, key=LEVELS.index)
    post = [lv for lv in levels if LEVELS.index(lv) >= LEVELS.index("one_year")]
    three_year = any(LEVELS.index(lv) >= LEVELS.index("bachelor") for lv in post)
    if len(post) >= 2 and three_year and LEVELS.index(best) < LEVELS.index("two_credentials"):
        return "two_credentials"
    return best


def _months(e: Education) -> int:
    return e.length_months if e.length_months is not None else dates.whole_months_between(e.start, e.completion)


def _level(e: Education) -> str:
    c = e.credential
    if c is Credential.SECONDARY:
        return "secondary"
    if c in (Credential.MASTER, Credential.PROFESSIONAL_DEGREE):
        return "master"
    if c is Credential.DOCTORAL:
        return "phd"
    if c is Credential.BACHELOR:
        return "bachelor"
    months = _months(e)
    if months >= 36:
        return "bachelor"  # a program of 3 years or more scores as a bachelor's
    if months >= 24:
        return "two_year"
    return "one_year" if months >= 12 else "secondary"


def _abilities(t: LanguageTest) -> tuple[int, int, int, int]:
    return (t.listening, t.reading, t.writing, t.speaking)


def _per_skill(table: Sequence[int], test: LanguageTest | None) -> int:
    if test is None:
        return 0
    return sum(table[min(level, len(table) - 1)] for level in _abilities(test))


def _best_test(
    tests: Sequence[LanguageTest], on: dt.date, months: int, table: Sequence[int], *, french: bool | None
) -> LanguageTest | None:
    valid = [t for t in tests if valid_on(t, on, months) and (french is None or t.test.is_french == french)]
    return max(valid, key=lambda t: (_per_skill(table, t), t.taken), default=None)


def _years(person: Person, on: dt.date, rules: RuleSet, *, in_canada: bool) -> int:
    high, low = hours_between(person.work_history, dates.add_years(on, -10), on, rules, in_canada=in_canada)
    return int((high + low + 1e-6) // _YEAR_HOURS)


def _age_points(table: Sequence[int], age_min: int, age: int) -> int:
    index = age - age_min
    return table[index] if 0 <= index < len(table) else 0


def score(
    person: Person,
    on: dt.date,
    rules: RuleSet,
    *,
    spouse: Person | None = None,
    arranged_employment_noc: str | None = None,
    sibling_in_canada: bool = False,
) -> CrsScore:
    """CRS score of `person` on `on`; `spouse` is the accompanying spouse (None when single)."""
    core = _params(rules, "CRS.core", on)
    suffix = "with_spouse" if spouse is not None else "single"
    months = int(rules.param("CEC.test_validity", "months", on))
    factors: list[Factor] = []
    age = dates.age_on(person.birth_date, on)
    factors.append(Factor("age", _age_points(core[f"age_{suffix}"], core["age_min"], age), "CRS.core", f"age {age}"))
    level = education_level(person.education)
    factors.append(Factor("education", int(core[f"education_{suffix}"][level]), "CRS.core", level))
    first_table: Sequence[int] = core[f"first_language_{suffix}"]
    first = _best_test(person.language_tests, on, months, first_table, french=None)
    factors.append(Factor("first_language", _per_skill(first_table, first), "CRS.core", _describe(first)))
    second = (
        None
        if first is None
        else _best_test(person.language_tests, on, months, core["second_language"], french=not first.test.is_french)
    )
    cap = int(core[f"second_language_max_{suffix}"])
    factors.append(
        Factor("second_language", min(cap, _per_skill(core["second_language"], second)), "CRS.core", _describe(second))
    )
    canadian = min(_years(person, on, rules, in_canada=True), 5)
    factors.append(
        Factor(
            "canadian_experience", int(core[f"canadian_experience_{suffix}"][canadian]), "CRS.core", f"{canadian} years"
        )
    )
    spouse_factors = _spouse(spouse, on, rules, months) if spouse is not None else []
    transfer = _transferability(person, on, rules, level, first, canadian)
    additional = _additional(person, on, rules, first, second, arranged_employment_noc, sibling_in_canada)
    core_points = sum(f.points for f in factors)
    spouse_points = sum(f.points for f in spouse_factors)
    transfer_points = sum(f.points for f in transfer)
    additional_points = sum(f.points for f in additional)
    return CrsScore(
        total=core_points + spouse_points + transfer_points + additional_points,
        core=core_points,
        spouse=spouse_points,
        transferability=transfer_points,
        additional=additional_points,
        factors=tuple(factors + spouse_factors + transfer + additional),
    )


def _params(rules: RuleSet, rule_id: str, on: dt.date) -> Mapping[str, Any]:
    version = rules.rule(rule_id).at(on)
    if version is None:
        raise ValueError(f"{rule_id} not in force on {on.isoformat()}")
    return version.params


def _describe(test: LanguageTest | None) -> str:
    if test is None:
        return "no valid test"
    return f"{test.test.value} CLB {'/'.join(str(a) for a in _abilities(test))}"


def _spouse(spouse: Person, on: dt.date, rules: RuleSet, months: int) -> list[Factor]:
    p = _params(rules, "CRS.spouse", on)
    level = education_level(spouse.education)
    test = _best_test(spouse.language_tests, on, months, p["language"], french=None)
    years = min(_years(spouse, on, rules, in_canada=True), 5)
    return [
        Factor("spouse_education", int(p["education"][level]), "CRS.spouse", level),
        Factor("spouse_language", _per_skill(p["language"], test), "CRS.spouse", _describe(test)),
        Factor("spouse_canadian_experience", int(p["canadian_experience"][years]), "CRS.spouse", f"{years} years"),
    ]


def _tier(lower: Sequence[int], upper: Sequence[int], row: int, which: int) -> int:
    """Points of a transferability row in the lower (1) or upper (2) tier; 0 below both."""
    return 0 if which == 0 else int(lower[row] if which == 1 else upper[row])


def _transferability(
    person: Person, on: dt.date, rules: RuleSet, level: str, first: LanguageTest | None, canadian: int
) -> list[Factor]:
    p = _params(rules, "CRS.transferability", on)
    lowest = 0 if first is None else first.lowest
    lang_tier = 2 if lowest >= 9 else (1 if lowest >= 7 else 0)
    exp_tier = 2 if canadian >= 2 else (1 if canadian == 1 else 0)
    foreign = _years(person, on, rules, in_canada=False)
    foreign_row = 2 if foreign >= 3 else (1 if foreign >= 1 else 0)
    row = _TRANSFER_ROW[level]
    edu = min(
        int(p["block_cap"]),
        _tier(p["education_lower"], p["education_upper"], row, lang_tier)
        + _tier(p["education_lower"], p["education_upper"], row, exp_tier),
    )
    abroad = min(
        int(p["block_cap"]),
        _tier(p["foreign_lower"], p["foreign_upper"], foreign_row, lang_tier)
        + _tier(p["foreign_lower"], p["foreign_upper"], foreign_row, exp_tier),
    )
    total_cap = int(p["total_cap"])
    return [
        Factor("transfer_education", edu, "CRS.transferability", f"{level} x language/Canadian experience"),
        Factor(
            "transfer_foreign_experience",
            min(abroad, total_cap - edu),
            "CRS.transferability",
            f"{foreign} years abroad",
        ),
    ]


def _additional(
    person: Person,
    on: dt.date,
    rules: RuleSet,
    first: LanguageTest | None,
    second: LanguageTest | None,
    arranged: str | None,
    sibling: bool,
) -> list[Factor]:
    p = _params(rules, "CRS.additional", on)
    out: list[Factor] = []
    nom = person.provincial_nomination
    if nom is not None and nom.nominated_on <= on:
        out.append(Factor("provincial_nomination", int(p["provincial_nomination"]), "CRS.additional", nom.province))
    french = next((t for t in (first, second) if t is not None and t.test.is_french), None)
    english = next((t for t in (first, second) if t is not None and not t.test.is_french), None)
    if french is not None and french.lowest >= 7:
        both = english is not None and english.lowest >= 5
        out.append(
            Factor("french", int(p["french_and_english" if both else "french_only"]), "CRS.additional", "NCLC 7+")
        )
    canadian = [
        e for e in person.education if e.canadian and e.completion <= on and _level(e) not in ("secondary", "none")
    ]
    if canadian:
        long_ = any(LEVELS.index(_level(e)) >= LEVELS.index("bachelor") for e in canadian)
        name = "canadian_education_long" if long_ else "canadian_education_short"
        out.append(Factor("canadian_education", int(p[name]), "CRS.additional", "3 years+" if long_ else "1-2 years"))
    if arranged is not None and noc.is_valid(arranged) and noc.teer(arranged) <= 3:
        kind = "senior_management" if noc.is_senior_management(arranged) else "other"
        points = int(rules.param("CRS.arranged_employment", kind, on))
        out.append(Factor("arranged_employment", points, "CRS.arranged_employment", f"NOC {arranged}"))
    if sibling:
        out.append(Factor("sibling", int(p["sibling"]), "CRS.additional", "sibling in Canada"))
    total = sum(f.points for f in out)
    cap = int(p["max_total"])
    if total > cap:
        out.append(Factor("additional_cap", cap - total, "CRS.additional", f"capped at {cap}"))
    return out


def score_member(
    scenario: Scenario, role: Role, on: dt.date, rules: RuleSet, *, arranged_employment_noc: str | None = None
) -> CrsScore | None:
    """CRS score of the member in `role` as principal applicant, the other member accompanying unless they are
    a Canadian citizen or PR (rules-2026.md section 5c); None if `role` is absent."""
    person = scenario.person(role)
    if person is None:
        return None
    other = scenario.spouse if role is Role.PRINCIPAL else scenario.principal
    if other is not None and other.canadian_status is not None:
        other = None  # "with spouse" means an accompanying spouse who is not a Canadian citizen or PR
    return score(person, on, rules, spouse=other, arranged_employment_noc=arranged_employment_noc)
