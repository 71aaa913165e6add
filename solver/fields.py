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
from solver.dates import add_days, add_months
from solver.domain import (
    CanadianStatus,
    Child,
    Education,
    FieldError,
    LanguageTest,
    Offer,
    PendingApplication,
    Person,
    Pin,
    PinKind,
    PlanOptions,
    PrApplication,
    Role,
    Scenario,
    WorkPeriod,
)
from solver.rules import catalog
from solver.rules.registry import load_rules

PROVINCES = frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"})
MAX_HOURS_PER_WEEK = 80.0
CLB_RANGE = (1, 12)
HORIZON_MONTHS_RANGE = (1, 240)
MAX_OFFERS = 50
MAX_CHILDREN = 20
MAX_PINS = 20
# The PR programs the planner plans (a LEAD_PR pin may name one): Canadian Experience Class, provincial nominee.
PINNABLE_PR_PROGRAMS = ("CEC", "PNP")
# The fields each kind of pin reads beside `kind` and `person` (the others must be left out).
PIN_FIELDS = {
    PinKind.APPLY: frozenset({"code", "apply_from", "apply_to"}),
    PinKind.TAKE_OFFER: frozenset({"offer_ref"}),
    PinKind.LEAD_PR: frozenset({"program"}),
    PinKind.EXCLUDE: frozenset({"code"}),
}
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


def check_application_code(code: str) -> str | None:
    """A pending application's category that the catalog does not know: an exemption code (current or pre-2022)
    or TFWP, as the catalog lists them."""
    if catalog.current_code(code):
        return None
    allowed = ", ".join(catalog.codes())
    aliases = ", ".join(catalog.aliases())
    return (
        f"{code!r} is not a permit category of the catalog; allowed: {allowed}, or a code used before 2022-12-15:"
        f" {aliases}"
    )


def check_pr_program(program: str, on: dt.date) -> str | None:
    """A PR program that is not one of `PR.programs` in force on `on` (the day the application was submitted)."""
    programs: list[str] = load_rules().param("PR.programs", "programs", on)
    if program in programs:
        return None
    return f"{program!r} is not a permanent-residence program (PR.programs); allowed: {', '.join(programs)}"


def check_not_after(day: dt.date, limit: dt.date, limit_name: str) -> str | None:
    """A day after `limit` (a fact of the file that cannot lie in the future of asOf, say)."""
    if day <= limit:
        return None
    return f"{day.isoformat()} is after {limit_name} {limit.isoformat()}"


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
        path = role.value.lower()
        yield from _person_errors(person, path, s.as_of)
        yield from _file_errors(person, role, path, s)
    canadians = [role for role, person in s.members if person.canadian_status is not None]
    if len(canadians) > 1:
        yield FieldError(
            "spouse.canadianStatus",
            "both members are Canadian; at most one member may be a citizen or permanent resident (the household "
            "is planned for the foreign national)",
        )
    if len(s.children) > MAX_CHILDREN:
        yield FieldError("children", f"{len(s.children)} children; at most {MAX_CHILDREN} per household")
    for i, child in enumerate(s.children):
        yield from _child_errors(child, f"children[{i}]", s.as_of)
    if len(s.offers) > MAX_OFFERS:
        yield FieldError("offers", f"{len(s.offers)} offers; at most {MAX_OFFERS} per scenario")
    seen: set[str] = set()
    for i, offer in enumerate(s.offers):
        yield from _offer_errors(offer, f"offers[{i}]", s)
        if offer.ref in seen:
            yield FieldError(f"offers[{i}].ref", f"ref {offer.ref!r} is used by an earlier offer; refs must be unique")
        seen.add(offer.ref)
    yield from _pins_errors(s)


def _pins_errors(s: Scenario) -> Iterator[FieldError]:
    """Each pin on its own (`_pin_errors`), then pins that contradict an earlier one."""
    if len(s.pins) > MAX_PINS:
        yield FieldError("pins", f"{len(s.pins)} pins; at most {MAX_PINS} per scenario")
    for i, pin in enumerate(s.pins):
        path = f"pins[{i}]"
        own = list(_pin_errors(pin, path, s))
        yield from own
        if own:
            continue
        for j, earlier in enumerate(s.pins[:i]):
            if message := _contradiction(earlier, pin):
                yield FieldError(path, f"{message} (pins[{j}])")
                break


def pin_shape_errors(pin: Pin, path: str) -> list[FieldError]:
    """What is wrong with a pin whatever the household: a field its kind does not read, a missing or unknown
    code, a program the planner does not plan, days out of order (the stored pins' check, and the first part
    of a scenario's)."""
    errors = []
    for f in dataclasses.fields(Pin):
        if f.name in ("kind", "person") or f.name in PIN_FIELDS[pin.kind]:
            continue
        if getattr(pin, f.name) is not None:
            reads = ", ".join(_camel(name) for name in sorted(PIN_FIELDS[pin.kind]))
            errors.append(
                FieldError(f"{path}.{_camel(f.name)}", f"is not read by a {pin.kind.value} pin, which reads {reads}")
            )
    if pin.kind in (PinKind.APPLY, PinKind.EXCLUDE):
        if pin.code is None:
            errors.append(FieldError(f"{path}.code", f"is required for a {pin.kind.value} pin"))
        elif message := check_application_code(pin.code):
            errors.append(FieldError(f"{path}.code", message))
    if pin.kind is PinKind.TAKE_OFFER and pin.offer_ref is None:
        errors.append(FieldError(f"{path}.offerRef", "is required for a TAKE_OFFER pin"))
    if pin.kind is PinKind.LEAD_PR and pin.program is not None and pin.program not in PINNABLE_PR_PROGRAMS:
        allowed = ", ".join(PINNABLE_PR_PROGRAMS)
        errors.append(
            FieldError(f"{path}.program", f"{pin.program!r} is not a program the planner plans; allowed: {allowed}")
        )
    if pin.apply_from is not None and (message := check_order(pin.apply_from, pin.apply_to, "applyFrom", "applyTo")):
        errors.append(FieldError(f"{path}.applyTo", message))
    return errors


def _pin_errors(pin: Pin, path: str, s: Scenario) -> Iterator[FieldError]:
    """A pin of a member the household has, with the fields its kind reads, each valid."""
    yield from pin_shape_errors(pin, path)
    person = s.person(pin.person)
    if person is None:
        yield FieldError(f"{path}.person", "the household has no spouse; a pin names a member of the household")
        return
    if person.canadian_status is not None:
        yield FieldError(
            f"{path}.person",
            f"{pin.person.value} is {person.canadian_status.value.lower().replace('_', ' ')} (canadianStatus): a "
            "Canadian member applies for no permit, takes offers without one and is never the PR applicant",
        )
    if pin.kind is PinKind.APPLY:
        yield from _pin_window_errors(pin, path, s)
    if pin.kind is PinKind.TAKE_OFFER and pin.offer_ref is not None:
        yield from _pin_offer_errors(pin, path, s)


def _pin_window_errors(pin: Pin, path: str, s: Scenario) -> Iterator[FieldError]:
    """An APPLY pin's days lie from asOf to the horizon's last day."""
    last = add_days(add_months(s.as_of, s.horizon_months), -1)
    for name, day in (("applyFrom", pin.apply_from), ("applyTo", pin.apply_to)):
        if day is None:
            continue
        if day < s.as_of or day > last:
            yield FieldError(
                f"{path}.{name}",
                f"{day.isoformat()} is outside the plan's horizon, {s.as_of.isoformat()} (asOf) to {last.isoformat()}",
            )


def _pin_offer_errors(pin: Pin, path: str, s: Scenario) -> Iterator[FieldError]:
    """A TAKE_OFFER pin names an offer of the scenario that its member holds."""
    offer = next((o for o in s.offers if o.ref == pin.offer_ref), None)
    if offer is None:
        refs = ", ".join(repr(o.ref) for o in s.offers) or "none"
        yield FieldError(f"{path}.offerRef", f"no offer has ref {pin.offer_ref!r}; the offers' refs: {refs}")
    elif offer.holder is not pin.person:
        yield FieldError(
            f"{path}.offerRef",
            f"offer {pin.offer_ref!r} is held by {offer.holder.value}; a member takes only their own",
        )


def _contradiction(earlier: Pin, pin: Pin) -> str | None:
    """What makes `pin` contradict `earlier` on its face (the planner finds the rest), or None."""
    kinds = {earlier.kind, pin.kind}
    same_code = earlier.person is pin.person and earlier.code == pin.code
    if kinds == {PinKind.APPLY, PinKind.EXCLUDE} and same_code:
        return f"{pin.person.value} cannot both apply for and exclude {pin.code}"
    if earlier.kind is PinKind.LEAD_PR and pin.kind is PinKind.LEAD_PR:
        if earlier.person is not pin.person:
            return "only one member leads PR; another pin already names the other member"
        if earlier.program != pin.program:
            return "another LEAD_PR pin names another program"
    return None


def _born_errors(birth_date: dt.date, citizenships: tuple[str, ...], path: str, as_of: dt.date) -> Iterator[FieldError]:
    """A person's or a child's birth date (before asOf) and citizenships (at least one, each an ISO code)."""
    if birth_date >= as_of:
        yield FieldError(f"{path}.birthDate", f"{birth_date.isoformat()} is not before asOf {as_of.isoformat()}")
    if not citizenships:
        yield FieldError(f"{path}.citizenships", "at least one citizenship is required")
    for i, code in enumerate(citizenships):
        if message := check_country(code):
            yield FieldError(f"{path}.citizenships[{i}]", message)


def _person_errors(p: Person, path: str, as_of: dt.date) -> Iterator[FieldError]:
    yield from _born_errors(p.birth_date, p.citizenships, path, as_of)
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


def _file_errors(p: Person, role: Role, path: str, s: Scenario) -> Iterator[FieldError]:
    """The client file's facts: applications pending and submitted, biometrics, and a Canadian's own status."""
    seen: set[str] = set()
    for i, pending in enumerate(p.pending_applications):
        where = f"{path}.pendingApplications[{i}]"
        yield from _pending_errors(pending, where, role, s)
        if pending.code in seen:
            yield FieldError(
                f"{where}.code",
                f"{pending.code} is pending in an earlier application of this person; at most one pending "
                "application per category and person",
            )
        seen.add(pending.code)
    if p.pr_application is not None:
        yield from _pr_errors(p.pr_application, f"{path}.prApplication", s.as_of)
    if p.biometrics_given_on is not None:
        where = f"{path}.biometricsGivenOn"
        if message := check_not_after(p.biometrics_given_on, s.as_of, "asOf"):
            yield FieldError(where, message)
        if p.biometrics_given_on <= p.birth_date:
            yield FieldError(
                where, f"{p.biometrics_given_on.isoformat()} is not after birthDate {p.birth_date.isoformat()}"
            )
    if p.medical_exam_on is not None:
        where = f"{path}.medicalExamOn"
        if message := check_not_after(p.medical_exam_on, s.as_of, "asOf"):
            yield FieldError(where, message)
        if p.medical_exam_on <= p.birth_date:
            yield FieldError(
                where, f"{p.medical_exam_on.isoformat()} is not after birthDate {p.birth_date.isoformat()}"
            )
    if p.canadian_status is not None:
        yield from _canadian_errors(p, p.canadian_status, path)


def _pending_errors(a: PendingApplication, path: str, role: Role, s: Scenario) -> Iterator[FieldError]:
    if message := check_application_code(a.code):
        yield FieldError(f"{path}.code", message)
    if message := check_not_after(a.applied_on, s.as_of, "asOf"):
        yield FieldError(f"{path}.appliedOn", f"{message}; a pending application was filed on or before asOf")
    if a.offer_ref is not None:
        offer = next((o for o in s.offers if o.ref == a.offer_ref), None)
        if offer is None:
            refs = ", ".join(repr(o.ref) for o in s.offers) or "none"
            yield FieldError(f"{path}.offerRef", f"no offer has ref {a.offer_ref!r}; the offers' refs: {refs}")
        elif offer.holder is not role:
            yield FieldError(
                f"{path}.offerRef",
                f"offer {a.offer_ref!r} is held by {offer.holder.value}; an application rests on an offer its "
                "applicant holds",
            )


def _pr_errors(a: PrApplication, path: str, as_of: dt.date) -> Iterator[FieldError]:
    if message := check_pr_program(a.program, a.submitted_on):
        yield FieldError(f"{path}.program", message)
    if message := check_not_after(a.submitted_on, as_of, "asOf"):
        yield FieldError(f"{path}.submittedOn", f"{message}; a submitted application was submitted by asOf")
    if a.aor_on is not None:
        if message := check_order(a.submitted_on, a.aor_on, "submittedOn", "aorOn"):
            yield FieldError(f"{path}.aorOn", message)
        elif message := check_not_after(a.aor_on, as_of, "asOf"):
            yield FieldError(f"{path}.aorOn", f"{message}; an acknowledgement not yet received is null")


def _canadian_errors(p: Person, canadian: CanadianStatus, path: str) -> Iterator[FieldError]:
    """A Canadian member holds no temporary status, permit or application of a foreign national, and is here
    (the planner plans the foreign national beside them; a PR application of a Canadian makes no sense)."""
    who = f"a {canadian.value.lower().replace('_', ' ')} (canadianStatus)"
    for name, present in (
        ("status", p.status is not None),
        ("pendingApplications", bool(p.pending_applications)),
        ("permitHistory", bool(p.permit_history)),
        ("prApplication", p.pr_application is not None),
    ):
        if present:
            yield FieldError(
                f"{path}.{name}",
                f"must be empty for {who}: a Canadian needs no temporary status, permit or PR application",
            )
    if not p.in_canada:
        yield FieldError(
            f"{path}.inCanada", f"must be true for {who}: the planner takes a Canadian member as in Canada"
        )


def _child_errors(c: Child, path: str, as_of: dt.date) -> Iterator[FieldError]:
    yield from _born_errors(c.birth_date, c.citizenships, path, as_of)


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
    if o.lmia_applied_on is not None:
        if message := check_not_after(o.lmia_applied_on, s.as_of, "asOf"):
            yield FieldError(f"{path}.lmiaAppliedOn", f"{message}; an LMIA not yet applied for is null")
        if o.lmia_exempt_code is not None:
            yield FieldError(
                f"{path}.lmiaAppliedOn",
                f"an offer under LMIA-exempt code {o.lmia_exempt_code} needs no LMIA; give lmiaAppliedOn only for "
                "an offer without lmiaExemptCode",
            )
