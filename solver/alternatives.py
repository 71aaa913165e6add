"""Diverse alternatives: `alternatives(scenario, options, count) -> list[Alternative]`, plans that differ in
strategy, not in a date.

A plan's strategy (`Strategy`) is who applies for PR and under which program, which permit categories each
member uses (with the offer an employer-specific one rests on), and which offers' jobs are taken. The model is
built once; the best plan is found exactly as `plan()` finds it, then each further alternative re-solves a copy
of the model with one no-good clause per strategy already found, under the same lexicographic objective, and
stops when `count` are found or no other strategy is feasible. Each alternative is therefore optimal for its own
strategy (exclusion depends on the strategy only) and the list comes out ranked by the objective.

A no-good clause asks for another PR applicant or program, an offer the earlier strategy did not take, or one of
its permits left out. Adding a permit to an earlier strategy is not a new strategy (the same plan with one more
application is a variation of it), nor is leaving one of its jobs untaken (the same permits, less work): so a
plan with the same PR route, a superset of the earlier permits and a subset of its offers is excluded too.
When the best plan reaches PR, every alternative does: giving up PR is not a strategy an RCIC presents.

Each alternative has its own time limit (options.time_limit_ms), so `count` alternatives take at most `count`
plans' time, the model's build once. Determinism is plan()'s: one worker, a fixed seed, deterministic budgets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from solver.cpsat import cp_model
from solver.deadline import NEVER, Deadline, wall_bounded
from solver.domain import (
    DEFAULT_OBJECTIVE,
    FieldError,
    Finding,
    ObjectiveTerm,
    Plan,
    PlanOptions,
    Role,
    Scenario,
)
from solver.model.constraints.pr import program_of
from solver.model.search import Budget, fallback, polish, solve_model, untraced
from solver.model.variables import Vars
from solver.options import Figures
from solver.rules import catalog
from solver.rules.registry import RuleSet, load_rules
from solver.solve import Finished, Prepared, Searched, budgets, finish, prepare, robustness_of

MIN_COUNT = 1
MAX_COUNT = 5
DEFAULT_COUNT = 3

# A permit as a strategy names it: who holds it, its category, and the offer an employer-specific one rests on.
PermitUse = tuple[Role, str, str | None]


@dataclass(frozen=True)
class Strategy:
    """What an alternative decides, dates apart: two plans with one strategy are a date-shift of each other."""

    pr_applicant: Role | None
    pr_program: str | None
    permits: tuple[PermitUse, ...]
    offers: tuple[str, ...]


@dataclass(frozen=True)
class TradeOffs:
    """An alternative's figures, side by side with the others'."""

    pr_ready_date: dt.date | None
    fees_client: float
    fees_employer: float
    # Days, summed over the members, before PR approval (or the horizon) without authorization to work: the
    # plan's WORK_CONTINUITY value.
    days_without_work: int
    # Days, summed over the members, in Canada without status (the plan's status gaps, each end inclusive).
    days_without_status: int
    # The plan's blockers and its explanation's risk findings ("risk: ..."), in that order.
    risks: tuple[Finding, ...]

    @property
    def risk_count(self) -> int:
        """How many risk findings the plan carries."""
        return len(self.risks)


@dataclass(frozen=True)
class Alternative:
    """One strategy's best plan: its rank (1 is the best plan), what distinguishes it and its trade-offs."""

    rank: int
    label: str
    # The facts that set it apart from the best plan (for the best plan: its own strategy, in words).
    differences: tuple[str, ...]
    strategy: Strategy
    trade_offs: TradeOffs
    plan: Plan


def count_errors(count: int, path: str = "count") -> tuple[FieldError, ...]:
    """Why `count` is refused (empty when it is between MIN_COUNT and MAX_COUNT)."""
    if MIN_COUNT <= count <= MAX_COUNT:
        return ()
    return (FieldError(path, f"must be between {MIN_COUNT} and {MAX_COUNT} (got {count})"),)


def strategy_of(plan: Plan) -> Strategy:
    """The strategy of a plan, read from the plan alone (what the no-good clauses exclude)."""
    permits = sorted({(p.person, p.code, p.offer_ref) for p in plan.permits}, key=_use_order)
    offers = sorted({j.offer_ref for j in plan.jobs if j.offer_ref is not None})
    return Strategy(plan.pr_applicant, plan.pr_program, tuple(permits), tuple(offers))


def trade_offs(plan: Plan) -> TradeOffs:
    """The figures an RCIC weighs between alternatives, from the plan alone."""
    without_status = sum((g.end - g.start).days + 1 for g in plan.status_gaps)
    risks = plan.blockers + tuple(f for f in plan.explanation if f.message.lower().startswith("risk"))
    return TradeOffs(
        pr_ready_date=plan.pr_ready_date,
        fees_client=plan.fees_total,
        fees_employer=plan.fees_employer,
        days_without_work=plan.objective_values.get(ObjectiveTerm.WORK_CONTINUITY.value, 0),
        days_without_status=without_status,
        risks=risks,
    )


def alternatives(
    scenario: Scenario, options: PlanOptions | None = None, count: int = DEFAULT_COUNT, *, rules: RuleSet | None = None
) -> list[Alternative]:
    """Up to `count` plans of different strategies, best first (see the module docstring).

    Raises ValueError for a count outside MIN_COUNT..MAX_COUNT (callers answer `count_errors` first).
    An empty list means no plan at all was found in time.
    """
    if count_errors(count):
        raise ValueError(count_errors(count)[0].message)
    options = options or PlanOptions()
    rules = rules or load_rules()
    search = _Search.start(scenario, options, rules)
    if search is None:
        return []
    plans: list[Plan] = []
    for _ in range(count):
        found = search.next([strategy_of(p) for p in plans])
        if found is None:
            break
        plans.append(found)
    return ranked(plans, options.objective)


def ranked(plans: Sequence[Plan], objective: Sequence[ObjectiveTerm] = DEFAULT_OBJECTIVE) -> list[Alternative]:
    """The plans as alternatives: ranked by the objective's terms in order (the order they were found in on a
    tie), each labelled by what sets it apart from the best."""
    if not plans:
        return []
    order = sorted(range(len(plans)), key=lambda i: (_objective_key(plans[i], objective), i))
    best = plans[order[0]]
    out = []
    for rank, i in enumerate(order, start=1):
        label, differences = describe(best, plans[i]) if rank > 1 else best_label(best)
        out.append(Alternative(rank, label, differences, strategy_of(plans[i]), trade_offs(plans[i]), plans[i]))
    return out


def _objective_key(plan: Plan, objective: Sequence[ObjectiveTerm]) -> tuple[int, ...]:
    return tuple(plan.objective_values.get(term.value, 0) for term in objective)


# --- labels -------------------------------------------------------------------------------------


def _who(role: Role | None) -> str:
    return "nobody" if role is None else f"the {role.value.lower()}"


def _use_order(use: PermitUse) -> tuple[str, str, str]:
    return (use[0].value, use[1], use[2] or "")


def _permit_words(use: PermitUse, names: dict[PermitUse, str]) -> str:
    person, code, offer = use
    name = names.get(use, code)
    on_offer = f" on offer {offer}" if offer else ""
    return f"{code} ({name}){on_offer} for {_who(person)}"


def _route(plan: Plan) -> str:
    if plan.pr_applicant is None or plan.pr_program is None:
        return "no PR within the horizon"
    return f"{_who(plan.pr_applicant)} leads PR ({plan.pr_program})"


def best_label(plan: Plan) -> tuple[str, tuple[str, ...]]:
    """The best plan's label: its PR route, and its strategy in words."""
    names = {(p.person, p.code, p.offer_ref): p.name for p in plan.permits}
    strategy = strategy_of(plan)
    facts = [f"PR: {_route(plan)}"]
    facts += [f"permit: {_permit_words(use, names)}" for use in strategy.permits]
    facts += [f"job: offer {offer}" for offer in strategy.offers]
    return "Best plan: " + _route(plan), tuple(facts)


def describe(best: Plan, other: Plan) -> tuple[str, tuple[str, ...]]:
    """A short label for `other` and the facts that set it apart from `best` (PR route, permits, offers)."""
    a, b = strategy_of(best), strategy_of(other)
    names = {(p.person, p.code, p.offer_ref): p.name for p in (*best.permits, *other.permits)}
    facts: list[str] = []
    if (a.pr_applicant, a.pr_program) != (b.pr_applicant, b.pr_program):
        facts.append(f"PR: {_route(other)} instead of {_route(best)[0].lower() + _route(best)[1:]}")
    added = [u for u in b.permits if u not in a.permits]
    dropped = [u for u in a.permits if u not in b.permits]
    facts += [f"adds {_permit_words(u, names)}" for u in added]
    facts += [f"without {_permit_words(u, names)}" for u in dropped]
    facts += [f"takes offer {o}" for o in b.offers if o not in a.offers]
    facts += [f"without offer {o}" for o in a.offers if o not in b.offers]
    return _label(a, b, added, dropped, names, other), tuple(facts)


def _label(
    a: Strategy, b: Strategy, added: list[PermitUse], dropped: list[PermitUse], names: dict[PermitUse, str], plan: Plan
) -> str:
    """The one thing that best names the difference: the PR route, a permit gained, one dropped, an offer."""
    if b.pr_applicant != a.pr_applicant:
        return _route(plan)[0].upper() + _route(plan)[1:]
    if b.pr_program != a.pr_program:
        return f"PR through {b.pr_program}" if b.pr_program else "No PR within the horizon"
    if added:
        person, code, offer = added[0]
        instead = next((u[1] for u in dropped if u[0] is person), None)
        on_offer = f" (offer {offer})" if offer else ""
        if catalog.rests_on_lmia(code):
            kind = "LMIA bridge" if instead is None else f"LMIA permit instead of {instead}"
            return f"{kind} for {_who(person)}{on_offer}"
        if instead is not None:
            return f"{code} instead of {instead} for {_who(person)}{on_offer}"
        return f"{code} ({names.get(added[0], code)}) for {_who(person)}{on_offer}"
    if dropped:
        person, code, _ = dropped[0]
        return f"Without {code} for {_who(person)}"
    taken = [o for o in b.offers if o not in a.offers]
    if taken:
        return f"Take offer {taken[0]}"
    left = [o for o in a.offers if o not in b.offers]
    return f"Without offer {left[0]}" if left else "Another strategy"


# --- the search ---------------------------------------------------------------------------------


@dataclass
class _Search:
    """The model built once (`solver.solve.prepare`: the same pins and rule groups as plan()), and what each
    alternative's solve starts from."""

    scenario: Scenario
    options: PlanOptions
    rules: RuleSet
    # The model with its rule groups fixed and the objective's variables made (copied for each alternative),
    # and the same before the groups were fixed (the blocker re-solves relax one group at a time).
    prepared: Prepared
    pristine: cp_model.CpModel
    started: float
    deadline: Deadline
    # The first alternative's budgets, as plan() has them: the pins' feasibility checks spent from the search's.
    first: tuple[Budget, Budget]
    # The question's options at each processing figure, built once for every strategy's replay at p90.
    figures: Figures

    @staticmethod
    def start(scenario: Scenario, options: PlanOptions, rules: RuleSet) -> _Search | None:
        """Builds the model as plan() does (None when the first alternative's time runs out first)."""
        started = time.perf_counter()
        deadline = _deadline(options)
        first = budgets(options, deadline)
        figures = Figures(scenario, options, rules)
        prepared = prepare(figures, deadline, first[0], untraced)
        if prepared is None:
            return None
        # The options' rules: pinned to rules_as_of for a what-if (RuleSet.pinned), as the plans are made.
        rules = prepared.vars.opts.rules
        pristine = prepared.vars.model.clone()
        return _Search(scenario, options, rules, prepared, pristine, started, deadline, first, figures)

    def next(self, found: list[Strategy]) -> Plan | None:
        """The best plan whose strategy is none of `found` (the first call: plan()'s plan), or None.

        Each is finished as plan() finishes its plan (blockers, closed routes, pins), with the robustness of
        the strategy as it stands: what slow processing does to it, without planning it again at that figure."""
        started = self.started if not found else time.perf_counter()
        deadline = self.deadline if not found else _deadline(self.options)
        search, blocker_budget = self.first if not found else budgets(self.options, deadline)
        prepared = self.prepared
        v = dataclasses.replace(prepared.vars, model=self.pristine.clone())
        base = prepared.base.clone()
        for model in (v.model, base):
            for strategy in found:
                _exclude(v, model, strategy)
            if found and found[0].pr_program is not None:
                # Giving up PR is no alternative to a plan that reaches it.
                model.add(model.get_bool_var_from_proto_index(v.prv().ready.index) == 1)
        solved = solve_model(v, prepared.objective, search)
        if solved is None and not found:
            solved = fallback(v, deadline)
        if solved is not None and not solved.optimal:
            solved = polish(solved, deadline)
        if solved is None:
            return None
        blocker_budget.dtime += max(search.dtime, 0.0)
        robust = robustness_of(self.figures, solved, deadline, untraced)
        held = Finished(self.scenario, self.options, prepared.refused, started, blocker_budget)
        return finish(held, Searched(solved, base, prepared.groups), robust)


def _deadline(options: PlanOptions) -> Deadline:
    return Deadline.after(options.time_limit_ms / 1000.0) if wall_bounded() else NEVER


def _exclude(v: Vars, model: cp_model.CpModel, strategy: Strategy) -> None:
    """Adds to `model` (a copy of v's) the no-good clause of `strategy`: another PR applicant or program, an
    offer it did not take, or one of its permits left out."""
    pr = v.prv()
    differs: list[cp_model.LiteralT] = []
    programs: dict[tuple[Role, str], list[int]] = defaultdict(list)
    for (role, branch), lit in pr.branches.items():
        programs[(role, program_of(branch))].append(lit.index)
    for (role, program), indexes in sorted(programs.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
        chosen = (role, program) == (strategy.pr_applicant, strategy.pr_program)
        differs.append(_either(model, indexes, f"pr_route[{role.value},{program}]", negate=chosen))
    offers: dict[str, list[int]] = defaultdict(list)
    for jv in v.jobs.values():
        if jv.job.offer_ref is not None:
            offers[jv.job.offer_ref].append(jv.present.index)
    for offer, indexes in sorted(offers.items()):
        if offer not in strategy.offers:
            differs.append(_either(model, indexes, f"takes_offer[{offer}]", negate=False))
    uses: dict[PermitUse, list[int]] = defaultdict(list)
    for n in v.nodes.values():
        if n.candidate is not None:
            uses[(n.person, n.candidate.code, n.candidate.offer_ref)].append(n.present.index)
    for use in strategy.permits:
        if use in uses:
            name = f"uses[{use[0].value},{use[1]},{use[2] or '-'}]"
            differs.append(_either(model, uses[use], name, negate=True))
    model.add_bool_or(differs)


def _either(model: cp_model.CpModel, indexes: list[int], name: str, *, negate: bool) -> cp_model.LiteralT:
    """A literal true when any of the boolean variables at `indexes` is (its negation when `negate`)."""
    lits = [model.get_bool_var_from_proto_index(i) for i in indexes]
    if len(lits) == 1:
        lit: cp_model.IntVar = lits[0]
    else:
        lit = model.new_bool_var(name)
        model.add_max_equality(lit, lits)
    return lit.Not() if negate else lit
