"""The permit catalog by date: each category's attributes, fees, processing times and documents.

Names, attributes and documents are data (`solver/data/catalog.toml`); fees and processing times are rules
(`FEES.*`, `PROCESSING.*`, `TFWP.lmia`) read for the date asked.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solver.rules import processing
from solver.rules.registry import RuleSet

CATALOG_FILE = Path(__file__).parent.parent / "data" / "catalog.toml"
TFWP_CODE = "TFWP"


@dataclass(frozen=True)
class Stream:
    """A sub-category sharing its parent's code (the three IEC streams of C21)."""

    code: str
    name: str
    open: bool
    requires_offer: bool


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    program: str
    open: bool
    requires_offer: bool
    authority: str
    employer_compliance_fee: float
    lmia_fee: float
    processing_fee: float
    open_permit_holder_fee: float
    biometrics_fee: float
    participation_fee: float
    processing_days_inside: int
    processing_days_outside: int
    max_duration: str
    max_duration_rule: str
    eligibility_rules: tuple[str, ...]
    documents: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    streams: tuple[Stream, ...] = ()
    effective: dt.date | None = None
    family: str = ""
    participation_fee_rule: str | None = None
    # The catalog exempts this category's employers from the compliance fee (e.g. C11, TFWP).
    employer_fee_exempt: bool = False
    # The slow figures (p90) beside processing_days_inside/outside (p50): PROCESSING.* p90_days.
    slow_processing_days_inside: int = 0
    slow_processing_days_outside: int = 0

    @property
    def employer_specific(self) -> bool:
        return not self.open


@dataclass(frozen=True)
class _Entry:
    raw: Mapping[str, Any]

    @property
    def code(self) -> str:
        return str(self.raw["code"])

    def exists_on(self, on: dt.date) -> bool:
        effective = self.raw.get("effective")
        return effective is None or effective <= on


@functools.cache
def _load() -> tuple[tuple[_Entry, ...], tuple[str, ...], tuple[str, ...]]:
    doc = tomllib.loads(CATALOG_FILE.read_text())
    entries = tuple(_Entry(raw) for raw in doc["category"])
    return entries, tuple(doc["common_documents"]), tuple(doc["employer_documents"])


def current_code(code: str) -> tuple[str, ...]:
    """The current code(s) for `code`: itself when current, the successors of a pre-2022 alias, else ()."""
    entries = _load()[0]
    if any(e.code == code for e in entries):
        return (code,)
    return tuple(e.code for e in entries if code in e.raw.get("aliases", ()))


def rests_on_lmia(code: str) -> bool:
    """Whether a permit of `code` rests on an LMIA (its catalog entry names the LMIA's fee rule)."""
    return any(e.code == code and e.raw.get("lmia_fee_rule") for e in _load()[0])


def family_of(code: str) -> str | None:
    """The family (a module of solver/categories) of `code` or of its one successor; None when unknown."""
    found = current_code(code)
    if len(found) != 1:
        return None
    return next(str(e.raw["family"]) for e in _load()[0] if e.code == found[0])


def aliases() -> tuple[str, ...]:
    """Every pre-2022 alias in the catalog, once each, in catalog order."""
    return tuple(dict.fromkeys(a for e in _load()[0] for a in e.raw.get("aliases", ())))


def codes_checking(rule_id: str) -> tuple[str, ...]:
    """The current codes whose eligibility rules include `rule_id`, in catalog order."""
    return tuple(e.code for e in _load()[0] if rule_id in e.raw.get("eligibility_rules", ()))


def family_names() -> tuple[str, ...]:
    """Every family the catalog names, once each, in catalog order."""
    return tuple(dict.fromkeys(str(e.raw["family"]) for e in _load()[0]))


def codes() -> tuple[str, ...]:
    """Every current code in the catalog, whatever its effective date, in catalog order."""
    return tuple(e.code for e in _load()[0])


def open_codes() -> frozenset[str]:
    """Every current code whose category is an open permit (any employer), whatever its effective date."""
    return frozenset(e.code for e in _load()[0] if e.raw["open"])


def processing_days(code: str, on: dt.date, rules: RuleSet, *, inside: bool) -> int:
    """Expected (p50) processing days for `code` on `on`, inside or outside Canada (the table's default otherwise);
    solver.rules.processing.spread gives the slow figure too, and applies overrides."""
    return processing.spread(code, on, rules, inside=inside).p50


def _build(entry: _Entry, on: dt.date, rules: RuleSet) -> Category:
    raw = entry.raw
    _, common, employer_docs = _load()
    is_open = bool(raw["open"])
    imp = raw["program"] == "IMP"
    needs_offer = bool(raw["requires_offer"])
    fee_exempt = bool(raw.get("employer_fee_exempt", False))
    compliance = (
        0.0 if (is_open or not imp or fee_exempt) else float(rules.param("FEES.employer_compliance", "amount", on))
    )
    lmia_rule = raw.get("lmia_fee_rule")
    lmia = float(rules.param(lmia_rule, "employer_fee", on)) if lmia_rule else 0.0
    participation_rule = raw.get("participation_fee_rule")
    participation = float(rules.param(participation_rule, "participation", on)) if participation_rule else 0.0
    docs = common + (employer_docs if needs_offer and imp else ()) + tuple(raw.get("documents", ()))
    return Category(
        code=entry.code,
        name=str(raw["name"]),
        program=str(raw["program"]),
        open=is_open,
        requires_offer=needs_offer,
        authority=str(raw["authority"]),
        employer_compliance_fee=compliance,
        lmia_fee=lmia,
        processing_fee=float(rules.param("FEES.work_permit", "processing", on)),
        open_permit_holder_fee=float(rules.param("FEES.work_permit", "open_permit_holder", on)) if is_open else 0.0,
        biometrics_fee=float(rules.param("FEES.work_permit", "biometrics", on)),
        participation_fee=participation,
        processing_days_inside=processing_days(entry.code, on, rules, inside=True),
        processing_days_outside=processing_days(entry.code, on, rules, inside=False),
        max_duration=str(raw["max_duration"]),
        max_duration_rule=str(raw["max_duration_rule"]),
        eligibility_rules=tuple(raw.get("eligibility_rules", ())),
        documents=docs,
        aliases=tuple(raw.get("aliases", ())),
        streams=tuple(Stream(**s) for s in raw.get("streams", ())),
        effective=raw.get("effective"),
        family=str(raw["family"]),
        participation_fee_rule=participation_rule,
        employer_fee_exempt=fee_exempt,
        slow_processing_days_inside=processing.spread(entry.code, on, rules, inside=True).p90,
        slow_processing_days_outside=processing.spread(entry.code, on, rules, inside=False).p90,
    )


def categories(on: dt.date, rules: RuleSet) -> tuple[Category, ...]:
    """Every category that exists on `on` (on the rules' pinned date, when pinned), in catalog order, with that
    date's fees and processing times."""
    exists = rules.rules_date(on)
    return tuple(_build(e, on, rules) for e in _load()[0] if e.exists_on(exists))


def category(code: str, on: dt.date, rules: RuleSet) -> Category:
    """The category for `code` (a pre-2022 alias with one successor is accepted) as on `on` (on the rules' pinned
    date, when pinned); ValueError when unknown."""
    found = current_code(code)
    exists = rules.rules_date(on)
    for entry in _load()[0]:
        if len(found) == 1 and entry.code == found[0] and entry.exists_on(exists):
            return _build(entry, on, rules)
    allowed = ", ".join(e.code for e in _load()[0] if e.exists_on(exists))
    if len(found) > 1:
        raise ValueError(f"code {code!r} was split on 2022-12-15 into {', '.join(found)}; name one of them")
    raise ValueError(f"no permit category {code!r} on {exists.isoformat()}; allowed codes: {allowed}")


def fee_for(code: str, on: dt.date, rules: RuleSet, *, first_biometrics: bool) -> float:
    """The worker's fees for one application for `code` on `on` (employer fees excluded)."""
    cat = category(code, on, rules)
    total = cat.open_permit_holder_fee + (cat.biometrics_fee if first_biometrics else 0.0)
    if cat.participation_fee_rule is not None:
        total += cat.participation_fee
        if rules.param(cat.participation_fee_rule, "with_processing_fee", on):
            total += cat.processing_fee
        return total
    return total + cat.processing_fee


def employer_fee_for(code: str, on: dt.date, rules: RuleSet) -> float:
    """The employer's fees for `code` on `on`: the compliance fee or the LMIA fee, else 0."""
    cat = category(code, on, rules)
    return cat.employer_compliance_fee + cat.lmia_fee
