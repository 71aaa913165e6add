"""Contract JSON <-> domain: a camelCase scenario document in, the contract's Plan JSON out.

`parse_document` reads a scenario file's content (a `ScenarioInput` object, or `{"scenario": ..., "options": ...}`)
into a `Scenario` and `PlanOptions`, reporting every type or shape problem as a `FieldError` named by its
contract path, then checks the values (`checked`, which GraphQL's inputs pass too). `plan_to_json` writes a
`Plan` exactly as the `PlanScenario` operation returns it (with `__typename`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from solver.assemble import null_message
from solver.countries import is_country
from solver.domain import (
    DEFAULT_OBJECTIVE,
    CanadianStatus,
    Child,
    Credential,
    Education,
    FieldError,
    HeldPermit,
    InstitutionKind,
    InvalidScenario,
    LanguageTest,
    LanguageTestKind,
    Nomination,
    ObjectiveTerm,
    Offer,
    PendingApplication,
    Person,
    Pin,
    PinKind,
    Plan,
    PlanOptions,
    PrApplication,
    ProcessingTime,
    Role,
    Scenario,
    Status,
    StatusKind,
    WorkPeriod,
)
from solver.fields import validate_options, validate_scenario
from solver.rules import catalog

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
_MISSING = object()
_NO_DEFAULT = object()


# The contract's input type of each domain dataclass a scenario file holds (named in unknown-field errors).
_INPUT_NAMES = {
    "Scenario": "ScenarioInput",
    "Person": "PersonInput",
    "Status": "StatusInput",
    "HeldPermit": "HeldPermitInput",
    "Education": "EducationInput",
    "LanguageTest": "LanguageTestInput",
    "WorkPeriod": "WorkInput",
    "Nomination": "NominationInput",
    "Offer": "OfferInput",
    "PendingApplication": "PendingApplicationInput",
    "PrApplication": "PrApplicationInput",
    "Child": "ChildInput",
    "Pin": "PinInput",
    "PlanOptions": "PlanOptionsInput",
}


class _Reader:
    """Collects FieldErrors while reading typed values out of a JSON object."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, raw: Any, path: str, shape: type | None = None) -> Mapping[str, Any] | None:
        """`raw` as an object; with `shape` (a domain dataclass), a key that is none of its fields is an error, as
        GraphQL refuses an unknown input field: a file and a request with the same mistake get the same answer."""
        if isinstance(raw, Mapping):
            if shape is not None:
                allowed = [camel(f.name) for f in dataclasses.fields(shape)]
                for key in raw:
                    if key not in allowed:
                        name = _INPUT_NAMES.get(shape.__name__, shape.__name__)
                        self.fail(_join(path, str(key)), f"is not a field of {name}; allowed: {', '.join(allowed)}")
            return raw
        self.fail(path or "scenario", f"expected an object, got {_kind(raw)}")
        return None

    def get(self, o: Mapping[str, Any], key: str, path: str, required: bool, default: Any = _NO_DEFAULT) -> Any:
        """`o[key]`; None when absent (an error if `required`). A field with a `default` may be left out, not
        sent as null (as over GraphQL): a null there is an error naming it."""
        value = o.get(key, _MISSING)
        if value is None and default is not _NO_DEFAULT:
            self.fail(_join(path, key), null_message(default))
            return None
        if value is _MISSING or value is None:
            if required:
                self.fail(_join(path, key), "is required")
            return None
        return value

    def date(self, o: Mapping[str, Any], key: str, path: str, required: bool = True) -> dt.date | None:
        value = self.get(o, key, path, required)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(_join(path, key), f"expected an ISO date like 2026-05-01, got {value!r}")
        return None

    def boolean(self, o: Mapping[str, Any], key: str, path: str, default: bool | None = None) -> bool | None:
        value = self.get(o, key, path, default is None, _NO_DEFAULT if default is None else default)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.fail(_join(path, key), f"expected true or false, got {value!r}")
        return default

    def integer(
        self, o: Mapping[str, Any], key: str, path: str, required: bool = False, default: Any = _NO_DEFAULT
    ) -> int | None:
        value = self.get(o, key, path, required, default)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        self.fail(_join(path, key), f"expected an integer, got {value!r}")
        return None

    def number(self, o: Mapping[str, Any], key: str, path: str) -> float | None:
        value = self.get(o, key, path, True)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.fail(_join(path, key), f"expected a number, got {value!r}")
        return None

    def string(self, o: Mapping[str, Any], key: str, path: str, required: bool = True) -> str | None:
        value = self.get(o, key, path, required)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        self.fail(_join(path, key), f"expected a string, got {value!r}")
        return None

    def member(self, o: Mapping[str, Any], key: str, path: str, kind: type[E], required: bool = True) -> E | None:
        value = self.get(o, key, path, required)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            self.fail(_join(path, key), f"{value!r} is not one of {allowed}")
            return None

    def items(
        self, o: Mapping[str, Any], key: str, path: str, read: Callable[[Any, str], T | None], nullable: bool = False
    ) -> list[T]:
        """A list (default empty); null is an error unless `nullable` (a field whose default is null)."""
        value = self.get(o, key, path, False, _NO_DEFAULT if nullable else ())
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(_join(path, key), f"expected a list, got {_kind(value)}")
            return []
        out: list[T] = []
        for i, raw in enumerate(value):
            item = read(raw, f"{_join(path, key)}[{i}]")
            if item is not None:
                out.append(item)
        return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def parse_document(doc: Any) -> tuple[Scenario, PlanOptions] | InvalidScenario:
    """A scenario file's JSON (bare ScenarioInput, or {"scenario", "options"}) as domain values, or the errors."""
    if isinstance(doc, Mapping) and "scenario" in doc:
        return parse_scenario(doc["scenario"], doc.get("options"))
    return parse_scenario(doc, None)


def parse_scenario(raw: Any, raw_options: Any = None) -> tuple[Scenario, PlanOptions] | InvalidScenario:
    """A camelCase ScenarioInput (and optional PlanOptionsInput) as domain values, or every error found."""
    r = _Reader()
    scenario = _scenario(r, raw)
    options = _options(r, raw_options)
    if r.errors or scenario is None:
        return InvalidScenario(tuple(r.errors))
    return checked(scenario, options)


def checked(scenario: Scenario, options: PlanOptions) -> tuple[Scenario, PlanOptions] | InvalidScenario:
    """The question as given when its facts and options pass `solver.fields`' checks, else every error.

    The one check of a question once it is read, whether from a scenario file (`parse_scenario`) or from
    GraphQL inputs mapped straight onto the domain (`schema.planning.question`).
    """
    errors = validate_scenario(scenario) + validate_options(options)
    if errors:
        return InvalidScenario(errors)
    return scenario, options


def _scenario(r: _Reader, raw: Any) -> Scenario | None:
    o = r.obj(raw, "", Scenario)
    if o is None:
        return None
    as_of = r.date(o, "asOf", "")
    horizon = r.integer(o, "horizonMonths", "", default=Scenario.horizon_months)
    principal = _person(r, r.get(o, "principal", "", True), "principal")
    spouse_raw = r.get(o, "spouse", "", False)
    spouse = _person(r, spouse_raw, "spouse") if spouse_raw is not None else None
    offers = r.items(o, "offers", "", lambda x, p: _offer(r, x, p))
    children = r.items(o, "children", "", lambda x, p: _child(r, x, p))
    pins = r.items(o, "pins", "", lambda x, p: _pin(r, x, p))
    if as_of is None or principal is None:
        return None
    return Scenario(
        as_of=as_of,
        principal=principal,
        spouse=spouse,
        offers=tuple(offers),
        horizon_months=60 if horizon is None else horizon,
        children=tuple(children),
        pins=tuple(pins),
    )


def _pin(r: _Reader, raw: Any, path: str) -> Pin | None:
    o = r.obj(raw, path, Pin)
    if o is None:
        return None
    kind = r.member(o, "kind", path, PinKind)
    person = r.member(o, "person", path, Role)
    code = r.string(o, "code", path, required=False)
    apply_from = r.date(o, "applyFrom", path, required=False)
    apply_to = r.date(o, "applyTo", path, required=False)
    offer_ref = r.string(o, "offerRef", path, required=False)
    program = r.string(o, "program", path, required=False)
    if kind is None or person is None:
        return None
    return Pin(kind, person, code, apply_from, apply_to, offer_ref, program)


def _person(r: _Reader, raw: Any, path: str) -> Person | None:
    if raw is None:
        return None
    o = r.obj(raw, path, Person)
    if o is None:
        return None
    birth = r.date(o, "birthDate", path)
    cits = _citizenships(r, o, path)
    in_canada = r.boolean(o, "inCanada", path)
    status_raw = r.get(o, "status", path, False)
    status = _status(r, status_raw, f"{path}.status") if status_raw is not None else None
    nom_raw = r.get(o, "provincialNomination", path, False)
    nomination = _nomination(r, nom_raw, f"{path}.provincialNomination") if nom_raw is not None else None
    pr_raw = r.get(o, "prApplication", path, False)
    pr_application = _pr_application(r, pr_raw, f"{path}.prApplication") if pr_raw is not None else None
    person = Person(
        birth_date=birth or dt.date.min,
        citizenships=tuple(cits),
        in_canada=bool(in_canada),
        passport_expiry=r.date(o, "passportExpiry", path, required=False),
        status=status,
        permit_history=tuple(r.items(o, "permitHistory", path, lambda x, p: _held(r, x, p))),
        education=tuple(r.items(o, "education", path, lambda x, p: _education(r, x, p))),
        language_tests=tuple(r.items(o, "languageTests", path, lambda x, p: _test(r, x, p))),
        work_history=tuple(r.items(o, "workHistory", path, lambda x, p: _work(r, x, p))),
        provincial_nomination=nomination,
        pending_applications=tuple(r.items(o, "pendingApplications", path, lambda x, p: _pending(r, x, p))),
        pr_application=pr_application,
        biometrics_given_on=r.date(o, "biometricsGivenOn", path, required=False),
        medical_exam_on=r.date(o, "medicalExamOn", path, required=False),
        canadian_status=r.member(o, "canadianStatus", path, CanadianStatus, required=False),
    )
    return None if birth is None or in_canada is None else person


def _citizenships(r: _Reader, o: Mapping[str, Any], path: str) -> list[str]:
    cits_raw = r.get(o, "citizenships", path, True)
    cits: list[str] = []
    if cits_raw is not None:
        if isinstance(cits_raw, list):
            for i, c in enumerate(cits_raw):
                if isinstance(c, str):
                    cits.append(c)
                else:
                    r.fail(f"{path}.citizenships[{i}]", f"expected a string, got {c!r}")
        else:
            r.fail(f"{path}.citizenships", f"expected a list, got {_kind(cits_raw)}")
    return cits


def _pending(r: _Reader, raw: Any, path: str) -> PendingApplication | None:
    o = r.obj(raw, path, PendingApplication)
    if o is None:
        return None
    code = r.string(o, "code", path)
    applied_on = r.date(o, "appliedOn", path)
    inside = r.boolean(o, "insideCanada", path, default=True)
    restoration = r.boolean(o, "withRestoration", path, default=False)
    offer_ref = r.string(o, "offerRef", path, required=False)
    if code is None or applied_on is None:
        return None
    return PendingApplication(
        code=code,
        applied_on=applied_on,
        inside_canada=bool(inside),
        with_restoration=bool(restoration),
        offer_ref=offer_ref,
    )


def _pr_application(r: _Reader, raw: Any, path: str) -> PrApplication | None:
    o = r.obj(raw, path, PrApplication)
    if o is None:
        return None
    program = r.string(o, "program", path)
    submitted_on = r.date(o, "submittedOn", path)
    aor_on = r.date(o, "aorOn", path, required=False)
    if program is None or submitted_on is None:
        return None
    return PrApplication(program=program, submitted_on=submitted_on, aor_on=aor_on)


def _child(r: _Reader, raw: Any, path: str) -> Child | None:
    o = r.obj(raw, path, Child)
    if o is None:
        return None
    birth = r.date(o, "birthDate", path)
    cits = _citizenships(r, o, path)
    in_canada = r.boolean(o, "inCanada", path)
    if birth is None or in_canada is None:
        return None
    return Child(birth_date=birth, citizenships=tuple(cits), in_canada=in_canada)


def _status(r: _Reader, raw: Any, path: str) -> Status | None:
    o = r.obj(raw, path, Status)
    if o is None:
        return None
    kind = r.member(o, "kind", path, StatusKind)
    valid_to = r.date(o, "validTo", path)
    code = r.string(o, "permitCode", path, required=False)
    specific = r.boolean(o, "employerSpecific", path, default=False)
    if kind is None or valid_to is None:
        return None
    return Status(kind=kind, valid_to=valid_to, permit_code=code, employer_specific=bool(specific))


def _held(r: _Reader, raw: Any, path: str) -> HeldPermit | None:
    o = r.obj(raw, path, HeldPermit)
    if o is None:
        return None
    code = r.string(o, "code", path)
    start = r.date(o, "validFrom", path)
    end = r.date(o, "validTo", path)
    if code is None or start is None or end is None:
        return None
    return HeldPermit(code=code, valid_from=start, valid_to=end)


def _education(r: _Reader, raw: Any, path: str) -> Education | None:
    o = r.obj(raw, path, Education)
    if o is None:
        return None
    credential = r.member(o, "credential", path, Credential)
    institution = r.member(o, "institution", path, InstitutionKind)
    canadian = r.boolean(o, "canadian", path)
    start = r.date(o, "start", path)
    completion = r.date(o, "completion", path)
    edu_fields = (
        r.boolean(o, "pgwpEligibleDli", path, default=False),
        r.boolean(o, "fieldOfStudyEligible", path, default=True),
        r.boolean(o, "fullTime", path, default=True),
        r.integer(o, "lengthMonths", path),
        r.date(o, "studyPermitAppliedOn", path, required=False),
    )
    if credential is None or institution is None or canadian is None or start is None or completion is None:
        return None
    return Education(
        credential=credential,
        institution=institution,
        canadian=canadian,
        start=start,
        completion=completion,
        pgwp_eligible_dli=bool(edu_fields[0]),
        field_of_study_eligible=bool(edu_fields[1]),
        full_time=bool(edu_fields[2]),
        length_months=edu_fields[3],
        study_permit_applied_on=edu_fields[4],
    )


def _test(r: _Reader, raw: Any, path: str) -> LanguageTest | None:
    o = r.obj(raw, path, LanguageTest)
    if o is None:
        return None
    kind = r.member(o, "test", path, LanguageTestKind)
    taken = r.date(o, "taken", path)
    levels = [r.integer(o, k, path, required=True) for k in ("listening", "reading", "writing", "speaking")]
    if kind is None or taken is None or any(v is None for v in levels):
        return None
    lv = [int(v or 0) for v in levels]
    return LanguageTest(test=kind, taken=taken, listening=lv[0], reading=lv[1], writing=lv[2], speaking=lv[3])


def _work(r: _Reader, raw: Any, path: str) -> WorkPeriod | None:
    o = r.obj(raw, path, WorkPeriod)
    if o is None:
        return None
    noc_code = r.string(o, "nocCode", path)
    start = r.date(o, "start", path)
    hours = r.number(o, "hoursPerWeek", path)
    in_canada = r.boolean(o, "inCanada", path)
    end = r.date(o, "end", path, required=False)
    flags = (
        r.boolean(o, "selfEmployed", path, default=False),
        r.boolean(o, "whileFullTimeStudent", path, default=False),
        r.boolean(o, "authorized", path, default=True),
    )
    if noc_code is None or start is None or hours is None or in_canada is None:
        return None
    return WorkPeriod(
        noc_code=noc_code,
        start=start,
        end=end,
        hours_per_week=hours,
        in_canada=in_canada,
        self_employed=bool(flags[0]),
        while_full_time_student=bool(flags[1]),
        authorized=bool(flags[2]),
    )


def _nomination(r: _Reader, raw: Any, path: str) -> Nomination | None:
    o = r.obj(raw, path, Nomination)
    if o is None:
        return None
    province = r.string(o, "province", path)
    on = r.date(o, "nominatedOn", path)
    restricted = r.boolean(o, "employerRestricted", path, default=False)
    if province is None or on is None:
        return None
    return Nomination(province=province, nominated_on=on, employer_restricted=bool(restricted))


def _offer(r: _Reader, raw: Any, path: str) -> Offer | None:
    o = r.obj(raw, path, Offer)
    if o is None:
        return None
    ref = r.string(o, "ref", path)
    holder = r.member(o, "holder", path, Role)
    noc_code = r.string(o, "nocCode", path)
    province = r.string(o, "province", path)
    hours = r.number(o, "hoursPerWeek", path)
    earliest = r.date(o, "earliestStart", path)
    rest = (
        r.date(o, "latestStart", path, required=False),
        r.integer(o, "months", path),
        r.string(o, "lmiaExemptCode", path, required=False),
        r.boolean(o, "lmiaApproved", path, default=False),
        r.date(o, "lmiaAppliedOn", path, required=False),
    )
    if ref is None or holder is None or noc_code is None or province is None or hours is None or earliest is None:
        return None
    return Offer(
        ref=ref,
        holder=holder,
        noc_code=noc_code,
        province=province,
        hours_per_week=hours,
        earliest_start=earliest,
        latest_start=rest[0],
        months=rest[1],
        lmia_exempt_code=rest[2],
        lmia_approved=bool(rest[3]),
        lmia_applied_on=rest[4],
    )


def _options(r: _Reader, raw: Any) -> PlanOptions:
    if raw is None:
        return PlanOptions()
    o = r.obj(raw, "options", PlanOptions)
    if o is None:
        return PlanOptions()
    limit = r.integer(o, "timeLimitMs", "options", default=PlanOptions.time_limit_ms)
    wait = r.integer(o, "itaWaitDays", "options", default=PlanOptions.ita_wait_days)
    as_of = r.date(o, "rulesAsOf", "options", required=False)
    terms = r.items(o, "objective", "options", lambda x, p: _term(r, x, p), nullable=True)
    times = r.items(o, "processing", "options", lambda x, p: _processing_time(r, x, p))
    options, errors = read_options(limit, wait, as_of, terms, processing=times)
    r.errors.extend(errors)
    return options


def _processing_time(r: _Reader, raw: Any, path: str) -> ProcessingTime | None:
    o = r.obj(raw, path, ProcessingTime)
    if o is None:
        return None
    code = r.string(o, "code", path)
    inside = r.boolean(o, "insideCanada", path)
    p50 = r.integer(o, "p50Days", path, required=True)
    p90 = r.integer(o, "p90Days", path, required=True)
    country = r.string(o, "country", path, required=False)
    effective = r.date(o, "effectiveFrom", path, required=False)
    if code is None or inside is None or p50 is None or p90 is None:
        return None
    return ProcessingTime(code, inside, p50, p90, country, effective)


def read_options(
    time_limit_ms: int | None,
    ita_wait_days: int | None,
    rules_as_of: dt.date | None,
    objective: Sequence[ObjectiveTerm],
    *,
    cite_time_limit: bool = True,
    processing: Sequence[ProcessingTime] = (),
) -> tuple[PlanOptions, list[FieldError]]:
    """The caller's plan settings (None: the default) as the planner's options, and what is wrong with them.

    The one check of the settings, for a scenario file (`_options`) and for GraphQL's `PlanOptionsInput`
    (`schema.planning.PlanOptionsInput.read`: `planScenario`, `startPlan` and the stored-plan mutations); an
    invalid setting is left at its default. The range
    checks (`solver.fields.validate_options`) come after, on the options. `cite_time_limit=False` keeps the
    stored-plan mutations' message for timeLimitMs, which has never named the value.
    """
    errors: list[FieldError] = []
    if time_limit_ms is not None and time_limit_ms <= 0:
        cited = f"{time_limit_ms} " if cite_time_limit else ""
        errors.append(FieldError("options.timeLimitMs", f"{cited}must be a positive number of milliseconds"))
    if ita_wait_days is not None and ita_wait_days < 0:
        errors.append(FieldError("options.itaWaitDays", f"{ita_wait_days} must not be negative"))
    if len(set(objective)) != len(objective):
        errors.append(FieldError("options.objective", "each objective term may appear once"))
    bad = processing_errors(processing, "options.processing")
    errors.extend(bad)
    options = PlanOptions(
        time_limit_ms=time_limit_ms if time_limit_ms is not None and time_limit_ms > 0 else PlanOptions.time_limit_ms,
        objective=tuple(objective) if objective else DEFAULT_OBJECTIVE,
        rules_as_of=rules_as_of,
        ita_wait_days=ita_wait_days if ita_wait_days is not None and ita_wait_days >= 0 else PlanOptions.ita_wait_days,
        processing=() if bad else tuple(processing),
    )
    return options, errors


# The longest processing time an override may give (ten years: beyond any plan's horizon).
MAX_PROCESSING_DAYS = 3650


def processing_errors(times: Sequence[ProcessingTime], path: str) -> list[FieldError]:
    """What is wrong with processing times replacing the rules' (a request's `options.processing`, a firm's
    stored ones): an unknown category code, a negative figure or one beyond ten years, a slow figure below the
    expected one, a country that is not an ISO 3166-1 alpha-2 code (a country's figure is read for applications
    from outside Canada only: solver/rules/processing.py)."""
    errors: list[FieldError] = []
    for i, t in enumerate(times):
        at = f"{path}[{i}]"
        if catalog.current_code(t.code) != (t.code,):
            allowed = ", ".join(catalog.codes())
            errors.append(FieldError(f"{at}.code", f"{t.code!r} is not a current category code; allowed: {allowed}"))
        for name, days in (("p50Days", t.p50_days), ("p90Days", t.p90_days)):
            if not 0 <= days <= MAX_PROCESSING_DAYS:
                errors.append(FieldError(f"{at}.{name}", f"{days} must be between 0 and {MAX_PROCESSING_DAYS} days"))
        if t.p90_days < t.p50_days:
            message = f"{t.p90_days} is below p50Days ({t.p50_days}): the slow figure is at least the expected one"
            errors.append(FieldError(f"{at}.p90Days", message))
        if t.country is not None and not is_country(t.country):
            errors.append(FieldError(f"{at}.country", f"{t.country!r} is not an ISO 3166-1 alpha-2 country code"))
    return errors


def _term(r: _Reader, raw: Any, path: str) -> ObjectiveTerm | None:
    try:
        return ObjectiveTerm(raw)
    except ValueError:
        r.fail(path, f"{raw!r} is not one of {', '.join(t.value for t in ObjectiveTerm)}")
        return None


# --- out ----------------------------------------------------------------------------------------


def _d(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The Plan exactly as the contract's PlanScenario operation selects it, with `__typename`."""
    return {
        "__typename": "Plan",
        "status": plan.status.value,
        "prReadyDate": _d(plan.pr_ready_date),
        "prProgram": plan.pr_program,
        "prApplicant": None if plan.pr_applicant is None else plan.pr_applicant.value,
        "crsScore": plan.crs_score,
        "permits": [
            {
                "person": p.person.value,
                "code": p.code,
                "name": p.name,
                "open": p.open,
                "applyOn": _d(p.apply_on),
                "validFrom": _d(p.valid_from),
                "validTo": _d(p.valid_to),
                "offerRef": p.offer_ref,
                "fee": p.fee,
                "biometricsFee": p.biometrics_fee,
                "employerFee": p.employer_fee,
            }
            for p in plan.permits
        ],
        "jobs": [
            {
                "person": j.person.value,
                "offerRef": j.offer_ref,
                "nocCode": j.noc_code,
                "start": _d(j.start),
                "end": _d(j.end),
            }
            for j in plan.jobs
        ],
        "steps": [
            {
                "date": _d(s.date),
                "person": s.person.value,
                "action": s.action,
                "code": s.code,
                "detail": s.detail,
                "ruleIds": list(s.rule_ids),
            }
            for s in plan.steps
        ],
        "statusGaps": [
            {"person": g.person.value, "start": _d(g.start), "end": _d(g.end), "workAuthorized": g.work_authorized}
            for g in plan.status_gaps
        ],
        "fees": {
            "total": plan.fees_total,
            "permits": plan.fees_permits,
            "biometrics": plan.fees_biometrics,
            "pr": plan.fees_pr,
            "employer": plan.fees_employer,
        },
        "blockers": [{"ruleId": f.rule_id, "message": f.message, "source": f.source} for f in plan.blockers],
        "explanation": [{"ruleId": f.rule_id, "message": f.message, "source": f.source} for f in plan.explanation],
        "rulesVersion": plan.rules_version,
        "solveMs": plan.solve_ms,
    }


def invalid_to_json(invalid: InvalidScenario) -> dict[str, Any]:
    """The InvalidScenario exactly as the contract's PlanScenario operation selects it."""
    return {"__typename": "InvalidScenario", "errors": [{"path": e.path, "message": e.message} for e in invalid.errors]}


def camel(name: str) -> str:
    """The contract's name of a snake_case field (`hours_per_week` -> `hoursPerWeek`)."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def to_json(value: Any, *, drop_none: bool = False) -> Any:
    """A domain value as the contract's camelCase JSON: dates as ISO strings, enums by value; `drop_none`
    leaves out fields that are None, as a client would."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v, drop_none=drop_none) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (
            (f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.metadata.get("contract", True)
        )
        return {camel(k): to_json(v, drop_none=drop_none) for k, v in fields if not (drop_none and v is None)}
    return value
