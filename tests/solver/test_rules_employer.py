"""Employer-specific categories: each code's conditions and permit length."""

from __future__ import annotations

import pytest

from solver.categories import employer
from solver.domain import LanguageTestKind, Nomination, Offer, Person
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, held, lang, offer, person

RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED
ON = D("2026-10-05")
INDIAN = person(citizenships=("IN",), in_canada=False)
AMERICAN = person(citizenships=("US",), in_canada=False)
FRANCOPHONE = person(citizenships=("SN",), tests=(lang(6, "2026-01-01", LanguageTestKind.TEF_CANADA),))
NOMINEE = person(nomination=Nomination("MB", D("2026-06-01")))


@pytest.mark.parametrize(
    ("who", "the_offer", "verdict", "cites", "reason"),
    [
        (INDIAN, offer("C63", "21211"), E, None, "ICT specialized knowledge, any TEER"),
        (INDIAN, offer("C62", "20012"), E, None, "ICT executive, TEER 0"),
        (INDIAN, offer("C62", "22310"), N, "C62.occupation", "ICT executive needs TEER 0 or 1"),
        (
            person(citizenships=("IN",), history=(held("C12", "2020-01-01", "2024-12-31"),)),
            offer("C63", "21211"),
            N,
            "ICT.total",
            "60 ICT months already used under the old C12",
        ),
        (AMERICAN, offer("T36", "21300"), E, None, "US civil engineer: CUSMA profession"),
        (INDIAN, offer("T36", "21300"), N, "T36.citizenship", "CUSMA needs US or Mexican citizenship"),
        (AMERICAN, offer("T36", "64100"), U, "T36.profession", "occupation not on our CUSMA list: undecided"),
        (AMERICAN, offer("T23", "21300"), E, None, "old T23 answered as T36"),
        (AMERICAN, offer("T37", "20012"), E, None, "CUSMA ICT executive"),
        (FRANCOPHONE, offer("C16", "64100", "ON"), E, None, "French NCLC 6, TEER 4 outside Quebec"),
        (FRANCOPHONE, offer("C16", "64100", "QC"), N, "C16.french", "job in Quebec"),
        (FRANCOPHONE, offer("C16", "85100", "ON"), N, "C16.french", "primary agriculture excluded"),
        (person(tests=(lang(9),)), offer("C16", "21231"), U, "C16.french", "no French test: undecided"),
        (NOMINEE, offer("T13", "21231", "MB"), E, None, "nominee with an offer in the nominating province"),
        (NOMINEE, offer("T13", "21231", "ON"), N, "T13.nomination", "offer in another province"),
        (person(), offer("T13", "21231", "MB"), N, "T13.nomination", "no nomination"),
        (person(citizenships=("DE",)), offer("T47", "21231"), E, None, "EU citizen under CETA"),
        (person(), offer("T43", "21231"), N, "T43.ceta", "CETA needs EU citizenship"),
        (person(), offer("C10", "21231"), U, "C10.significant_benefit", "significant benefit is an officer's call"),
        (person(), offer("C18", "21231", "NS"), U, "C18.endorsement", "AIP needs an endorsement"),
        (person(), offer("C18", "21231", "ON"), N, "C18.endorsement", "AIP only in Atlantic provinces"),
        (person(), offer(None, "64100", lmia_approved=True), E, None, "TFWP with a positive LMIA"),
        (person(), offer(None, "64100"), E, "TFWP.lmia", "TFWP: eligible once the employer's LMIA is positive"),
    ],
)
def test_check_offer(who: Person, the_offer: Offer, verdict: Verdict, cites: str | None, reason: str) -> None:
    decision = employer.check_offer(who, the_offer, ON, RULES)
    assert decision.verdict is verdict, (reason, decision.reasons)
    if cites is not None:
        assert decision.reasons[0].rule_id == cites


@pytest.mark.parametrize(
    ("the_offer", "on", "months", "reason"),
    [
        (offer("C63", months=60), "2026-01-01", 36, "ICT first permit capped at 3 years"),
        (offer("C61", months=None), "2026-01-01", 12, "new-office ICT: 1 year"),
        (offer("T36", months=24), "2026-01-01", 24, "offer shorter than the cap"),
        (offer("C18", months=None), "2026-01-01", 24, "AIP up to 2 years"),
        (offer("T47", months=36), "2026-01-01", 12, "CETA 12 months"),
        (offer(None, "64100", months=None), "2024-09-25", 24, "low-wage LMIA the day before: 2 years"),
        (offer(None, "64100", months=None), "2024-09-26", 12, "low-wage LMIA from 2024-09-26: 1 year"),
        (offer(None, "21231", months=None), "2024-09-26", 36, "high-wage proxy (TEER 1)"),
        (offer("C10", months=None), "2026-01-01", 24, "no rule and no offer length: planning default"),
    ],
)
def test_permit_months(the_offer: Offer, on: str, months: int, reason: str) -> None:
    assert employer.permit_months(the_offer, D(on), RULES) == months, reason


def test_offer_code() -> None:
    assert employer.offer_code(offer(None)) == "TFWP"
    assert employer.offer_code(offer("T24")) == "T24"  # ambiguous: T37 or T38
    assert employer.offer_code(offer("T21")) == "T34"


@pytest.mark.parametrize(
    ("history", "verdict", "reason"),
    [
        ((held("C12", "2019-12-15", "2022-12-14"),), E, "36 months under the old code C12"),
        ((held("C12", "2019-12-15", "2022-12-14"), held("C63", "2022-12-15", "2023-12-14")), E, "C12 then C63: 48"),
        (
            (held("C12", "2019-12-15", "2022-12-14"), held("C63", "2022-12-15", "2024-12-14")),
            N,
            "C12 then C63 across 2022-12-15: 60 months, the C63 total",
        ),
    ],
)
def test_ict_time_counts_across_the_renumbering(history: tuple[object, ...], verdict: Verdict, reason: str) -> None:
    who = person(citizenships=("IN",), history=history)  # type: ignore[arg-type]
    assert employer.check_offer(who, offer("C63", "21211"), ON, RULES).verdict is verdict, reason


@pytest.mark.parametrize("on", ["2022-12-14", "2022-12-15", "2022-12-16"], ids=["day before", "day of", "day after"])
def test_ict_rules_apply_either_side_of_the_renumbering(on: str) -> None:
    decision = employer.check_offer(person(citizenships=("IN",)), offer("C62", "00012"), D(on), RULES)
    assert decision.verdict is E
    assert employer.permit_months(offer("C62", months=None), D(on), RULES) == 36
