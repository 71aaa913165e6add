"""What a permit category family is: one interface that the eligibility query, the planner and the validator use.

A family owns one or more catalog codes (`family = "..."` in `solver/data/catalog.toml`). Each family module in
this package defines `FAMILY`, an instance of a `Family` subclass; the registry (`solver.categories`) finds the
modules, and nothing outside them branches on a category code.

The three parts of a family answer three callers and share no computation:
- the eligibility query (`solver.eligibility`): `eligibility`, a verdict with reasons citing rule ids;
- the planner (`solver.options`, `solver.model`): `candidates`, the permits a person could apply for with their
  apply days, processing, validity and fee, and `constrain`, the family's own CP-SAT constraints;
- the independent validator (`solver.validate`): `issues`, `valid_from`, `valid_to`, `government_fees`,
  `employer_fees` and `works_while_pending`, read from the rules and the plan alone, never from the planner's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from solver import phrases
from solver.domain import Finding, PendingApplication, Person, PlannedPermit, Role, Scenario
from solver.phrases import Phrase
from solver.rules import catalog
from solver.rules.decision import Checks, Decision, Verdict
from solver.rules.registry import RuleSet

if TYPE_CHECKING:
    from solver.model.variables import Node, Vars
    from solver.options.options import Options
    from solver.options.records import Candidate
    from solver.rules.catalog import Category
    from solver.validate.context import PlanContext

# A rule a planned permit breaks: (rule id, what is wrong).
Issue = tuple[str, str]


@dataclass(frozen=True)
class CategoryEligibility:
    """One answer of the eligibility query: a category or PR route, its verdict and the reasons."""

    code: str
    name: str
    kind: str  # "PERMIT" or "PR"
    verdict: Verdict
    reasons: tuple[Finding, ...]
    missing: tuple[str, ...] = ()
    eligible_from: dt.date | None = None
    offer_ref: str | None = None
    failing: tuple[Finding, ...] = ()  # the reasons that make it NOT_ELIGIBLE or UNDECIDED (Decision.failing)


@dataclass(frozen=True)
class Fix:
    """The smallest change that would open a route, and the last day it helps (None when any day does)."""

    change: str
    by: dt.date | None = None
    # `change` as a key and arguments (solver/phrases.py); None for a sentence not yet keyed.
    phrase: Phrase | None = field(default=None, compare=False)

    @classmethod
    def said(cls, phrase: Phrase, by: dt.date | None = None) -> Fix:
        """The fix worded by `phrase`."""
        return cls(phrase.english(), by, phrase)


@dataclass(frozen=True)
class Asked:
    """What the eligibility query asks about: one member of a household on one date, under one rule set."""

    scenario: Scenario
    role: Role
    person: Person
    on: dt.date
    rules: RuleSet
    horizon_end: dt.date


def answer(
    category: Category, d: Decision, eligible_from: dt.date | None, offer_ref: str | None = None
) -> CategoryEligibility:
    """The eligibility answer for a permit category from its decision."""
    return CategoryEligibility(
        category.code, category.name, "PERMIT", d.verdict, d.reasons, d.missing, eligible_from, offer_ref, d.failing
    )


def refusal(rules: RuleSet, rule_id: str, message: str | Phrase) -> Decision:
    """A NOT_ELIGIBLE decision with one failed condition."""
    c = Checks(rules)
    c.fail(rule_id, message)
    return c.decision()


class Family:
    """A family of permit categories. Subclasses override the parts their categories need.

    `stage` orders candidate building (lower first, as before the split); a family with `after_partners` builds
    its candidates once every member's own candidates exist (spousal permits rest on the partner's).
    """

    name: ClassVar[str]
    stage: ClassVar[int] = 100
    after_partners: ClassVar[bool] = False

    # --- the eligibility query --------------------------------------------------------------------

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        """The answers for `category` (one per offer for an offer-based family)."""
        raise NotImplementedError(f"{self.name}: eligibility")

    # --- the planner ------------------------------------------------------------------------------

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        """Every permit of this family `person` could apply for, with the days the rules allow."""
        return []

    def pending(self, opts: Options, role: Role, person: Person, app: PendingApplication) -> Candidate | None:
        """The application `app`, filed before as_of and still pending, as a candidate fixed to its filing
        (`solver.options.options.filed`); None when the family cannot say what it would grant.

        By default the family's own candidate of that code (and offer) fixed to the filing day: a family whose
        candidates exist only on days the rules allow today (a PGWP inside its window) builds it itself.
        """
        from solver.options.options import filed

        own = [c for c in self.candidates(opts, role, person) if c.code == app.code and c.offer_ref == app.offer_ref]
        return filed(opts, own[0], app) if own else None

    def constrain(self, v: Vars, node: Node) -> None:
        """The family's own constraints on one of its candidate nodes (beyond the chain every permit is in)."""

    # --- the independent validator ----------------------------------------------------------------

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        """Every eligibility rule the planned permit `p` breaks on its application day."""
        raise NotImplementedError(f"{self.name}: issues")

    def valid_from(self, ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
        """The first valid day, given `processed` (apply_on plus the category's processing days)."""
        return processed

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        """The last valid day before the passport cap (None when the plan cannot carry one)."""
        raise NotImplementedError(f"{self.name}: valid_to")

    def government_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        """What the client pays the government for the application, biometrics aside: the work-permit
        processing fee, and the open-work-permit holder fee for an open permit (FEES.work_permit)."""
        fee = float(ctx.param("FEES.work_permit", "processing", p.apply_on))
        if p.open:
            fee += float(ctx.param("FEES.work_permit", "open_permit_holder", p.apply_on))
        return fee

    def employer_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        """What the employer pays for it: by default the compliance fee (FEES.employer_compliance) of an
        employer-specific permit, unless the catalog exempts the category's employers (rules-2026.md section 8)."""
        if p.open:
            return 0.0
        if catalog.category(p.code, ctx.on(p.apply_on), ctx.rules).employer_fee_exempt:
            return 0.0
        return float(ctx.param("FEES.employer_compliance", "amount", p.apply_on))

    def r199_ground(self, ctx: PlanContext, role: Role, p: PlannedPermit) -> str | None:
        """The rule id that lets a visitor in Canada apply for `p` inside Canada after the visitor policy ended
        (STATUS.visitor_work_permit), or None (by default: none; the application is processed outside)."""
        return None

    def files_without_status(self, ctx: PlanContext, role: Role, p: PlannedPermit) -> bool:
        """True when the category's own rule lets `p` be filed from inside Canada without status and without
        restoring it (the R197 PGWP), so STATUS.restoration's days do not bound it."""
        return False

    def works_while_pending(self, ctx: PlanContext, person: Person, p: PlannedPermit) -> bool:
        """True when filing `p` in status lets `person` work for any employer until the decision (beyond the
        work conditions that maintained status keeps)."""
        return False

    # --- why not: the eligibility query's view of a route a plan leaves out -------------------------

    def plausible(self, asked: Asked, category: Category) -> bool:
        """True when an RCIC would consider `category` for the member asked about at all (by default no)."""
        return False

    def moments(self, asked: Asked, category: Category) -> tuple[dt.date, ...]:
        """The days on which `category` is worth asking about for the member (by default the day asked)."""
        return (asked.on,)

    def planned(self, category: Category) -> bool:
        """Whether the planner ever plans `category` (False for a code answered for eligibility only, such as
        C47), so an open route left out says so instead of "not needed"."""
        return True

    def smallest_fix(self, asked: Asked, category: Category, decision: CategoryEligibility) -> Fix | None:
        """The smallest change that would open `category`, given the answer on `asked.on`; by default, for an
        undecided answer, the facts that would decide it, and none for a refusal."""
        if decision.missing:
            facts = [phrases.fact(name) for name in decision.missing]
            said = Phrase.of("fix.facts", facts=phrases.all_of(facts, "comma"))
            return Fix(said.english(), None, said if all(isinstance(f, Phrase) for f in facts) else None)
        return None
