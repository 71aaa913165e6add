"""Assembles the CP-SAT model from its named parts: nodes, PR, jobs, chains, families, CEC."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model.constraints import cec, family, jobs, permits, pr, status
from solver.model.variables import Vars
from solver.options import Options


def build(opts: Options, relaxed: frozenset[str] = frozenset()) -> Vars:
    """The whole model for `opts`; rule groups named in `relaxed` are switched off (blocker search)."""
    v = Vars(opts=opts, model=cp_model.CpModel())
    permits.add_permit_nodes(v)
    pr.add_pr(v)
    jobs.add_job_vars(v)
    for role, _ in opts.scenario.members:
        status.add_chain(v, role)
    status.add_work_windows(v)
    family.add_spousal(v)
    family.add_bridging(v)
    jobs.add_job_authorization(v)
    cec.add_cec(v)
    for node in v.nodes.values():
        if node.candidate is not None:
            v.model.add(node.end >= node.start).only_enforce_if(node.present)
    for name, lit in v.groups.items():
        v.model.add(lit == (0 if name in relaxed else 1))
    return v
