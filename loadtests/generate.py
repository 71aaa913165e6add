"""Seeded households for benchmarks, property tests and load tests: valid by construction.

`scenario(rng, ...)` draws one household (single or couple, 0-6 offers, a 36-120 month horizon unless told
otherwise) from a `random.Random`, so a seed names a household for good. Every household passes
`solver.fields.validate_scenario`; the mix covers graduates, workers on open or employer-specific
permits, and people abroad, with offers in every TEER and some LMIA-exempt codes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from solver.dates import add_days, add_months
from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    LanguageTest,
    LanguageTestKind,
    Nomination,
    Offer,
    Person,
    Role,
    Scenario,
    Status,
    StatusKind,
    WorkPeriod,
)

BASE_AS_OF = dt.date(2026, 12, 1)
# NOC 2021 codes by TEER (software, nurses, electricians, cooks, retail, labourers...).
NOC_BY_TEER: dict[int, tuple[str, ...]] = {
    0: ("20012", "00012"),
    1: ("21231", "21211", "21300", "11100"),
    2: ("22310", "72200", "32101", "62200"),
    3: ("33102", "63200", "72106"),
    4: ("64100", "44101"),
    5: ("65200", "75110"),
}
CITIZENSHIPS = ("IN", "NG", "PH", "BR", "CN", "FR", "US", "MX", "JP", "DE")
PROVINCES = ("ON", "BC", "AB", "MB", "NS")
PROGRAMS = (
    (Credential.BACHELOR, InstitutionKind.UNIVERSITY, 48),
    (Credential.MASTER, InstitutionKind.UNIVERSITY, 16),
    (Credential.MASTER, InstitutionKind.UNIVERSITY, 24),
    (Credential.DOCTORAL, InstitutionKind.UNIVERSITY, 48),
    (Credential.DIPLOMA, InstitutionKind.COLLEGE, 24),
    (Credential.CERTIFICATE, InstitutionKind.COLLEGE, 12),
    (Credential.POST_GRADUATE_CERTIFICATE, InstitutionKind.COLLEGE, 8),
    (Credential.CERTIFICATE, InstitutionKind.COLLEGE, 6),
)


def _day(rng: random.Random, start: dt.date, span_days: int) -> dt.date:
    return add_days(start, rng.randint(0, span_days))


def _noc(rng: random.Random, skilled_bias: float = 0.75) -> str:
    teer = rng.randint(0, 3) if rng.random() < skilled_bias else rng.randint(4, 5)
    return rng.choice(NOC_BY_TEER[teer])


def _test(rng: random.Random, as_of: dt.date) -> LanguageTest:
    level = rng.choice((4, 5, 6, 7, 7, 8, 9))
    kind = rng.choice((LanguageTestKind.IELTS_GENERAL, LanguageTestKind.CELPIP_GENERAL, LanguageTestKind.TEF_CANADA))
    abilities = [max(1, level - rng.choice((0, 0, 0, 1))) for _ in range(4)]
    return LanguageTest(kind, add_days(as_of, -rng.randint(0, 700)), *abilities)


def _graduate(rng: random.Random, as_of: dt.date, birth: dt.date, citizenship: str) -> Person:
    credential, institution, months = rng.choice(PROGRAMS)
    completion = _day(rng, add_days(as_of, -60), 300)
    start = add_months(completion, -months)
    edu = Education(
        credential=credential,
        institution=institution,
        canadian=True,
        start=start,
        completion=completion,
        pgwp_eligible_dli=rng.random() < 0.9,
        field_of_study_eligible=rng.random() < 0.85,
        length_months=months,
        study_permit_applied_on=add_months(start, -5),
    )
    status = Status(StatusKind.STUDENT, add_days(completion, rng.choice((-30, 20, 60, 120, 200))))
    if status.valid_to < as_of:
        status = Status(StatusKind.STUDENT, add_days(as_of, 30))
    return Person(birth, (citizenship,), True, add_days(as_of, rng.randint(700, 4000)), status, education=(edu,))


def _worker(rng: random.Random, as_of: dt.date, birth: dt.date, citizenship: str) -> Person:
    since = add_days(as_of, -rng.randint(60, 900))
    specific = rng.random() < 0.3
    status = Status(StatusKind.WORKER, _day(rng, add_days(as_of, 20), 600), "C63" if specific else "C43", specific)
    job = WorkPeriod(_noc(rng), since, rng.choice((20, 30, 37.5, 40)), True)
    return Person(birth, (citizenship,), True, add_days(as_of, rng.randint(500, 4000)), status, work_history=(job,))


def _abroad(rng: random.Random, as_of: dt.date, birth: dt.date, citizenship: str) -> Person:
    past = WorkPeriod(_noc(rng), add_days(as_of, -rng.randint(400, 3000)), 40, False)
    return Person(birth, (citizenship,), False, add_days(as_of, rng.randint(400, 4000)), work_history=(past,))


def person(rng: random.Random, as_of: dt.date, kind: str | None = None) -> Person:
    """One adult of `kind` (graduate, worker or abroad; drawn when None) with 0-2 language tests."""
    kind = kind or rng.choice(("graduate", "worker", "abroad"))
    birth = add_days(as_of, -rng.randint(20 * 365, 40 * 365))
    citizenship = rng.choice(CITIZENSHIPS)
    make = {"graduate": _graduate, "worker": _worker, "abroad": _abroad}[kind]
    out = make(rng, as_of, birth, citizenship)
    tests = tuple(_test(rng, as_of) for _ in range(rng.choice((0, 1, 1, 1, 2))))
    nomination = None
    if rng.random() < 0.08:
        nomination = Nomination(rng.choice(PROVINCES), _day(rng, add_days(as_of, -200), 400))
        if nomination.nominated_on > as_of:
            nomination = replace(nomination, nominated_on=as_of)
    return replace(out, language_tests=tests, provincial_nomination=nomination)


def _offer(rng: random.Random, index: int, as_of: dt.date, holder: Role, holder_person: Person) -> Offer:
    noc = _noc(rng, 0.8)
    earliest = _day(rng, as_of, 300)
    latest = add_days(earliest, rng.choice((30, 90, 180))) if rng.random() < 0.4 else None
    months = rng.choice((None, 12, 24, 36))
    code: str | None = None
    province: str | None = None
    draw = rng.random()
    if draw < 0.15:
        code, months = "C63", rng.choice((12, 24, 36))
    elif draw < 0.22 and set(holder_person.citizenships) & {"US", "MX"} and noc == "21300":
        code = "T36"
    elif draw < 0.3 and any(t.test.is_french for t in holder_person.language_tests):
        code = "C16"
    elif draw < 0.35 and holder_person.provincial_nomination is not None:
        # T13 is for the nominating province's own offers.
        code, province = "T13", holder_person.provincial_nomination.province
    province = province or rng.choice(PROVINCES)
    return Offer(
        ref=f"o{index}",
        holder=holder,
        noc_code=noc,
        province=province,
        hours_per_week=rng.choice((20, 30, 37.5, 40, 40)),
        earliest_start=earliest,
        latest_start=latest,
        months=months,
        lmia_exempt_code=code,
        lmia_approved=code is None and rng.random() < 0.2,
    )


def scenario(
    rng: random.Random,
    *,
    couple: bool | None = None,
    offers: int | None = None,
    horizon_months: int | None = None,
    principal_kind: str | None = None,
) -> Scenario:
    """One household drawn from `rng`; the keyword arguments fix a dimension instead of drawing it."""
    as_of = add_days(BASE_AS_OF, rng.randint(-60, 240))
    couple = rng.random() < 0.5 if couple is None else couple
    principal = person(rng, as_of, principal_kind)
    spouse = person(rng, as_of) if couple else None
    count = rng.randint(0, 6) if offers is None else offers
    made: list[Offer] = []
    for i in range(count):
        holder = Role.SPOUSE if spouse is not None and rng.random() < 0.35 else Role.PRINCIPAL
        made.append(_offer(rng, i, as_of, holder, spouse if holder is Role.SPOUSE and spouse else principal))
    horizon = rng.randint(36, 120) if horizon_months is None else horizon_months
    return Scenario(as_of=as_of, principal=principal, spouse=spouse, offers=tuple(made), horizon_months=horizon)


def corpus(
    seed: int, count: int, *, couple: bool | None = None, offers: int | None = None, horizon_months: int | None = None
) -> list[Scenario]:
    """`count` households from one seed (the same seed always gives the same households)."""
    rng = random.Random(seed)
    return [scenario(rng, couple=couple, offers=offers, horizon_months=horizon_months) for _ in range(count)]
