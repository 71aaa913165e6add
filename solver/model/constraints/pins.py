"""Pins: the consultant's fixed decisions, each enforced under its own group literal (`pin_group`).

A pin reads the candidates' shape, never a category code of its own: an APPLY pin asks that one of the
member's nodes whose code is the pinned one be present (and applied for on a day of its window), an EXCLUDE
pin that none be, a TAKE_OFFER pin that a job of the offer be held, a LEAD_PR pin that one of the member's PR
branches (of the program, when named) be the plan's. Each pin's literal is a rule group like any other: fixed
true to plan, switched off to learn whether the pin is what makes the model infeasible (solver/pinning.py).
"""

from __future__ import annotations

from solver.domain import Pin, PinKind
from solver.model.constraints.pr import program_of
from solver.model.variables import IntVar, Node, Vars
from solver.rules import catalog


def pin_group(index: int) -> str:
    """The rule group of the scenario's pin number `index`."""
    return f"PIN[{index}]"


def pinned_nodes(v: Vars, pin: Pin) -> list[Node]:
    """The member's candidate nodes of the pinned code (or of its successors, for a pre-2022 alias)."""
    codes = catalog.current_code(pin.code) if pin.code is not None else ()
    return [n for n in v.person_nodes(pin.person) if n.candidate is not None and n.candidate.code in codes]


def add_pins(v: Vars) -> None:
    """Every pin of the scenario, each enforced by its group literal."""
    for index, pin in enumerate(v.opts.scenario.pins):
        on = v.group(pin_group(index))
        _ADD[pin.kind](v, pin, on, f"pin[{index}]")


def _apply(v: Vars, pin: Pin, on: IntVar, name: str) -> None:
    """One node of the code present, applied for within the window (any day when the pin gives none)."""
    m = v.model
    cal = v.opts.cal
    low = None if pin.apply_from is None else cal.day(pin.apply_from)
    high = None if pin.apply_to is None else cal.day(pin.apply_to)
    chosen = []
    for node in pinned_nodes(v, pin):
        lit = m.new_bool_var(f"{name}[{node.key}]")
        m.add_implication(lit, node.present)
        if low is not None:
            m.add(node.apply >= low).only_enforce_if(lit)
        if high is not None:
            m.add(node.apply <= high).only_enforce_if(lit)
        chosen.append(lit)
    m.add_bool_or(chosen).only_enforce_if(on)


def _exclude(v: Vars, pin: Pin, on: IntVar, name: str) -> None:
    """No node of the code applied for by the plan (one filed before as_of is a fact, not a decision)."""
    for node in pinned_nodes(v, pin):
        assert node.candidate is not None
        if node.candidate.filed_on is None:
            v.model.add(node.present == 0).only_enforce_if(on)


def _take_offer(v: Vars, pin: Pin, on: IntVar, name: str) -> None:
    """A job of the offer held."""
    held = [jv.present for jv in v.person_jobs(pin.person) if jv.job.offer_ref == pin.offer_ref]
    v.model.add_bool_or(held).only_enforce_if(on)


def _lead_pr(v: Vars, pin: Pin, on: IntVar, name: str) -> None:
    """One of the member's PR branches (of the program, when named) is the plan's."""
    branches = [
        lit
        for (role, branch), lit in v.prv().branches.items()
        if role is pin.person and (pin.program is None or program_of(branch) == pin.program)
    ]
    v.model.add_bool_or(branches).only_enforce_if(on)


_ADD = {
    PinKind.APPLY: _apply,
    PinKind.EXCLUDE: _exclude,
    PinKind.TAKE_OFFER: _take_offer,
    PinKind.LEAD_PR: _lead_pr,
}
