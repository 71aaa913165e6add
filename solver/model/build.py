"""Assembles the CP-SAT model from its named parts: nodes, PR, jobs, chains, each family's own, CEC."""

from __future__ import annotations

from solver.categories import family_named
from solver.cpsat import cp_model
from solver.deadline import NEVER, Deadline
from solver.model.constraints import cec, earliest, jobs, permits, pins, pr, status
from solver.model.variables import Vars
from solver.options import Options


def build(opts: Options, deadline: Deadline = NEVER) -> Vars:
    """The whole model for `opts`, its rule groups' literals still free (see fix_groups).

    Raises OutOfTime when `deadline` passes (checked between the parts).
    """
    v = Vars(opts=opts, model=cp_model.CpModel())
    permits.add_permit_nodes(v)
    pr.add_pr(v)
    jobs.add_job_vars(v)
    v.first_window = {key: days.window for key, days in earliest.add_earliest(v).items()}
    deadline.check()
    for role, _ in opts.scenario.members:
        status.add_chain(v, role)
        deadline.check()
    status.add_work_windows(v)
    for node in list(v.nodes.values()):
        if node.candidate is not None:
            family_named(node.candidate.family).constrain(v, node)
    deadline.check()
    jobs.end_open_ended_jobs(v)
    jobs.add_job_authorization(v)
    deadline.check()
    cec.add_cec(v)
    pins.add_pins(v)
    deadline.check()
    for node in v.nodes.values():
        if node.candidate is not None:
            # Every permit, whatever its kind, is valid for at least a day.
            v.model.add(node.end >= node.start).only_enforce_if(node.present)
            # After PR approval every member holds permanent status: no work permit is applied for then.
            v.model.add(node.apply < v.prv().approval).only_enforce_if(node.present)
    return v


def fix_groups(model: cp_model.CpModel, groups: dict[str, int], relaxed: frozenset[str] = frozenset()) -> None:
    """Switches every named rule group on, except those in `relaxed` (groups: name -> literal's proto index)."""
    for name, index in groups.items():
        model.add(model.get_bool_var_from_proto_index(index) == (0 if name in relaxed else 1))
