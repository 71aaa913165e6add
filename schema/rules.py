"""What the product believes: the permit catalog, the rules with their dates and sources, eligibility and CRS.

`RulesQuery` is one part of the merged Query (`schema/root.py`). Eligibility and CRS take an inline scenario
as the typed `scenarioInput: ScenarioInput` (planScenario's input, checked the same way) or, deprecated, as JSON
in the same shape (a scenario file's `scenario` object, as it is). What is wrong with their arguments comes back
in the error contract (`schema.errors.InvalidFields`: `extensions.fieldErrors` with paths under the argument,
`scenarioInput.` or `scenario.`, and codes).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

import schema.enums
from db.repositories.households import Households
from db.scenario import household_to_scenario
from schema.context import Context
from schema.enums import DrawType, EligibilityKind, PermitProgram, RuleConfidence
from schema.errors import FieldErrorCode, InvalidFields, code_for, shown
from schema.ids import decode
from schema.money import Money
from solver import crs, eligibility
from solver.domain import Finding, Role, Scenario
from solver.fields import check_noc, validate_scenario
from solver.rules import catalog
from solver.rules.decision import Verdict
from solver.rules.registry import Rule, RuleSet, load_rules
from solver.scenario_json import parse_scenario

if TYPE_CHECKING:
    from schema.planning import ScenarioInput

F = TypeVar("F", bound=Callable[..., Any])
# schema.planning imports `described` from here: its ScenarioInput is named lazily to break the cycle.
LazyScenarioInput = Annotated["ScenarioInput", strawberry.lazy("schema.planning")]


def described(description: str) -> Callable[[F], F]:
    """`strawberry.field(description=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.field(description=description))


# Registering the Python enum lets fields be annotated with `Verdict` itself (and `Role`, as schema.enums does).
strawberry.enum(Verdict, name="Verdict", description="Eligible, not eligible, or undecided on the facts.")
_ = schema.enums.Person  # the contract's Person enum (solver Role), registered once in schema/enums.py


@strawberry.type(description="An IEC stream sharing its category's code (C21).")
class PermitStream:
    code: str
    name: str
    open: bool
    requires_offer: bool


@strawberry.type(description="A work-permit category with its current code, fees and processing times on a date.")
class PermitCategory:
    code: str
    name: str
    program: str = strawberry.field(description="IMP or TFWP (programKind is the same value as an enum).")
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
    eligibility_rules: list[str]
    documents: list[str]
    aliases: list[str] = strawberry.field(description="Codes used before the 2022-12-15 renumbering.")
    streams: list[PermitStream]
    slow_processing_days_inside: int = strawberry.field(
        default=0,
        description="The slow processing figure inside Canada (p90: nine in ten decided by then); "
        "processingDaysInside is the expected one (p50). The rules' figures, before a firm's own.",
    )
    slow_processing_days_outside: int = strawberry.field(
        default=0, description="The slow processing figure outside Canada (p90), beside processingDaysOutside (p50)."
    )

    @described("`program` as an enum: IMP or TFWP.")
    def program_kind(self) -> PermitProgram:
        return PermitProgram(self.program)

    @described("`processingFee` as exact money (CAD).")
    def processing_fee_money(self) -> Money:
        return Money.cad(self.processing_fee)

    @described("`openPermitHolderFee` as exact money (CAD).")
    def open_permit_holder_fee_money(self) -> Money:
        return Money.cad(self.open_permit_holder_fee)

    @described("`biometricsFee` as exact money (CAD).")
    def biometrics_fee_money(self) -> Money:
        return Money.cad(self.biometrics_fee)

    @described("`participationFee` as exact money (CAD).")
    def participation_fee_money(self) -> Money:
        return Money.cad(self.participation_fee)

    @described("`employerComplianceFee` as exact money (CAD): the employer's.")
    def employer_compliance_fee_money(self) -> Money:
        return Money.cad(self.employer_compliance_fee)

    @described("`lmiaFee` as exact money (CAD): the employer's.")
    def lmia_fee_money(self) -> Money:
        return Money.cad(self.lmia_fee)

    @classmethod
    def of(cls, c: catalog.Category) -> PermitCategory:
        return cls(
            code=c.code,
            name=c.name,
            program=c.program,
            open=c.open,
            requires_offer=c.requires_offer,
            authority=c.authority,
            employer_compliance_fee=c.employer_compliance_fee,
            lmia_fee=c.lmia_fee,
            processing_fee=c.processing_fee,
            open_permit_holder_fee=c.open_permit_holder_fee,
            biometrics_fee=c.biometrics_fee,
            participation_fee=c.participation_fee,
            processing_days_inside=c.processing_days_inside,
            processing_days_outside=c.processing_days_outside,
            slow_processing_days_inside=c.slow_processing_days_inside,
            slow_processing_days_outside=c.slow_processing_days_outside,
            max_duration=c.max_duration,
            max_duration_rule=c.max_duration_rule,
            eligibility_rules=list(c.eligibility_rules),
            documents=list(c.documents),
            aliases=list(c.aliases),
            streams=[
                PermitStream(code=s.code, name=s.name, open=s.open, requires_offer=s.requires_offer) for s in c.streams
            ],
        )


def _json(params: Any) -> str:
    return json.dumps(params, sort_keys=True, default=str)


@strawberry.type(description="One dated version of a rule: when it applied and its parameters (a JSON object).")
class RuleVersionInfo:
    effective: dt.date
    ends: dt.date | None
    params: str
    note: str | None


@strawberry.type(description="A rule: its id, what it says, the date that triggers it, its versions and its source.")
class RuleInfo:
    id: str
    program: str
    title: str
    trigger: str
    source: str
    confidence: RuleConfidence = strawberry.field(
        description="H: IRCC says it; M: law firm or inferred; L: consultant or unverified."
    )
    note: str | None
    effective: dt.date = strawberry.field(description="The date the first version took effect.")
    ends: dt.date | None = strawberry.field(description="The date the last version ended (null while in force).")
    in_force: bool = strawberry.field(description="Whether a version applies on the asked date.")
    params: str | None = strawberry.field(description="Parameters in force on the asked date (JSON), null if none.")
    versions: list[RuleVersionInfo]

    @classmethod
    def of(cls, rule: Rule, on: dt.date) -> RuleInfo:
        current = rule.at(on)
        return cls(
            id=rule.id,
            program=rule.program,
            title=rule.title,
            trigger=rule.trigger,
            source=rule.source,
            confidence=RuleConfidence(rule.confidence),
            note=rule.note,
            effective=rule.effective,
            ends=rule.versions[-1].ends,
            in_force=current is not None,
            params=None if current is None else _json(current.params),
            versions=[
                RuleVersionInfo(effective=v.effective, ends=v.ends, params=_json(v.params), note=v.note)
                for v in rule.versions
            ],
        )


@strawberry.type(description="A reason for a verdict, citing the rule it comes from.")
class EligibilityReason:
    rule_id: str
    message: str
    source: str | None

    @classmethod
    def of(cls, f: Finding) -> EligibilityReason:
        return cls(rule_id=f.rule_id, message=f.message, source=f.source)


@strawberry.type(description="Eligibility for one category or PR route on a date.")
class CategoryEligibility:
    code: str
    name: str
    kind: EligibilityKind = strawberry.field(description="PERMIT (a work-permit category) or PR (a PR route).")
    verdict: Verdict
    reasons: list[EligibilityReason]
    missing: list[str] = strawberry.field(description="Facts that would decide an UNDECIDED answer.")
    eligible_from: dt.date | None = strawberry.field(description="First date the facts alone make it eligible.")
    offer_ref: str | None


@strawberry.type(description="One CRS factor and its points.")
class CrsFactor:
    name: str
    points: int
    rule_id: str
    detail: str


@strawberry.type(description="A recorded Express Entry draw.")
class CrsDraw:
    date: dt.date
    type: str
    score: int
    invitations: int


@strawberry.type(description="A CRS score with its breakdown, and the newest recorded cut-off to compare with.")
class CrsScore:
    total: int
    core: int
    spouse: int
    transferability: int
    additional: int
    factors: list[CrsFactor]
    latest_cutoff: CrsDraw | None
    rules_version: str


# The arguments an inline scenario comes in (typed, or deprecated JSON): its errors' paths start with them.
TYPED_ARGUMENT = "scenarioInput"
SCENARIO_ARGUMENT = "scenario"
# Express Entry draw categories `crs(drawType:)` knows (IRCC's rounds); the recorded cut-offs are in EE.cutoff.
DRAW_TYPES = tuple(str(d.value) for d in DrawType)


def _draw_type(value: str) -> str:
    """`drawType` as given, or the refusal (UNKNOWN_CODE) listing the known draw types."""
    if value in DRAW_TYPES:
        return value
    message = f"{shown(value)} is not a known Express Entry draw type; allowed: {', '.join(DRAW_TYPES)}"
    raise InvalidFields([("drawType", FieldErrorCode.UNKNOWN_CODE, message)])


_JSON_SCENARIO = "Use scenarioInput (the typed ScenarioInput, as planScenario takes it); JSON is checked the same way."
_TYPED = "The household's facts on asOf, as planScenario's `scenario` (give this or the deprecated `scenario`)."


def _today() -> dt.date:
    return dt.date.today()


def _scenario(raw: JSON | None, typed: ScenarioInput | None) -> Scenario:
    """The scenario of `scenarioInput` or of the JSON `scenario` (exactly one), checked as planScenario's is; else
    the refusal naming each invalid field under its argument with its code (the error contract)."""
    if (raw is None) == (typed is None):
        message = "give exactly one of scenarioInput and scenario (deprecated, the same facts as JSON)"
        raise InvalidFields([(TYPED_ARGUMENT, FieldErrorCode.REQUIRED, message)], message)
    if typed is not None:
        # Imported here: schema.planning imports this module (for `described`).
        from schema.planning import InvalidScenario, question

        asked = question(typed, None, argument=TYPED_ARGUMENT)
        if isinstance(asked, InvalidScenario):
            raise InvalidFields((e.path, code_for(e.message), e.message) for e in asked.errors)
        return asked[0]
    found = parse_scenario(raw)
    if not isinstance(found, tuple):
        raise InvalidFields.of(found.errors, SCENARIO_ARGUMENT)
    return found[0]


def _refuse_invalid(what: str, facts: Scenario) -> None:
    """The refusal naming every invalid field of `facts` (a record stored before a check was added); the paths
    are the stored household's fields, as `planHousehold`'s `InvalidScenario` names them."""
    errors = validate_scenario(facts)
    if errors:
        detail = "; ".join(f"{e.path}: {e.message}" for e in errors)
        raise InvalidFields(((e.path, code_for(e.message), e.message) for e in errors), f"{what}: {detail}")


def _rules() -> RuleSet:
    return load_rules()


def _answers(facts: Scenario, person: Role, on: dt.date) -> list[CategoryEligibility]:
    return [
        CategoryEligibility(
            code=a.code,
            name=a.name,
            kind=EligibilityKind(a.kind),
            verdict=a.verdict,
            reasons=[EligibilityReason.of(r) for r in a.reasons],
            missing=list(a.missing),
            eligible_from=a.eligible_from,
            offer_ref=a.offer_ref,
        )
        for a in eligibility.evaluate(facts, person, on, _rules())
    ]


@strawberry.type
class RulesQuery:
    @described("Every permit category in force on `asOf` (default today), with its current code.")
    def permit_categories(self, as_of: dt.date | None = None) -> list[PermitCategory]:
        return [PermitCategory.of(c) for c in catalog.categories(as_of or _today(), _rules())]

    @described("One category by code (a pre-2022 code with one successor answers it); null when unknown.")
    def permit_category(self, code: str, as_of: dt.date | None = None) -> PermitCategory | None:
        try:
            return PermitCategory.of(catalog.category(code.strip().upper(), as_of or _today(), _rules()))
        except ValueError:
            return None

    @described("Every rule the product applies, with its versions; `params` as in force on `asOf`.")
    def rules(self, as_of: dt.date | None = None, program: str | None = None) -> list[RuleInfo]:
        on = as_of or _today()
        chosen = (r for r in _rules().rules.values() if program is None or r.program == program)
        return [RuleInfo.of(r, on) for r in sorted(chosen, key=lambda r: r.id)]

    @described("Identifies the whole rule set: the newest effective date and a content hash.")
    def rules_version(self) -> str:
        return _rules().version

    @described(
        "Eligibility of a member of an inline scenario (`scenarioInput`) for every category and PR route on `on`"
        " (default the scenario's asOf)."
    )
    def eligibility(
        self,
        scenario: Annotated[JSON | None, strawberry.argument(deprecation_reason=_JSON_SCENARIO)] = None,
        person: Role = Role.PRINCIPAL,
        on: dt.date | None = None,
        scenario_input: Annotated[LazyScenarioInput | None, strawberry.argument(description=_TYPED)] = None,
    ) -> list[CategoryEligibility]:
        facts = _scenario(scenario, scenario_input)
        return _answers(facts, person, on or facts.as_of)

    @described(
        "Eligibility of a member of a stored household (by its global id) on `on` (default today); null when the"
        " household is not in your firm."
    )
    async def household_eligibility(
        self,
        info: strawberry.Info[Context, None],
        id: strawberry.ID,
        person: Role = Role.PRINCIPAL,
        on: dt.date | None = None,
    ) -> list[CategoryEligibility] | None:
        household_id = decode(id, "Household")
        if household_id is None:
            return None
        day = on or _today()
        async with info.context.reading(Households) as repo:
            household = await repo.load_household_graph(household_id)
            if household is None or all(m.role is not Role.PRINCIPAL for m in household.members):
                return None
            facts = household_to_scenario(household, day)
        _refuse_invalid("the stored household is invalid (correct it with the record's update mutation)", facts)
        return _answers(facts, person, day)

    @described(
        "CRS score of a member of an inline scenario (`scenarioInput`) on `on`, the other member accompanying;"
        " `draw` picks the draw type whose latest cut-off to compare with. Null when the member cannot be scored."
    )
    def crs(
        self,
        scenario: Annotated[JSON | None, strawberry.argument(deprecation_reason=_JSON_SCENARIO)] = None,
        person: Role = Role.PRINCIPAL,
        on: dt.date | None = None,
        arranged_employment_noc: str | None = None,
        draw_type: Annotated[str, strawberry.argument(deprecation_reason="Use draw (the DrawType enum).")] = "CEC",
        scenario_input: Annotated[LazyScenarioInput | None, strawberry.argument(description=_TYPED)] = None,
        draw: Annotated[
            DrawType | None,
            strawberry.argument(description="The draw type whose latest cut-off to compare with; default CEC."),
        ] = None,
    ) -> CrsScore | None:
        kind = _draw_type(draw_type) if draw is None else str(draw.value)
        if draw is not None and draw_type not in ("CEC", kind):
            disagree = f"drawType {_draw_type(draw_type)!r} and draw {kind} disagree; give draw alone"
            raise InvalidFields([("draw", FieldErrorCode.INVALID_VALUE, disagree)], disagree)
        if arranged_employment_noc is not None and (message := check_noc(arranged_employment_noc)):
            raise InvalidFields([("arrangedEmploymentNoc", code_for(message), message)])
        facts = _scenario(scenario, scenario_input)
        day = on or facts.as_of
        rules = _rules()
        score = crs.score_member(facts, person, day, rules, arranged_employment_noc=arranged_employment_noc)
        if score is None:
            return None
        cutoff = crs.latest_cutoff(day, rules, kind)
        return CrsScore(
            total=score.total,
            core=score.core,
            spouse=score.spouse,
            transferability=score.transferability,
            additional=score.additional,
            factors=[
                CrsFactor(name=f.name, points=f.points, rule_id=f.rule_id, detail=f.detail) for f in score.factors
            ],
            latest_cutoff=None
            if cutoff is None
            else CrsDraw(date=cutoff.date, type=cutoff.type, score=cutoff.score, invitations=cutoff.invitations),
            rules_version=rules.version,
        )
