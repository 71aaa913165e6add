"""The planner's typed vocabulary: a household's situation in, a plan out.

Field names mirror the public contract's `ScenarioInput` and `Plan` (snake_case here, camelCase over
GraphQL), so a stored household, a scenario file and a GraphQL input all map onto the same facts.
Everything is a frozen dataclass: the solver never mutates its input.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Final

from solver.phrases import Phrase


class Role(enum.Enum):
    """Which member of the household: the contract's `Person` enum."""

    PRINCIPAL = "PRINCIPAL"
    SPOUSE = "SPOUSE"


class StatusKind(enum.Enum):
    STUDENT = "STUDENT"
    WORKER = "WORKER"
    VISITOR = "VISITOR"
    NONE = "NONE"


class Credential(enum.Enum):
    SECONDARY = "SECONDARY"
    CERTIFICATE = "CERTIFICATE"
    DIPLOMA = "DIPLOMA"
    ADVANCED_DIPLOMA = "ADVANCED_DIPLOMA"
    POST_GRADUATE_CERTIFICATE = "POST_GRADUATE_CERTIFICATE"
    BACHELOR = "BACHELOR"
    MASTER = "MASTER"
    DOCTORAL = "DOCTORAL"
    PROFESSIONAL_DEGREE = "PROFESSIONAL_DEGREE"

    @property
    def is_degree(self) -> bool:
        """Bachelor's, master's, doctoral or professional degree (the PGWP field-of-study exemption)."""
        return self in _DEGREES


_DEGREES = frozenset({Credential.BACHELOR, Credential.MASTER, Credential.DOCTORAL, Credential.PROFESSIONAL_DEGREE})


class InstitutionKind(enum.Enum):
    UNIVERSITY = "UNIVERSITY"
    COLLEGE = "COLLEGE"
    OTHER = "OTHER"


class LanguageTestKind(enum.Enum):
    IELTS_GENERAL = "IELTS_GENERAL"
    CELPIP_GENERAL = "CELPIP_GENERAL"
    PTE_CORE = "PTE_CORE"
    TEF_CANADA = "TEF_CANADA"
    TCF_CANADA = "TCF_CANADA"

    @property
    def is_french(self) -> bool:
        return self in (LanguageTestKind.TEF_CANADA, LanguageTestKind.TCF_CANADA)


class CanadianStatus(enum.Enum):
    """A partner who is Canadian: a citizen or a permanent resident (who needs no permit and may sponsor)."""

    CITIZEN = "CITIZEN"
    PERMANENT_RESIDENT = "PERMANENT_RESIDENT"


class PlanStatus(enum.Enum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    NO_SOLUTION = "NO_SOLUTION"


class ObjectiveTerm(enum.Enum):
    PR_READY = "PR_READY"
    STATUS_CONTINUITY = "STATUS_CONTINUITY"
    WORK_CONTINUITY = "WORK_CONTINUITY"
    COST = "COST"
    FEWEST_APPLICATIONS = "FEWEST_APPLICATIONS"


DEFAULT_OBJECTIVE: tuple[ObjectiveTerm, ...] = (
    ObjectiveTerm.PR_READY,
    ObjectiveTerm.STATUS_CONTINUITY,
    ObjectiveTerm.WORK_CONTINUITY,
    ObjectiveTerm.COST,
    ObjectiveTerm.FEWEST_APPLICATIONS,
)


# --- the scenario -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Status held on the scenario's `as_of` date."""

    kind: StatusKind
    valid_to: dt.date
    permit_code: str | None = None
    employer_specific: bool = False


@dataclass(frozen=True)
class HeldPermit:
    code: str
    valid_from: dt.date
    valid_to: dt.date


@dataclass(frozen=True)
class Education:
    credential: Credential
    institution: InstitutionKind
    canadian: bool
    start: dt.date
    completion: dt.date
    pgwp_eligible_dli: bool = False
    field_of_study_eligible: bool = True
    full_time: bool = True
    length_months: int | None = None
    study_permit_applied_on: dt.date | None = None


@dataclass(frozen=True)
class LanguageTest:
    """Results as CLB/NCLC levels (1-12) per ability."""

    test: LanguageTestKind
    taken: dt.date
    listening: int
    reading: int
    writing: int
    speaking: int

    @property
    def lowest(self) -> int:
        """The lowest of the four abilities: every CLB threshold applies to all four."""
        return min(self.listening, self.reading, self.writing, self.speaking)


@dataclass(frozen=True)
class WorkPeriod:
    noc_code: str
    start: dt.date
    hours_per_week: float
    in_canada: bool
    end: dt.date | None = None
    self_employed: bool = False
    while_full_time_student: bool = False
    authorized: bool = True


@dataclass(frozen=True)
class Nomination:
    province: str
    nominated_on: dt.date
    employer_restricted: bool = False


@dataclass(frozen=True)
class PendingApplication:
    """An application filed and not yet decided on as_of: a fact the plan starts from, never a decision it
    remakes. `code` is an exemption code or TFWP; `offer_ref` names the offer an employer-specific one is for."""

    code: str
    applied_on: dt.date
    inside_canada: bool = True
    with_restoration: bool = False
    offer_ref: str | None = None


@dataclass(frozen=True)
class PrApplication:
    """A permanent-residence application already submitted (program e.g. CEC, FSW, PNP, SPOUSAL); `aor_on` is
    the acknowledgement of receipt, None while not yet received."""

    program: str
    submitted_on: dt.date
    aor_on: dt.date | None = None


@dataclass(frozen=True)
class Child:
    """A dependent child of the household."""

    birth_date: dt.date
    citizenships: tuple[str, ...]
    in_canada: bool


@dataclass(frozen=True)
class Person:
    birth_date: dt.date
    citizenships: tuple[str, ...]
    in_canada: bool
    passport_expiry: dt.date | None = None
    status: Status | None = None
    permit_history: tuple[HeldPermit, ...] = ()
    education: tuple[Education, ...] = ()
    language_tests: tuple[LanguageTest, ...] = ()
    work_history: tuple[WorkPeriod, ...] = ()
    provincial_nomination: Nomination | None = None
    pending_applications: tuple[PendingApplication, ...] = ()
    pr_application: PrApplication | None = None
    # The day biometrics were last given (they serve FEES.biometrics validity years); None if never.
    biometrics_given_on: dt.date | None = None
    # The day of the last immigration medical exam (valid MEDICAL.validity months); None when none is on file.
    medical_exam_on: dt.date | None = None
    # A Canadian partner (no permit needed; may sponsor); None for a foreign national.
    canadian_status: CanadianStatus | None = None


@dataclass(frozen=True)
class Offer:
    ref: str
    holder: Role
    noc_code: str
    province: str
    hours_per_week: float
    earliest_start: dt.date
    latest_start: dt.date | None = None
    months: int | None = None
    lmia_exempt_code: str | None = None
    lmia_approved: bool = False
    # The day the employer applied for the LMIA; with lmia_approved False the LMIA is pending.
    lmia_applied_on: dt.date | None = None


class PinKind(enum.Enum):
    """What a consultant's pin fixes before the planner re-plans around it."""

    APPLY = "APPLY"  # the member applies for `code` (on a day from apply_from to apply_to when given)
    TAKE_OFFER = "TAKE_OFFER"  # the member holds the job of offer `offer_ref`
    LEAD_PR = "LEAD_PR"  # the member is the PR applicant (under `program` when given)
    EXCLUDE = "EXCLUDE"  # the member never applies for `code` (a pending application stays the fact it is)


@dataclass(frozen=True)
class Pin:
    """A decision the consultant fixed ("apply for C43 on 2026-07-01", "take offer o2", "the spouse leads PR");
    the plan holds it or says which rule keeps it from holding (`Plan.pins`)."""

    kind: PinKind
    person: Role
    code: str | None = None
    apply_from: dt.date | None = None
    apply_to: dt.date | None = None
    offer_ref: str | None = None
    program: str | None = None


@dataclass(frozen=True)
class Scenario:
    as_of: dt.date
    principal: Person
    spouse: Person | None = None
    offers: tuple[Offer, ...] = ()
    horizon_months: int = 60
    children: tuple[Child, ...] = ()
    # The consultant's pinned decisions, planned around (solver/model/constraints/pins.py).
    pins: tuple[Pin, ...] = ()

    def person(self, role: Role) -> Person | None:
        """The household member in `role`, or None when the household has no spouse."""
        return self.principal if role is Role.PRINCIPAL else self.spouse

    @property
    def members(self) -> tuple[tuple[Role, Person], ...]:
        """(role, person) for each member present."""
        out: list[tuple[Role, Person]] = [(Role.PRINCIPAL, self.principal)]
        if self.spouse is not None:
            out.append((Role.SPOUSE, self.spouse))
        return tuple(out)


@dataclass(frozen=True)
class ProcessingTime:
    """A processing time that replaces PROCESSING.*'s for one category: a firm's own figures (stored per firm) or
    a request's what-if. `p50_days` is the expected figure, `p90_days` the slow one (nine in ten decided by then).

    `country` (ISO 3166-1 alpha-2) narrows it to applications from outside Canada by a citizen of that country;
    `effective_from` to applications filed on or after that day. The most specific one that applies wins
    (solver/rules/processing.py).
    """

    code: str
    inside_canada: bool
    p50_days: int
    p90_days: int
    country: str | None = None
    effective_from: dt.date | None = None


@dataclass(frozen=True)
class PlanOptions:
    # A wall-clock bound on the whole plan() call, model building and blockers included (solver/solve.py).
    time_limit_ms: int = 2000
    objective: tuple[ObjectiveTerm, ...] = DEFAULT_OBJECTIVE
    rules_as_of: dt.date | None = None
    ita_wait_days: int = 30
    # Processing times replacing the rules' (the firm's first, then the request's: a later one wins a tie).
    processing: tuple[ProcessingTime, ...] = ()


# A field the solver's callers read but the contract's JSON leaves out (solver.scenario_json.to_json). A phrase
# is its text in another form: it takes no part in equality, so a plan equals one written with the text alone.
OFF_CONTRACT: Final = {"contract": False}


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A reason, citing the rule it comes from."""

    rule_id: str
    message: str
    source: str | None = None
    # The date the version of the rule applied took effect (solver.citing fills it with `source`).
    effective: dt.date | None = None
    # `message` as a key and arguments, for a reader in another language (None: a sentence not yet keyed).
    phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


@dataclass(frozen=True)
class ClosedRoute:
    """A category the catalog says `person` could plausibly use and the plan leaves out: why, and what would
    open it (`fix`, by `fix_by` where the change has a last useful day)."""

    person: Role
    code: str
    name: str
    reasons: tuple[Finding, ...]
    fix: str | None = None
    fix_by: dt.date | None = None
    offer_ref: str | None = None
    # True when the route was open and the optimizer did without it (`reasons` then says so), not closed by a rule.
    open: bool = False
    # `fix` as a key and arguments (solver/phrases.py); None for a sentence not yet keyed.
    fix_phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


@dataclass(frozen=True)
class PlannedPermit:
    person: Role
    code: str
    name: str
    open: bool
    apply_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    # What the client pays the government for this application: processing, the open-permit holder fee,
    # a participation fee, and biometrics when due (`biometrics_fee`, included here).
    fee: float
    offer_ref: str | None = None
    biometrics_fee: float = 0.0
    # What the employer pays for it (the compliance fee or the LMIA fee); not in `fee`.
    employer_fee: float = 0.0


@dataclass(frozen=True)
class PlannedJob:
    person: Role
    noc_code: str
    start: dt.date
    end: dt.date | None
    offer_ref: str | None = None


@dataclass(frozen=True)
class PlanStep:
    date: dt.date
    person: Role
    action: str
    detail: str
    code: str | None = None
    rule_ids: tuple[str, ...] = ()
    # `detail` as a key and arguments (solver/phrases.py); None for a sentence not yet keyed.
    phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


@dataclass(frozen=True)
class StatusGap:
    """A period in which a person in Canada has no status, or no authorization to work."""

    person: Role
    start: dt.date
    end: dt.date
    work_authorized: bool


class DeadlineKind(enum.Enum):
    """What a plan's deadline is the last day for."""

    APPLY_TO_KEEP_STATUS = "APPLY_TO_KEEP_STATUS"
    RESTORATION_ENDS = "RESTORATION_ENDS"
    WINDOW_CLOSES = "WINDOW_CLOSES"
    TEST_EXPIRES = "TEST_EXPIRES"
    ITA_ACCEPTANCE = "ITA_ACCEPTANCE"


@dataclass(frozen=True)
class Deadline:
    """A last day the plan depends on (inclusive), the rule that sets it and the step it belongs to.

    The step is named by its date, action and code (`step_*`, all None when no step of the plan acts on it,
    e.g. a status that lapses with no application after it).
    """

    person: Role
    kind: DeadlineKind
    date: dt.date
    rule_id: str
    message: str
    step_date: dt.date | None = None
    step_action: str | None = None
    step_code: str | None = None
    # `message` as a key and arguments (solver/phrases.py); None for a sentence not yet keyed.
    phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


class ProcessingBasis(enum.Enum):
    """The processing figure a plan's permit dates are computed with."""

    P50 = "P50"
    P90 = "P90"


@dataclass(frozen=True)
class ExposureGap:
    """Days a person would spend without status, or without work, if processing took the figure of its outcome."""

    person: Role
    days_without_status: int
    days_without_work: int
    # The permits whose processing sets the day the gap closes (their codes, in plan order).
    driven_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class LostPermit:
    """A permit of the plan that a processing figure issues too late to be of use (e.g. after the permit it
    rests on has ended)."""

    person: Role
    code: str


@dataclass(frozen=True)
class ProcessingOutcome:
    """The plan's applications, filed on the plan's days, decided after `basis` processing days."""

    basis: ProcessingBasis
    pr_ready_date: dt.date | None
    gaps: tuple[ExposureGap, ...] = ()
    lost_permits: tuple[LostPermit, ...] = ()


@dataclass(frozen=True)
class Robustness:
    """What the plan becomes if processing takes the expected figure (p50) or the slow one (p90).

    `basis` is the figure the plan's dates use: P50, unless a gap would open only at the slow figure, in which case
    the plan was made at P90 (filing early enough that a slow decision leaves no gap; docs/plan-semantics.md).
    """

    basis: ProcessingBasis
    expected: ProcessingOutcome
    slow: ProcessingOutcome


@dataclass(frozen=True)
class PinOutcome:
    """What became of a pin: held, with the plan's step it fixed (`step_*`, None for a pin that fixes no dated
    step, such as an exclusion), or not held, with the finding that says which rule keeps it from holding (the
    plan is then made without it, and the finding is among the plan's blockers too)."""

    pin: Pin
    held: bool
    step_date: dt.date | None = None
    step_action: str | None = None
    step_code: str | None = None
    reason: Finding | None = None


@dataclass(frozen=True)
class Plan:
    status: PlanStatus
    rules_version: str
    solve_ms: float
    pr_ready_date: dt.date | None = None
    crs_score: int | None = None
    pr_program: str | None = None
    pr_applicant: Role | None = None
    permits: tuple[PlannedPermit, ...] = ()
    jobs: tuple[PlannedJob, ...] = ()
    steps: tuple[PlanStep, ...] = ()
    status_gaps: tuple[StatusGap, ...] = ()
    # What the client pays the government: fees_permits + fees_biometrics + fees_pr. The employer's fees
    # (fees_employer) are apart, never in the total.
    fees_total: float = 0.0
    blockers: tuple[Finding, ...] = ()
    explanation: tuple[Finding, ...] = ()
    objective_values: dict[str, int] = field(default_factory=dict)
    deadlines: tuple[Deadline, ...] = ()
    closed_routes: tuple[ClosedRoute, ...] = ()
    # The split of fees_total (permits without biometrics, biometrics when due, PR fees) and the employer's.
    fees_permits: float = 0.0
    fees_biometrics: float = 0.0
    fees_pr: float = 0.0
    fees_employer: float = 0.0
    # Each of the scenario's pins, in order: held (and the step it fixed) or not (and why).
    pins: tuple[PinOutcome, ...] = ()
    # The plan at the expected and the slow processing figures (None for a plan without one, e.g. NO_SOLUTION).
    robustness: Robustness | None = None


@dataclass(frozen=True)
class FieldError:
    """One invalid input: `path` names the field (e.g. `offers[0].hoursPerWeek`)."""

    path: str
    message: str


@dataclass(frozen=True)
class InvalidScenario:
    errors: tuple[FieldError, ...]
