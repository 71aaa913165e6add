"""Checks on the facts of a household, shared by the planner, the stored records and the command line.

Each field check returns an error message (what is wrong and what is allowed) or None. `validate_scenario`
walks a whole scenario and names each bad field by its contract path (`offers[0].hoursPerWeek`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Iterator

from solver import noc
from solver.countries import is_country
from solver.domain import Education, FieldError, LanguageTest, Offer, Person, PlanOptions, Role, Scenario, WorkPeriod
from solver.rules import catalog

PROVINCES = frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"})
MAX_HOURS_PER_WEEK = 80.0
CLB_RANGE = (1, 12)
HORIZON_MONTHS_RANGE = (1, 240)
MAX_OFFERS = 50
_OFFER_NUMBER = re.compile(r"^A[0-9]{7}$")
_CODE = re.compile(r"^[A-Z][0-9]{2}$")
# Every date a client sends is in this range: the rules begin after 1900, a plan reaches at most 20 years
# past its as-of date, and date arithmetic near year 1 or 9999 overflows.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))
ITA_WAIT_DAYS_RANGE = (0, 3650)
TIME_LIMIT_MS_RANGE = (1, 600_000)
# Control characters a text may hold (other than these, C0, DEL and C1 are refused, NUL first of all).
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_date(day: dt.date) -> str | None:
    """A date outside DATE_RANGE."""
    low, high = DATE_RANGE
    if low <= day <= high:
        return None
    return f"{day.isoformat()} is outside the dates this service accepts, {low.isoformat()} to {high.isoformat()}"


def check_text(text: str) -> str | None:
    """Text holding NUL, a lone surrogate or a control character other than tab, newline and carriage return."""
    for match in _UNSAFE.finditer(text):
        char = match.group()
        if char in _ALLOWED_CONTROLS:
            continue
        what = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        return (
            f"contains {what} (U+{ord(char):04X}) at position {match.start()}; text may hold no NUL, control"
            " characters (other than tab and line breaks) or unpaired surrogates"
        )
    return None


def check_noc(code: str) -> str | None:
    """A code that is not one of the 516 unit groups of NOC 2021."""
    if noc.is_valid(code):
        return None
    hint = "; a four-digit code is NOC 2016, which IRCC no longer uses" if code.isdigit() and len(code) == 4 else ""
    return (
        f"{code!r} is not a NOC 2021 unit group; allowed: one of the {len(noc.UNIT_GROUPS)} unit groups of"
        f" NOC 2021 Version 1.0, five digits (e.g. 21231 software engineers and designers){hint}"
    )


def check_country(code: str) -> str | None:
    if is_country(code):
        return None
    return f"{code!r} is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. IN, FR, US)"


def check_province(code: str) -> str | None:
    if code in PROVINCES:
        return None
    return f"{code!r} is not a Canadian province or territory; allowed: {', '.join(sorted(PROVINCES))}"


def check_hours(hours: float) -> str | None:
    if 0 < hours <= MAX_HOURS_PER_WEEK:
        return None
    return f"{hours:g} hours per week is outside (0, {MAX_HOURS_PER_WEEK:g}]"


def check_clb(level: int) -> str | None:
    low, high = CLB_RANGE
    if low <= level <= high:
        return None
    return f"CLB/NCLC level {level} is outside {low}-{high}"


def check_offer_number(number: str) -> str | None:
    """IRCC's Employer Portal offer-of-employment number: 'A' followed by seven digits."""
    if _OFFER_NUMBER.match(number):
        return None
    return f"{number!r} is not an offer-of-employment number: 'A' followed by 7 digits (e.g. A1234567)"


def check_permit_code(code: str) -> str | None:
    """A code that is not a letter and two digits, or that the catalog does not know (current or pre-2022)."""
    if not _CODE.match(code):
        return f"{code!r} is not an exemption code: a letter and two digits (e.g. C43, A75, T13)"
    if catalog.current_code(code):
        return None
    allowed = ", ".join(c for c in catalog.codes() if _CODE.match(c))
    aliases = ", ".join(catalog.aliases())
    return f"{code!r} is not a permit category code; allowed: {allowed}, or a code used before 2022-12-15: {aliases}"


def check_order(start: dt.date, end: dt.date | None, start_name: str, end_name: str) -> str | None:
    if end is None or end >= start:
        return None
    return f"{end_name} {end.isoformat()} is before {start_name} {start.isoformat()}"


def validate_scenario(scenario: Scenario) -> tuple[FieldError, ...]:
    """Every invalid fact of `scenario`, each named by its contract path; empty when the scenario is valid."""
    return tuple(_scenario_errors(scenario))


def validate_options(options: PlanOptions) -> tuple[FieldError, ...]:
    """Every invalid plan option, each named by its contract path (`options.itaWaitDays`)."""
    errors: list[FieldError] = []
    for name, value, (low, high), unit in (
        ("timeLimitMs", options.time_limit_ms, TIME_LIMIT_MS_RANGE, "milliseconds"),
        ("itaWaitDays", options.ita_wait_days, ITA_WAIT_DAYS_RANGE, "days"),
    ):
        if not low <= value <= high:
            errors.append(FieldError(f"options.{name}", f"{value} is outside {low}-{high} {unit}"))
    if options.rules_as_of is not None and (message := check_date(options.rules_as_of)):
        errors.append(FieldError("options.rulesAsOf", message))
    return tuple(errors)


def _values_errors(value: object, path: str) -> Iterator[FieldError]:
    """Dates out of range and unsafe text anywhere in a scenario's values, named by their contract paths."""
    if isinstance(value, dt.date | str) and not isinstance(value, enum.Enum):
        message = check_date(value) if isinstance(value, dt.date) else check_text(value)
        if message:
            yield FieldError(path, message)
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _values_errors(item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _values_errors(getattr(value, f.name), _join(path, _camel(f.name)))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _scenario_errors(s: Scenario) -> Iterator[FieldError]:
    unsafe = list(_values_errors(s, ""))
    if unsafe:
        # The checks below do date arithmetic and print the values: report these alone.
        yield from unsafe
        return
    low, high = HORIZON_MONTHS_RANGE
    if not low <= s.horizon_months <= high:
        yield FieldError("horizonMonths", f"{s.horizon_months} is outside {low}-{high} months")
    for role, person in s.members:
        yield from _person_errors(person, role.value.lower(), s.as_of)
    if len(s.offers) > MAX_OFFERS:
        yield FieldError("offers", f"{len(s.offers)} offers; at most {MAX_OFFERS} per scenario")
    seen: set[str] = set()
    for i, offer in enumerate(s.offers):
        yield from _offer_errors(offer, f"offers[{i}]", s)
        if offer.ref in seen:
            yield FieldError(f"offers[{i}].ref", f"ref {offer.ref!r} is used by an earlier offer; refs must be unique")
        seen.add(offer.ref)


def _person_errors(p: Person, path: str, as_of: dt.date) -> Iterator[FieldError]:
    if p.birth_date >= as_of:
        yield FieldError(f"{path}.birthDate", f"{p.birth_date.isoformat()} is not before asOf {as_of.isoformat()}")
    if not p.citizenships:
        yield FieldError(f"{path}.citizenships", "at least one citizenship is required")
    for i, code in enumerate(p.citizenships):
        if message := check_country(code):
            yield FieldError(f"{path}.citizenships[{i}]", message)
    if p.status is not None and p.status.permit_code is not None and (m := check_permit_code(p.status.permit_code)):
        yield FieldError(f"{path}.status.permitCode", m)
    for i, held in enumerate(p.permit_history):
        if message := check_permit_code(held.code):
            yield FieldError(f"{path}.permitHistory[{i}].code", message)
        if message := check_order(held.valid_from, held.valid_to, "validFrom", "validTo"):
            yield FieldError(f"{path}.permitHistory[{i}].validTo", message)
    for i, edu in enumerate(p.education):
        yield from _education_errors(edu, f"{path}.education[{i}]")
    for i, test in enumerate(p.language_tests):
        yield from _language_errors(test, f"{path}.languageTests[{i}]", as_of)
    for i, work in enumerate(p.work_history):
        yield from _work_errors(work, f"{path}.workHistory[{i}]")
    if p.provincial_nomination is not None and (m := check_province(p.provincial_nomination.province)):
        yield FieldError(f"{path}.provincialNomination.province", m)


def _education_errors(e: Education, path: str) -> Iterator[FieldError]:
    if message := check_order(e.start, e.completion, "start", "completion"):
        yield FieldError(f"{path}.completion", message)
    if e.length_months is not None and not 1 <= e.length_months <= 240:
        yield FieldError(f"{path}.lengthMonths", f"{e.length_months} is outside 1-240 months")


def _language_errors(t: LanguageTest, path: str, as_of: dt.date) -> Iterator[FieldError]:
    for ability in ("listening", "reading", "writing", "speaking"):
        if message := check_clb(getattr(t, ability)):
            yield FieldError(f"{path}.{ability}", message)
    if t.taken > as_of:
        yield FieldError(f"{path}.taken", f"{t.taken.isoformat()} is after asOf {as_of.isoformat()}")


def _work_errors(w: WorkPeriod, path: str) -> Iterator[FieldError]:
    if message := check_noc(w.noc_code):
        yield FieldError(f"{path}.nocCode", message)
    if message := check_hours(w.hours_per_week):
        yield FieldError(f"{path}.hoursPerWeek", message)
    if message := check_order(w.start, w.end, "start", "end"):
        yield FieldError(f"{path}.end", message)


def _offer_errors(o: Offer, path: str, s: Scenario) -> Iterator[FieldError]:
    if not o.ref:
        yield FieldError(f"{path}.ref", "ref must not be empty")
    if o.holder is Role.SPOUSE and s.spouse is None:
        yield FieldError(f"{path}.holder", "SPOUSE holds this offer but the scenario has no spouse")
    if message := check_noc(o.noc_code):
        yield FieldError(f"{path}.nocCode", message)
    if message := check_province(o.province):
        yield FieldError(f"{path}.province", message)
    if message := check_hours(o.hours_per_week):
        yield FieldError(f"{path}.hoursPerWeek", message)
    if message := check_order(o.earliest_start, o.latest_start, "earliestStart", "latestStart"):
        yield FieldError(f"{path}.latestStart", message)
    if o.months is not None and not 1 <= o.months <= 120:
        yield FieldError(f"{path}.months", f"{o.months} is outside 1-120 months")
    if o.lmia_exempt_code is not None and (m := check_permit_code(o.lmia_exempt_code)):
        yield FieldError(f"{path}.lmiaExemptCode", m)
