"""The permit catalog: served codes, attributes, aliases, fees and processing times by date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver.rules import catalog
from solver.rules.registry import load_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = load_rules()
D = dt.date.fromisoformat
TODAY = D("2026-06-01")


def _lines(name: str) -> list[str]:
    text = (FIXTURES / name).read_text().splitlines()
    return [line for line in text if line and not line.startswith("#")]


CURRENT_CODES = frozenset(_lines("current_codes.txt"))
RENUMBERED = {old: tuple(new) for old, *new in (line.split() for line in _lines("renumbered_codes.txt"))}
REQUIRED = [
    "C43",
    "C41",
    "C42",
    "C49",
    "A74",
    "A75",
    "C21",
    "C10",
    "C11",
    "C16",
    "C18",
    "C20",
    "C50",
    "C51",
    "C61",
    "C62",
    "C63",
    "T13",
    "T34",
    "T35",
    "T36",
    "T37",
    "T38",
    "T43",
    "T47",
    "TFWP",
]


@pytest.mark.parametrize("on", ["2020-01-01", "2022-12-14", "2022-12-15", "2024-11-01", "2026-06-01"], ids=str)
def test_every_served_code_is_a_current_code(on: str) -> None:
    codes = [c.code for c in catalog.categories(D(on), RULES)]
    assert sorted(c for c in codes if c not in CURRENT_CODES and c != catalog.TFWP_CODE) == []
    assert len(codes) == len(set(codes))


def test_catalog_serves_every_required_category() -> None:
    served = [c.code for c in catalog.categories(TODAY, RULES)]
    assert [code for code in served if code in REQUIRED] == REQUIRED  # all of them, in this order


@pytest.mark.parametrize(
    ("code", "day_before", "first_day"),
    [
        pytest.param("C49", "2023-01-29", "2023-01-30", id="C49 created 2023-01-30"),
        pytest.param("A74", "2023-05-09", "2023-05-10", id="A74 public policy from 2023-05-10"),
    ],
)
def test_categories_appear_on_their_first_day(code: str, day_before: str, first_day: str) -> None:
    assert code not in {c.code for c in catalog.categories(D(day_before), RULES)}
    assert code in {c.code for c in catalog.categories(D(first_day), RULES)}
    assert code in {c.code for c in catalog.categories(D(first_day) + dt.timedelta(days=1), RULES)}


@pytest.mark.parametrize(("old", "new"), sorted(RENUMBERED.items()), ids=[k for k in sorted(RENUMBERED)])
def test_pre_2022_aliases_answer_current_codes(old: str, new: tuple[str, ...]) -> None:
    assert catalog.current_code(old) == new


@pytest.mark.parametrize(
    ("code", "program", "open_", "offer", "compliance", "lmia"),
    [
        pytest.param("C43", "IMP", True, False, 0.0, 0.0, id="PGWP open, no employer fee"),
        pytest.param("A75", "IMP", True, False, 0.0, 0.0, id="BOWP open"),
        pytest.param("C41", "IMP", True, False, 0.0, 0.0, id="spouse of worker open"),
        pytest.param("C63", "IMP", False, True, 230.0, 0.0, id="ICT employer-specific, compliance fee"),
        pytest.param("T13", "IMP", False, True, 230.0, 0.0, id="PNP permit: employer pays 230"),
        pytest.param("C16", "IMP", False, True, 230.0, 0.0, id="Mobilite Francophone employer-specific"),
        pytest.param("TFWP", "TFWP", False, True, 0.0, 1000.0, id="LMIA-based: LMIA fee, no compliance fee"),
    ],
)
def test_category_attributes(code: str, program: str, open_: bool, offer: bool, compliance: float, lmia: float) -> None:
    cat = catalog.category(code, TODAY, RULES)
    assert (cat.program, cat.open, cat.requires_offer) == (program, open_, offer)
    assert (cat.employer_compliance_fee, cat.lmia_fee) == (compliance, lmia)


@pytest.mark.parametrize(
    ("code", "on", "biometrics", "fee"),
    [
        pytest.param("C43", "2026-06-01", True, 340.0, id="open permit with biometrics: 155+100+85"),
        pytest.param("C43", "2026-06-01", False, 255.0, id="open permit without biometrics"),
        pytest.param("C63", "2026-06-01", False, 155.0, id="employer-specific: processing only"),
        # FEES.iec.with_processing_fee is false: the participation fee stands in for the 155 processing fee.
        pytest.param("C21", "2025-11-30", False, 279.75, id="IEC before Dec 2025: 100+179.75"),
        pytest.param("C21", "2025-12-01", False, 284.75, id="IEC from Dec 2025: 100+184.75"),
    ],
)
def test_worker_fees(code: str, on: str, biometrics: bool, fee: float) -> None:
    assert catalog.fee_for(code, D(on), RULES, first_biometrics=biometrics) == pytest.approx(fee)


def test_employer_fees() -> None:
    assert catalog.employer_fee_for("C62", TODAY, RULES) == 230.0
    assert catalog.employer_fee_for("TFWP", TODAY, RULES) == 1000.0
    assert catalog.employer_fee_for("A75", TODAY, RULES) == 0.0


@pytest.mark.parametrize(
    ("code", "inside", "days"),
    [
        pytest.param("C43", True, 190, id="in-Canada work permit 190 days"),
        pytest.param("A75", True, 120, id="BOWP 120 days"),
        pytest.param("C63", False, 60, id="outside Canada: service standard"),
        pytest.param("C21", False, 56, id="IEC 56 days"),
    ],
)
def test_processing_days(code: str, inside: bool, days: int) -> None:
    assert catalog.processing_days(code, TODAY, RULES, inside=inside) == days


def test_unknown_code_names_the_allowed_codes() -> None:
    with pytest.raises(ValueError, match=r"no permit category 'C30'.*allowed codes: C43, C41"):
        catalog.category("C30", TODAY, RULES)


def test_split_alias_asks_for_a_current_code() -> None:
    with pytest.raises(ValueError, match="split on 2022-12-15 into C61, C62, C63"):
        catalog.category("C12", TODAY, RULES)
    assert catalog.category("T23", TODAY, RULES).code == "T36"


def test_documents_include_common_and_specific_items() -> None:
    t13 = catalog.category("T13", TODAY, RULES).documents
    assert any("passport" in d.lower() for d in t13)
    assert any("nomination letter" in d.lower() for d in t13)
    assert any("offer of employment number" in d.lower() for d in t13)
    c41 = catalog.category("C41", TODAY, RULES).documents
    assert any("marriage certificate" in d.lower() for d in c41)
    assert not any("offer of employment number" in d.lower() for d in c41)


def test_iec_has_three_streams() -> None:
    streams = catalog.category("C21", TODAY, RULES).streams
    assert [(s.code, s.open, s.requires_offer) for s in streams] == [
        ("WH", True, False),
        ("YP", False, True),
        ("COOP", False, True),
    ]
