"""planScenario: the contract's stateless planning query, its inputs and the Plan it returns.

The inputs carry the domain's field names, so they become `solver.domain` values directly
(`solver.assemble`), and then pass the same check as a scenario file (`solver.scenario_json.checked`): a GraphQL
input, a CLI file and a stored household are checked alike; invalid facts come back as `InvalidScenario`
naming each field. Solving is CPU-bound: it goes through the service's plan backend (its
cache and solve runner) when the context's services have one, else a worker thread, never the event loop.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from schema.enums import (
    CanadianStatusEnum,
    CredentialEnum,
    InstitutionKindEnum,
    LanguageTestKindEnum,
    Person,
    PinKindEnum,
    PrProgram,
    StatusKindEnum,
    StepAction,
    kind_of,
)
from schema.errors import FieldError
from schema.money import Money
from schema.rules import described
from schema.services import Services, capped, plan, services_of
from schema.wording import Lang, worded
from solver import domain
from solver.assemble import NullFields, assemble, null_message
from solver.documents import StepDocument, step_documents
from solver.phrases import Phrase
from solver.rules.registry import load_rules
from solver.scenario_json import checked, read_options

PlanStatusEnum = strawberry.enum(domain.PlanStatus, name="PlanStatus")

ObjectiveTermEnum = strawberry.enum(domain.ObjectiveTerm, name="ObjectiveTerm")
DeadlineKindEnum = strawberry.enum(
    domain.DeadlineKind,
    name="DeadlineKind",
    description="What a deadline is the last day for: applying while in status (to keep it), applying for "
    "restoration, a PGWP application window, a language test's validity, answering an Express Entry invitation.",
)


F = TypeVar("F", bound=Callable[..., Any])


def _deprecated(reason: str) -> Callable[[F], F]:
    """`strawberry.field(deprecation_reason=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.field(deprecation_reason=reason))


# What each kind of deadline asks of the person, as the contract's `Deadline.what` says it. WINDOW_CLOSES is
# the PGWP application window (solver/deadlines.py sets it from C43.application_window only).
DEADLINE_WHAT: dict[domain.DeadlineKind, str] = {
    domain.DeadlineKind.APPLY_TO_KEEP_STATUS: "apply to keep status",
    domain.DeadlineKind.RESTORATION_ENDS: "restoration window closes",
    domain.DeadlineKind.WINDOW_CLOSES: "PGWP window closes",
    domain.DeadlineKind.TEST_EXPIRES: "language test expires",
    domain.DeadlineKind.ITA_ACCEPTANCE: "accept the invitation",
}


@strawberry.input(description="The status a person holds on asOf.")
class StatusInput:
    kind: StatusKindEnum  # type: ignore[valid-type]
    valid_to: dt.date
    permit_code: str | None = strawberry.field(
        default=None,
        description="Exemption code of the permit held, e.g. C43 for a PGWP holder; "
        "null for a study permit or visitor.",
    )
    employer_specific: bool | None = strawberry.field(
        default=False, description="true when the work permit names one employer"
    )


@strawberry.input(description="A permit held before or now (e.g. an earlier PGWP: a PGWP is once in a lifetime).")
class HeldPermitInput:
    code: str
    valid_from: dt.date
    valid_to: dt.date


@strawberry.input(description="A program of study, completed or under way.")
class EducationInput:
    credential: CredentialEnum  # type: ignore[valid-type]
    institution: InstitutionKindEnum  # type: ignore[valid-type]
    canadian: bool
    start: dt.date
    completion: dt.date = strawberry.field(
        description="Date of written confirmation of completion (expected, if in the future)"
    )
    pgwp_eligible_dli: bool | None = strawberry.field(
        default=False, description="Program at a PGWP-eligible designated learning institution"
    )
    field_of_study_eligible: bool | None = strawberry.field(
        default=True, description="Field of study on IRCC's list (only matters where the field-of-study rule applies)"
    )
    full_time: bool | None = True
    length_months: int | None = strawberry.field(
        default=None, description="Program length in months; derived from start and completion when absent"
    )
    study_permit_applied_on: dt.date | None = None


@strawberry.input(description="Results as CLB/NCLC levels (1-12) per ability.")
class LanguageTestInput:
    test: LanguageTestKindEnum  # type: ignore[valid-type]
    taken: dt.date
    listening: int
    reading: int
    writing: int
    speaking: int


@strawberry.input(description="A period of work, in Canada or abroad.")
class WorkInput:
    noc_code: str = strawberry.field(description="5-digit NOC 2021 code")
    start: dt.date
    hours_per_week: float
    in_canada: bool
    end: dt.date | None = strawberry.field(default=None, description="null while ongoing")
    self_employed: bool | None = False
    while_full_time_student: bool | None = False
    authorized: bool | None = True


@strawberry.input(description="A provincial nomination (PNP).")
class NominationInput:
    province: str
    nominated_on: dt.date
    employer_restricted: bool | None = False


@strawberry.input(description="An application filed and not yet decided on asOf: the plan starts from it.")
class PendingApplicationInput:
    code: str = strawberry.field(description="Category applied for: an exemption code (C43, A75, ...) or TFWP")
    applied_on: dt.date
    inside_canada: bool | None = strawberry.field(
        default=True, description="false for an application processed outside Canada (e.g. under R197)"
    )
    with_restoration: bool | None = strawberry.field(
        default=False, description="true when filed together with a request to restore status"
    )
    offer_ref: str | None = strawberry.field(default=None, description="the offer it is for, when employer-specific")


@strawberry.input(description="A permanent-residence application already submitted.")
class PrApplicationInput:
    program: str = strawberry.field(description="e.g. CEC, FSW, PNP, SPOUSAL")
    submitted_on: dt.date
    aor_on: dt.date | None = strawberry.field(
        default=None,
        description="acknowledgement of receipt after the completeness check; null while not yet received",
    )


@strawberry.input(description="A dependent child of the household.")
class ChildInput:
    birth_date: dt.date
    citizenships: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes")
    in_canada: bool


@strawberry.input(
    description="A member of the household on asOf: identity, status, history, studies, tests, work and applications "
    "(the facts the rules read)."
)
class PersonInput:
    birth_date: dt.date
    citizenships: list[str] = strawberry.field(description="ISO 3166-1 alpha-2 codes")
    in_canada: bool
    passport_expiry: dt.date | None = None
    status: StatusInput | None = strawberry.field(default=None, description="Status held on asOf; null means none.")
    permit_history: list[HeldPermitInput] | None = strawberry.field(
        default_factory=list,
        description="Permits held before or now, e.g. an earlier PGWP (a PGWP is once in a lifetime).",
    )
    education: list[EducationInput] | None = strawberry.field(default_factory=list)
    language_tests: list[LanguageTestInput] | None = strawberry.field(default_factory=list)
    work_history: list[WorkInput] | None = strawberry.field(default_factory=list)
    provincial_nomination: NominationInput | None = None
    pending_applications: list[PendingApplicationInput] | None = strawberry.field(
        default_factory=list,
        description="Applications filed and not yet decided on asOf; the plan starts from them and never remakes them.",
    )
    pr_application: PrApplicationInput | None = strawberry.field(
        default=None, description="A permanent-residence application already submitted, if any."
    )
    biometrics_given_on: dt.date | None = strawberry.field(
        default=None, description="The day biometrics were last given (they serve 10 years); null if never."
    )
    medical_exam_on: dt.date | None = strawberry.field(
        default=None, description="The day of the last immigration medical exam (valid 12 months); null if none."
    )
    canadian_status: CanadianStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="CITIZEN or PERMANENT_RESIDENT for a Canadian partner (e.g. a sponsoring spouse); null for a "
        "foreign national.",
    )


@strawberry.input(
    description="A job offered to a member: the employer's NOC, place, hours and the LMIA it rests on (or the "
    "exemption code)."
)
class OfferInput:
    ref: str
    holder: Person  # type: ignore[valid-type]
    noc_code: str
    province: str = strawberry.field(description="two-letter province or territory code, e.g. ON, QC")
    hours_per_week: float
    earliest_start: dt.date
    latest_start: dt.date | None = None
    months: int | None = strawberry.field(default=None, description="null means indefinite")
    lmia_exempt_code: str | None = strawberry.field(
        default=None,
        description="LMIA-exempt code the employer offers under (e.g. C10, C16, C63, T36, T13); "
        "null means an LMIA is needed",
    )
    lmia_approved: bool | None = False
    lmia_applied_on: dt.date | None = strawberry.field(
        default=None,
        description="the day the employer applied for the LMIA, if it has; with lmiaApproved false the LMIA is pending",
    )


@strawberry.input(
    description='A decision the consultant fixed before planning ("apply for C43 on 2026-07-01", "take offer o2", '
    '"the spouse leads PR", "do not use C10"): the plan holds it, or Plan.pins says which rule keeps it from '
    "holding. Each kind reads its own fields (see PinKind) and refuses the others."
)
class PinInput:
    kind: PinKindEnum  # type: ignore[valid-type]
    person: Person  # type: ignore[valid-type]
    code: str | None = strawberry.field(
        default=None, description="APPLY, EXCLUDE: the category, an exemption code (C43, A75, ...) or TFWP."
    )
    apply_from: dt.date | None = strawberry.field(
        default=None, description="APPLY: the first day the application may be filed (from asOf when null)."
    )
    apply_to: dt.date | None = strawberry.field(
        default=None,
        description="APPLY: the last day it may be filed (to the horizon when null); equal to applyFrom for one day.",
    )
    offer_ref: str | None = strawberry.field(
        default=None, description="TAKE_OFFER: the offer's ref (the member's own)."
    )
    program: str | None = strawberry.field(
        default=None, description="LEAD_PR: CEC or PNP; null lets the planner choose the program."
    )


@strawberry.input(description="A household's situation on a date: everything the planner needs, nothing stored.")
class ScenarioInput:
    as_of: dt.date
    principal: PersonInput
    horizon_months: int | None = 60
    spouse: PersonInput | None = None
    offers: list[OfferInput] | None = strawberry.field(default_factory=list)
    children: list[ChildInput] | None = strawberry.field(
        default_factory=list, description="Dependent children (fees, and the rules where children matter)"
    )
    pins: list[PinInput] | None = strawberry.field(
        default_factory=list,
        description="The consultant's pinned decisions, planned around; Plan.pins says what became of each.",
    )

    def to_domain(self) -> domain.Scenario:
        """The planner's scenario: every field as given (`NullFields` for a null where the input has a default)."""
        return assemble(domain.Scenario, self)


@strawberry.input(
    description="A processing time replacing the rules' (PROCESSING.inside_canada / outside_canada) for one category "
    "in this request: a what-if. It wins over the firm's own figures (setProcessingTime) and the rules'."
)
class ProcessingTimeInput:
    code: str = strawberry.field(description="The permit category code, e.g. C43, A75, TFWP (as PermitCategory.code).")
    inside_canada: bool = strawberry.field(
        description="True for applications made inside Canada, false for those processed outside Canada."
    )
    p50_days: int = strawberry.field(description="Expected processing days (half of applications decided by then).")
    p90_days: int = strawberry.field(
        description="Slow processing days (nine in ten decided by then), at least p50Days: the plan is made so that "
        "no status or work gap opens if processing takes this long, where it can be."
    )
    country: str | None = strawberry.field(
        default=None,
        description="ISO 3166-1 alpha-2: only for applications from outside Canada by a citizen of this country.",
    )
    effective_from: dt.date | None = strawberry.field(
        default=None, description="Only for applications filed on or after this day (any day when null)."
    )

    def to_domain(self) -> domain.ProcessingTime:
        """The planner's override, as given (solver.scenario_json.processing_errors checks it)."""
        return domain.ProcessingTime(
            self.code, self.inside_canada, self.p50_days, self.p90_days, self.country, self.effective_from
        )


@strawberry.input(
    description="How to plan: the time limit, the objective's order, a what-if rules date, the wait assumed for an "
    "invitation, processing times for a what-if."
)
class PlanOptionsInput:
    time_limit_ms: int | None = strawberry.field(
        default=2000,
        description="Wall-clock bound on the whole solve (model building, search, blockers), in ms, capped by the "
        "service (10,000 by default). Measured: the solve ends within the limit plus 0.15 s (the queue wait "
        "excluded). A search stopped by it returns its best plan as FEASIBLE, NO_SOLUTION if it found none; blockers "
        "the limit left no time for are missing.",
    )
    objective: list[ObjectiveTermEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Lexicographic priorities; default PR_READY, STATUS_CONTINUITY, WORK_CONTINUITY, COST",
    )
    rules_as_of: dt.date | None = strawberry.field(
        default=None,
        description="What-if: apply the rules in force on this date to every step. Default: each step under the "
        "rules in force on its own date.",
    )
    ita_wait_days: int | None = strawberry.field(
        default=30,
        description="Days assumed from entering the Express Entry pool to an invitation, to date what follows it "
        "(PR application, BOWP, C49)",
    )
    processing: list[ProcessingTimeInput] | None = strawberry.field(
        default_factory=list,
        description="What-if processing times (expected and slow) replacing the firm's and the rules' for the "
        "categories named; Plan.robustness shows the plan at both figures.",
    )

    def read(self, *, cite_time_limit: bool = True) -> tuple[domain.PlanOptions, list[domain.FieldError]]:
        """The planner's options and what is wrong with them (`solver.scenario_json.read_options`); an explicit
        null for a setting that has a default is an error, as in a scenario file."""
        terms = list(self.objective) if self.objective else []
        options, errors = read_options(
            self.time_limit_ms,
            self.ita_wait_days,
            self.rules_as_of,
            terms,
            cite_time_limit=cite_time_limit,
            processing=[t.to_domain() for t in self.processing or []],
        )
        nulls = [
            domain.FieldError(f"options.{name}", null_message(default))
            for name, value, default in (
                ("timeLimitMs", self.time_limit_ms, domain.PlanOptions.time_limit_ms),
                ("itaWaitDays", self.ita_wait_days, domain.PlanOptions.ita_wait_days),
            )
            if value is None
        ]
        return options, nulls + errors


# --- the plan -----------------------------------------------------------------------------------


@strawberry.type(
    description="A permit the plan applies for (or one already applied for): when to apply, its validity and its fees "
    "in Canadian dollars."
)
class PlannedPermit:
    person: Person  # type: ignore[valid-type]
    code: str
    name: str
    open: bool
    apply_on: dt.date
    valid_from: dt.date
    valid_to: dt.date
    offer_ref: str | None
    fee: float = strawberry.field(
        description="What the client pays the government for this application: processing, the open-permit "
        "holder fee, a participation fee, and biometrics when due (biometricsFee, included)."
    )
    biometrics_fee: float = strawberry.field(
        default=0.0, description="The biometrics fee paid with this application (0 while earlier ones serve)."
    )
    employer_fee: float = strawberry.field(
        default=0.0, description="What the employer pays for it (compliance or LMIA fee); not in fee."
    )

    @described("`fee` as exact money (CAD): what the client pays the government for this application.")
    def fee_money(self) -> Money:
        return Money.cad(self.fee)

    @described("`biometricsFee` as exact money (CAD).")
    def biometrics_fee_money(self) -> Money:
        return Money.cad(self.biometrics_fee)

    @described("`employerFee` as exact money (CAD): the employer's, not in fee.")
    def employer_fee_money(self) -> Money:
        return Money.cad(self.employer_fee)


@strawberry.type(description="A job the plan has a person hold, from an offer or already held.")
class PlannedJob:
    person: Person  # type: ignore[valid-type]
    offer_ref: str | None
    noc_code: str
    start: dt.date
    end: dt.date | None


@strawberry.type(
    name="StepDocument",
    description="A document an application needs (from the catalog), with its expiry when the client file records "
    "one (passport, language test).",
)
class StepDocumentType:
    name: str = strawberry.field(description="The document, as the catalog names it.")
    expires_on: dt.date | None = strawberry.field(
        description="Its last valid day as the file shows it; null when it does not expire or the file is silent."
    )
    expires_before_decision: bool = strawberry.field(
        description="Whether it expires before the decision the plan expects (the permit's start): renew it first."
    )

    @classmethod
    def of(cls, d: StepDocument) -> StepDocumentType:
        return cls(name=d.name, expires_on=d.expires_on, expires_before_decision=d.expires_before_decision)


class PlanReading:
    """A solver plan with its scenario, read lazily for the fields that need both (documents, the timeline)."""

    def __init__(self, plan: domain.Plan, scenario: domain.Scenario | None) -> None:
        self.plan = plan
        self.scenario = scenario
        self._documents: tuple[tuple[StepDocument, ...], ...] | None = None

    def documents(self, index: int) -> list[StepDocumentType]:
        """The documents of step `index`, computed for every step on first use."""
        if self.scenario is None:
            return []
        if self._documents is None:
            self._documents = step_documents(self.scenario, self.plan, load_rules())
        return [StepDocumentType.of(d) for d in self._documents[index]]


@strawberry.type(
    description="One thing to do on a day (apply for a permit, start a job, create the Express Entry profile, submit "
    "PR, ...), with the rule ids it rests on. Steps are in date order."
)
class PlanStep:
    date: dt.date
    person: Person  # type: ignore[valid-type]
    action: str
    code: str | None

    @described("The step in words, for a person to read, in the reader's language.")
    async def detail(self, info: Info[Any, Any], lang: Lang = None) -> str:
        return await worded(info, self.phrase, self.text, lang)

    rule_ids: list[str]
    text: strawberry.Private[str]
    reading: strawberry.Private[PlanReading | None] = None
    index: strawberry.Private[int] = 0
    phrase: strawberry.Private[Phrase | None] = None

    @described(
        "The documents this application needs (the catalog's), each flagged when the client file shows it expires "
        "before the decision; empty for a step that files nothing, or a plan without its scenario."
    )
    def documents(self) -> list[StepDocumentType]:
        return self.reading.documents(self.index) if self.reading is not None else []

    @described(
        "`action` as an enum; null for an action this version of the API does not know (a plan stored by "
        "another release)."
    )
    def action_kind(self) -> StepAction | None:
        return kind_of(StepAction, self.action)


@strawberry.type(description="A period in which a person in Canada has no status, or no authorization to work.")
class StatusGap:
    person: Person  # type: ignore[valid-type]
    start: dt.date
    end: dt.date
    work_authorized: bool


@strawberry.type(
    description="The plan's fees: total is what the client pays the government (permits + biometrics + pr); "
    "the employer's fees are apart."
)
class Fees:
    total: float
    permits: float = strawberry.field(default=0.0, description="Work-permit fees, biometrics aside.")
    biometrics: float = strawberry.field(
        default=0.0, description="Biometrics, only when none given in the last 10 years serve."
    )
    pr: float = strawberry.field(
        default=0.0,
        description="PR fees: processing and right of PR fee for the applicant and an accompanying spouse, "
        "and the dependent-child fee per child.",
    )
    employer: float = strawberry.field(default=0.0, description="The employer's fees (compliance, LMIA); not in total.")

    @described("`total` as exact money (CAD): what the client pays the government.")
    def total_money(self) -> Money:
        return Money.cad(self.total)

    @described("`permits` as exact money (CAD).")
    def permits_money(self) -> Money:
        return Money.cad(self.permits)

    @described("`biometrics` as exact money (CAD).")
    def biometrics_money(self) -> Money:
        return Money.cad(self.biometrics)

    @described("`pr` as exact money (CAD).")
    def pr_money(self) -> Money:
        return Money.cad(self.pr)

    @described("`employer` as exact money (CAD): the employer's fees, not in total.")
    def employer_money(self) -> Money:
        return Money.cad(self.employer)


@strawberry.type(
    description="A reason, citing the rule: ruleId starts with the code or program it belongs to "
    "(C43., C41., A75., CEC., STATUS., PASSPORT.)."
)
class Finding:
    rule_id: str

    @described("The finding in words, in the reader's language.")
    async def message(self, info: Info[Any, Any], lang: Lang = None) -> str:
        return await worded(info, self.phrase, self.text, lang)

    source: str | None
    text: strawberry.Private[str]
    effective_from: dt.date | None = strawberry.field(
        default=None, description="The day the cited version of the rule took effect (null for a PLAN. id)."
    )
    phrase: strawberry.Private[Phrase | None] = None

    @_deprecated("Use effectiveFrom (the contract's name since December 2026).")
    def effective(self) -> dt.date | None:
        """The same day as effectiveFrom, under the name clients stored before December 2026."""
        return self.effective_from

    @classmethod
    def of(cls, f: domain.Finding) -> Finding:
        """The GraphQL form of a solver finding."""
        return cls(rule_id=f.rule_id, text=f.message, source=f.source, effective_from=f.effective, phrase=f.phrase)


@strawberry.type(
    description="A route the catalog says the person could plausibly use and the plan leaves out: the rules that "
    "close it (or why it was not needed), and the smallest change that would open it."
)
class ClosedRoute:
    person: Person  # type: ignore[valid-type]
    code: str
    name: str
    offer_ref: str | None = strawberry.field(description="The offer the route rests on (offer-based codes).")
    reasons: list[Finding]

    @described("The smallest change that would open it, in the reader's language; null when none would.")
    async def fix(self, info: Info[Any, Any], lang: Lang = None) -> str | None:
        return None if self.fix_text is None else await worded(info, self.fix_phrase, self.fix_text, lang)

    fix_by: dt.date | None = strawberry.field(description="The last day the fix helps; null when it has none.")
    fix_text: strawberry.Private[str | None] = None
    fix_phrase: strawberry.Private[Phrase | None] = None

    @classmethod
    def of(cls, r: domain.ClosedRoute) -> ClosedRoute:
        """The GraphQL form of a closed route."""
        return cls(
            person=r.person,
            code=r.code,
            name=r.name,
            offer_ref=r.offer_ref,
            reasons=[Finding.of(f) for f in r.reasons],
            fix_text=r.fix,
            fix_by=r.fix_by,
            fix_phrase=r.fix_phrase,
        )


@strawberry.type(
    description="A last day (inclusive) the plan depends on, the rule that sets it, and the step it belongs to "
    "(stepDate, stepAction, stepCode name that step of Plan.steps; null when no step acts on it, e.g. a status that "
    "lapses with nothing filed after it)."
)
class Deadline:
    person: Person  # type: ignore[valid-type]
    kind: DeadlineKindEnum  # type: ignore[valid-type]

    @described(
        "what is due, e.g. apply to keep status, restoration window closes, PGWP window closes, language test "
        "expires, accept the invitation"
    )
    def what(self) -> str:
        """The kind as the phrase a client shows (the contract's `what`)."""
        return DEADLINE_WHAT[self.kind]

    date: dt.date
    rule_id: str

    @described("The deadline in words, in the reader's language.")
    async def message(self, info: Info[Any, Any], lang: Lang = None) -> str:
        return await worded(info, self.phrase, self.text, lang)

    step_date: dt.date | None
    step_action: str | None
    step_code: str | None
    text: strawberry.Private[str]
    phrase: strawberry.Private[Phrase | None] = None

    @classmethod
    def of(cls, d: domain.Deadline) -> Deadline:
        """The GraphQL form of a plan's deadline."""
        return cls(
            person=d.person,
            kind=d.kind,
            date=d.date,
            rule_id=d.rule_id,
            step_date=d.step_date,
            step_action=d.step_action,
            step_code=d.step_code,
            text=d.message,
            phrase=d.phrase,
        )

    @described("`stepAction` as an enum; null when no step acts on it (or for an action this version does not know).")
    def step_action_kind(self) -> StepAction | None:
        return kind_of(StepAction, self.step_action)


@strawberry.type(description="A pin as it was given (PinInput's fields).")
class Pin:
    kind: PinKindEnum  # type: ignore[valid-type]
    person: Person  # type: ignore[valid-type]
    code: str | None = strawberry.field(description="APPLY, EXCLUDE: the category.")
    apply_from: dt.date | None = strawberry.field(description="APPLY: the first day it may be filed.")
    apply_to: dt.date | None = strawberry.field(description="APPLY: the last day it may be filed.")
    offer_ref: str | None = strawberry.field(description="TAKE_OFFER: the offer's ref.")
    program: str | None = strawberry.field(description="LEAD_PR: the PR program, when named.")


@strawberry.type(
    description="What became of a pin: held, with the step of Plan.steps it fixed (stepDate, stepAction, stepCode; "
    "null for an exclusion), or not held, with the reason citing the rule that keeps it from holding (the plan is "
    "then made without it, and the reason is among the blockers)."
)
class PinOutcome:
    pin: Pin
    held: bool
    step_date: dt.date | None
    step_action: str | None
    step_code: str | None
    reason: Finding | None = strawberry.field(description="Why the pin cannot hold; null when it holds.")

    @classmethod
    def of(cls, o: domain.PinOutcome) -> PinOutcome:
        """The GraphQL form of a pin's outcome."""
        return cls(
            pin=Pin(**dataclasses.asdict(o.pin)),
            held=o.held,
            step_date=o.step_date,
            step_action=o.step_action,
            step_code=o.step_code,
            reason=None if o.reason is None else Finding.of(o.reason),
        )


ProcessingBasisEnum = strawberry.enum(
    domain.ProcessingBasis,
    name="ProcessingBasis",
    description="A processing figure: P50 the expected one (half decided by then), P90 the slow one (nine in ten).",
)


@strawberry.type(
    description="Days a person in Canada would spend without status or without authorization to work at one "
    "processing figure (gaps that close before the plan's end), and the permits whose decision ends them."
)
class ExposureGap:
    person: Person = strawberry.field(description="Whose days these are.")  # type: ignore[valid-type]
    days_without_status: int = strawberry.field(description="Days in Canada without status.")
    days_without_work: int = strawberry.field(description="Days in Canada without authorization to work.")
    driven_by: list[str] = strawberry.field(
        description="Codes of the permits whose processing sets the day a gap closes, in plan order."
    )


@strawberry.type(description="A permit of the plan that a processing figure issues too late to be of use.")
class LostPermit:
    person: Person = strawberry.field(description="Whose permit it is.")  # type: ignore[valid-type]
    code: str = strawberry.field(description="The permit's category code.")


@strawberry.type(
    description="The plan's applications, filed on the plan's days (or as soon after as allowed), decided after "
    "one processing figure."
)
class ProcessingOutcome:
    basis: ProcessingBasisEnum = strawberry.field(  # type: ignore[valid-type]
        description="The processing figure every application is decided after."
    )
    pr_ready_date: dt.date | None = strawberry.field(description="The PR ready date at this figure; null: none.")
    gaps: list[ExposureGap] = strawberry.field(description="Per person with any: days without status or work.")
    lost_permits: list[LostPermit] = strawberry.field(description="Permits this figure issues too late to use.")

    @classmethod
    def of(cls, o: domain.ProcessingOutcome) -> ProcessingOutcome:
        """The GraphQL form of a solver outcome."""
        return cls(
            basis=o.basis,
            pr_ready_date=o.pr_ready_date,
            gaps=[
                ExposureGap(
                    person=g.person,
                    days_without_status=g.days_without_status,
                    days_without_work=g.days_without_work,
                    driven_by=list(g.driven_by),
                )
                for g in o.gaps
            ],
            lost_permits=[LostPermit(person=x.person, code=x.code) for x in o.lost_permits],
        )


@strawberry.type(
    description="What the plan becomes if processing takes the expected figure (p50) or the slow one (p90). "
    "basis is the figure the plan's dates use: P50, or P90 when a gap would open only at the slow figure and "
    "planning at it does better (every filing early enough)."
)
class Robustness:
    basis: ProcessingBasisEnum = strawberry.field(  # type: ignore[valid-type]
        description="The figure the plan's dates (permits' validFrom, the steps) use."
    )
    expected: ProcessingOutcome = strawberry.field(description="The plan at the expected figure (p50).")
    slow: ProcessingOutcome = strawberry.field(description="The plan at the slow figure (p90).")

    @classmethod
    def of(cls, r: domain.Robustness) -> Robustness:
        """The GraphQL form of a solver robustness section."""
        return cls(basis=r.basis, expected=ProcessingOutcome.of(r.expected), slow=ProcessingOutcome.of(r.slow))


@strawberry.type(
    description="A plan for the household up to PR readiness: permits to apply for (with their dates and fees), jobs, "
    "dated steps, status gaps, deadlines, and the findings that explain it, each citing a rule id. Dates "
    "are calendar days (ISO 8601); money is Canadian dollars."
)
class Plan:
    status: PlanStatusEnum  # type: ignore[valid-type]
    pr_ready_date: dt.date | None = strawberry.field(
        description="Earliest date the PR applicant meets every requirement of the PR program (for Express Entry: "
        "may enter the pool as eligible for the program); null when not reachable within the horizon. An "
        "invitation is not assured: crsScore and the findings say how likely one is; later steps assume "
        "options.itaWaitDays."
    )
    crs_score: int | None = strawberry.field(
        description="Comprehensive Ranking System score of the PR applicant on prReadyDate (Express Entry programs)"
    )
    pr_program: str | None = strawberry.field(
        description="e.g. CEC, PNP: the PR program the plan reaches readiness for (or the one applied under); null "
        "when PR is not reachable. prProgramKind is the same value as an enum."
    )
    pr_applicant: Person | None  # type: ignore[valid-type]
    permits: list[PlannedPermit]
    jobs: list[PlannedJob]
    steps: list[PlanStep]
    status_gaps: list[StatusGap]
    fees: Fees
    blockers: list[Finding] = strawberry.field(
        description="Why PR readiness is later than it could be, or unreachable, and what would change it."
    )
    explanation: list[Finding]
    rules_version: str
    solve_ms: float
    deadlines: list[Deadline] = strawberry.field(
        default_factory=list,
        description="The plan's deadlines in date order, then person: the last day to apply to keep status, the "
        "end of restoration, a PGWP window's last day, a relied-on language test's last valid day, the day an "
        "invitation must be answered by. Empty for a plan stored before deadlines were computed.",
    )
    closed_routes: list[ClosedRoute] = strawberry.field(
        default_factory=list,
        description="Each route a member could plausibly use that the plan holds no permit of, and why.",
    )
    pins: list[PinOutcome] = strawberry.field(
        default_factory=list,
        description="Each of the scenario's pins, in order: held, with the step it fixed, or not, with the rule "
        "that keeps it from holding. Empty when the scenario has no pins (or for a plan stored before pins).",
    )

    reading: strawberry.Private[PlanReading | None] = None
    robustness: Robustness | None = strawberry.field(
        default=None,
        description="The plan at the expected and the slow processing figures: PR ready date, days without status "
        "or work per person, and the permits that drive them. Null for a plan without applications, or stored "
        "before it was computed.",
    )

    @described("`prProgram` as an enum; null when PR is not reachable (or for a program this version does not know).")
    def pr_program_kind(self) -> PrProgram | None:
        return kind_of(PrProgram, self.pr_program)

    @described(
        "The plan as an SVG timeline (one lane per person: permits, jobs, gaps, deadlines, the PR ready date, "
        "today's line, a legend), drawn when selected. Null outside the service, or for a plan kept without its "
        "scenario."
    )
    def timeline_svg(
        self,
        info: Info[Any, Any],
        lang: Annotated[
            str | None, strawberry.argument(description="en or fr (another value, or null, is English).")
        ] = None,
        today: Annotated[
            dt.date | None, strawberry.argument(description="The day today's line marks; the plan's asOf when null.")
        ] = None,
    ) -> str | None:
        draw = services_of(info.context).timeline
        if draw is None or self.reading is None or self.reading.scenario is None:
            return None
        scenario = self.reading.scenario
        return draw(self.reading.plan, scenario, lang=lang, today=today or scenario.as_of)

    @classmethod
    def of(cls, p: domain.Plan, scenario: domain.Scenario | None = None) -> Plan:
        """The GraphQL form of a solver plan; with its scenario, the steps' documents and the timeline can be read."""
        reading = PlanReading(p, scenario)
        return cls(
            reading=reading,
            status=p.status,
            pr_ready_date=p.pr_ready_date,
            crs_score=p.crs_score,
            pr_program=p.pr_program,
            pr_applicant=p.pr_applicant,
            permits=[PlannedPermit(**dataclasses.asdict(x)) for x in p.permits],
            jobs=[PlannedJob(**dataclasses.asdict(x)) for x in p.jobs],
            steps=[
                PlanStep(
                    date=s.date,
                    person=s.person,
                    action=s.action,
                    code=s.code,
                    text=s.detail,
                    phrase=s.phrase,
                    rule_ids=list(s.rule_ids),
                    reading=reading,
                    index=index,
                )
                for index, s in enumerate(p.steps)
            ],
            status_gaps=[StatusGap(**dataclasses.asdict(g)) for g in p.status_gaps],
            fees=Fees(
                total=p.fees_total,
                permits=p.fees_permits,
                biometrics=p.fees_biometrics,
                pr=p.fees_pr,
                employer=p.fees_employer,
            ),
            blockers=[Finding.of(f) for f in p.blockers],
            explanation=[Finding.of(f) for f in p.explanation],
            rules_version=p.rules_version,
            solve_ms=p.solve_ms,
            deadlines=[Deadline.of(d) for d in p.deadlines],
            closed_routes=[ClosedRoute.of(r) for r in p.closed_routes],
            pins=[PinOutcome.of(o) for o in p.pins],
            robustness=None if p.robustness is None else Robustness.of(p.robustness),
        )


@strawberry.type(description="The scenario or the options are wrong: each error names its field by path.")
class InvalidScenario:
    errors: list[FieldError]

    @classmethod
    def of(cls, errors: Iterable[domain.FieldError], prefix: str | None = None) -> InvalidScenario:
        """The GraphQL form of the solver's field errors; with `prefix`, a scenario's paths under the argument that
        held it (an option's path already starts with `options.`)."""
        return cls(
            errors=[FieldError.from_domain(e, None if e.path.startswith(OPTIONS_PREFIX) else prefix) for e in errors]
        )


# The arguments a planning question comes in: the paths of its errors start with them.
SCENARIO_ARGUMENT = "scenario"
OPTIONS_PREFIX = "options."


PlanResult = Annotated[Plan | InvalidScenario, strawberry.union("PlanResult")]


def question(
    scenario: ScenarioInput, options: PlanOptionsInput | None, *, argument: str = SCENARIO_ARGUMENT
) -> tuple[domain.Scenario, domain.PlanOptions] | InvalidScenario:
    """The inputs as the planner's scenario and options once they pass the checks, else every error.

    As for a scenario file: what reading finds first (a null where the input has a default, the options' own
    errors), alone; then the checks of facts and options together. A scenario's paths come back under
    `argument` (`scenario.`; `scenarioInput.` for eligibility and crs), as variable coercion names them
    (`schema/coercion.py`).
    """
    try:
        scenario_: domain.Scenario | None = scenario.to_domain()
        nulls: tuple[domain.FieldError, ...] = ()
    except NullFields as refused:
        scenario_, nulls = None, refused.errors
    options_, errors = options.read() if options is not None else (domain.PlanOptions(), [])
    if nulls or errors or scenario_ is None:
        return InvalidScenario.of([*nulls, *errors], argument)
    found = checked(scenario_, options_)
    if isinstance(found, domain.InvalidScenario):
        return InvalidScenario.of(found.errors, argument)
    return found


async def plan_scenario(
    scenario: ScenarioInput,
    options: PlanOptionsInput | None,
    services: Services,
    tenant_id: int | None = None,
    *,
    context: Any = None,
    blockers: bool = True,
) -> Plan | InvalidScenario:
    """Checks and plans one scenario through the service's plan backend (`schema.services.plan`), with the
    firm's own processing times (read through `context`, when given) before the request's; its blockers are
    found only when `blockers` (the query selects them)."""
    parsed = question(scenario, options)
    if isinstance(parsed, InvalidScenario):
        return parsed
    scenario_, options_ = parsed
    if context is not None:
        from schema.processing import with_firm_processing

        options_ = await with_firm_processing(context, options_)
    # The service's cap applies to the default limit too (an explicit limit above it is refused upstream).
    return Plan.of(await plan(services, tenant_id, scenario_, capped(options_, services), blockers=blockers), scenario_)


def selects(selections: Sequence[Selection], name: str) -> bool:
    """Whether a field called `name` is selected anywhere below `selections` (through fragments and aliases;
    a field under @skip or @include counts: finding more than asked is safe)."""
    return any((isinstance(s, SelectedField) and s.name == name) or selects(s.selections, name) for s in selections)


@strawberry.type
class PlanningQuery:
    @described("Plans a scenario without storing anything.")
    async def plan_scenario(
        self, info: Info[Any, Any], scenario: ScenarioInput, options: PlanOptionsInput | None = None
    ) -> PlanResult:
        services = services_of(info.context)
        tenant_id = getattr(info.context, "tenant_id", None)
        # Blockers cost re-solves (a fifth of a plan's time): found only for a query that shows them.
        wanted = selects(info.selected_fields, "blockers")
        return await plan_scenario(scenario, options, services, tenant_id, context=info.context, blockers=wanted)
