"""The model's variables, named by person, category and offer, grouped so constraint families can find them.

Day values are indexes from `as_of` (day 0). Every node of a person's permit chain (their status on as_of, the
"depot", and each candidate permit) has a presence literal, its application day, its valid-from and valid-to
days and its work window: the days it authorizes (including maintained status after it, and for a PGWP the
pending days). Arcs say which node follows which; what happens between a node and the next (maintained status
or a gap) lives on the node, since a present node has exactly one successor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solver.cpsat import cp_model
from solver.domain import Role
from solver.options import Candidate, Depot, Job, Options

IntVar = cp_model.IntVar
Lit = cp_model.LiteralT


def lowest(var: IntVar) -> int:
    """The smallest value in `var`'s domain as the model was built (a constant's value)."""
    return int(var.proto.domain[0])


@dataclass
class Node:
    """One link of a person's permit chain: the status held on as_of, or a candidate permit."""

    key: str
    person: Role
    present: IntVar
    apply: IntVar
    start: IntVar
    end: IntVar
    window_start: IntVar
    window_end: IntVar
    works: bool
    open: bool
    offer_ref: str | None
    in_canada: bool
    candidate: Candidate | None = None
    depot: Depot | None = None
    index: IntVar | None = None
    auth_days: IntVar | None = None
    # Employer-specific: valid_to before the cap at the end of the job taken under the permit.
    uncapped_end: IntVar | None = None
    # In Canada: whether the next application is filed by `end` (status maintained; false after the last
    # node), the first day of the next node's window, and the days without status that follow (see
    # constraints/status.py).
    maintained: IntVar | None = None
    next_window: IntVar | None = None
    gap: IntVar | None = None
    # A candidate applied for within STATUS.restoration days after status was lost: it restores status too
    # (FEES.restoration instead of the processing fee; no work until it is issued).
    restoring: IntVar | None = None
    # A visitor's first application without an R199 ground, processed outside Canada (constraints/visitors.py).
    processed_outside: IntVar | None = None

    @property
    def is_depot(self) -> bool:
        return self.candidate is None


@dataclass
class Arc:
    """`tail` is followed by `head` in a person's chain (head None: tail is the last permit)."""

    tail: Node
    head: Node | None
    lit: IntVar


@dataclass
class JobVars:
    job: Job
    present: IntVar
    start: IntVar
    end: IntVar
    interval: cp_model.IntervalVar
    overlap: IntVar | None = None
    horizon_end: IntVar | None = None
    # An open-ended offer's job: the literals of its offer's permits that may end it (solver/categories/offers.py).
    ended_by: list[IntVar] = field(default_factory=list)
    # ... and the literal of its running to the plan's end (solver/model/constraints/jobs.py: end_open_ended_jobs).
    to_plan_end: IntVar | None = None


@dataclass
class PrVars:
    """PR readiness: ready day R (horizon + 1 when unreachable), submission U, approval P, branches."""

    ready: IntVar
    day: IntVar
    submit: IntVar
    approval: IntVar
    approval_capped: IntVar
    applicant: dict[Role, IntVar] = field(default_factory=dict)
    branches: dict[tuple[Role, str], IntVar] = field(default_factory=dict)
    # Whether some member's language result falls short of a CEC level on some day (else no language blocker).
    language_limited: bool = False


@dataclass
class Vars:
    """Everything the constraint families, the objective and the decoder share."""

    opts: Options
    model: cp_model.CpModel
    nodes: dict[str, Node] = field(default_factory=dict)
    jobs: dict[str, JobVars] = field(default_factory=dict)
    pr: PrVars | None = None
    groups: dict[str, IntVar] = field(default_factory=dict)
    # Each candidate's earliest first day of work in any plan (constraints/earliest.py), by node key.
    first_window: dict[str, int] = field(default_factory=dict)

    @property
    def horizon(self) -> int:
        return self.opts.cal.horizon

    @property
    def big(self) -> int:
        """An upper bound on every day value in the model (a permit issued late may run 10 years on)."""
        return self.opts.cal.table_size + 3700

    def person_nodes(self, role: Role) -> list[Node]:
        return [n for n in self.nodes.values() if n.person is role]

    def person_jobs(self, role: Role) -> list[JobVars]:
        return [j for j in self.jobs.values() if j.job.person is role]

    def depot(self, role: Role) -> Node:
        return self.nodes[f"{role.value}:depot"]

    def prv(self) -> PrVars:
        assert self.pr is not None
        return self.pr

    def group(self, name: str) -> IntVar:
        """The enforcement literal of a named rule group (fixed true unless a blocker search relaxes it)."""
        if name not in self.groups:
            self.groups[name] = self.model.new_bool_var(f"group[{name}]")
        return self.groups[name]
