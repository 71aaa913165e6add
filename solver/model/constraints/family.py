"""Cross-person and PR-linked permits: spousal permits (C41, C42, C49) and bridging (A75).

Rules: C41.principal_occupation (in the candidate's days), C41.principal_validity (the principal's permit has
the months left on the spouse's application day), C41.principal_employed (an open-permit principal holds the
job on that day), C42.principal_program (in the candidate's days; runs to the study permit's valid_to),
C49.principal_pr_applicant (the partner is the PR applicant and has submitted), A75.eligible_classes,
A75.completeness (issued no earlier than submission plus the R10 check), PASSPORT.cap.
"""

from __future__ import annotations

from solver.model.constraints.permits import passport_day
from solver.model.tables import add_function
from solver.model.variables import Node, Vars
from solver.options import Kind, rulebridge


def _held_on_apply(v: Vars, node: Node, source: Node) -> None:
    """The source permit is issued and still valid on the spouse's application day; the spouse's runs to its end."""
    m = v.model
    x = node.present
    m.add_implication(x, source.present)
    if not source.is_depot:
        m.add(node.apply >= source.start).only_enforce_if(x)
    m.add(node.apply <= source.end).only_enforce_if(x)
    assert node.candidate is not None
    m.add_min_equality(node.end, [source.end, passport_day(v, node.candidate)])
    # The source is the partner's work permit with the latest valid_to among those held on the apply day.
    for other in v.person_nodes(source.person):
        if other is source or not other.works:
            continue
        tag = f"{node.key}|{other.key}"
        before = m.new_bool_var(f"not_yet_held[{tag}]")
        after = m.new_bool_var(f"no_longer_held[{tag}]")
        later = m.new_bool_var(f"source_runs_longer[{tag}]")
        m.add(node.apply <= other.start - 1).only_enforce_if(before)
        m.add(node.apply >= other.end + 1).only_enforce_if(after)
        m.add(source.end >= other.end).only_enforce_if(later)
        m.add_bool_or([before, after, later]).only_enforce_if([x, other.present])


def add_spousal(v: Vars) -> None:
    """Links every spousal candidate to the partner's permit or study permit it depends on."""
    m = v.model
    pr = v.prv()
    for node in list(v.nodes.values()):
        c = node.candidate
        if c is None:
            continue
        if c.kind is Kind.SPOUSE_OF_STUDENT:
            assert c.fixed_end is not None
            m.add(node.end == min(c.fixed_end, passport_day(v, c)))
        elif c.kind is Kind.SPOUSE_OF_WORKER:
            assert c.source is not None and c.source_job is not None
            source = v.nodes[c.source]
            _held_on_apply(v, node, source)
            needed = m.new_int_var(0, v.big, f"c41_validity_needed[{node.key}]")
            first = c.apply_days[0]
            add_function(m, node.apply, first, list(c.validity_ref_months), needed, f"c41_validity[{node.key}]")
            m.add(source.end >= needed).only_enforce_if([node.present, v.group("C41.principal_validity")])
            job = v.jobs[c.source_job]
            m.add_implication(node.present, job.present)
            # C41.principal_employed: the principal holds the job on the spouse's application day.
            m.add(job.start <= node.apply).only_enforce_if(node.present)
            m.add(job.end >= node.apply).only_enforce_if(node.present)
        elif c.kind is Kind.SPOUSE_OF_PR_APPLICANT:
            assert c.source is not None
            source = v.nodes[c.source]
            _held_on_apply(v, node, source)
            m.add_implication(node.present, pr.applicant[source.person])
            m.add(node.apply >= pr.submit).only_enforce_if(node.present)


def add_bridging(v: Vars) -> None:
    """A75: the PR applicant applies after submission; issued after the completeness check."""
    m = v.model
    pr = v.prv()
    for node in v.nodes.values():
        c = node.candidate
        if c is None or c.kind is not Kind.BRIDGING:
            continue
        on = v.opts.on(v.opts.scenario.as_of)
        classes = rulebridge.bowp_classes(v.opts.rules, on)
        completeness = rulebridge.bowp_completeness_days(v.opts.rules, on)
        m.add_implication(node.present, pr.applicant[c.person])
        for (role, branch), lit in pr.branches.items():
            program = "PNP" if branch == "PNP" else "CEC"
            if role is c.person and program not in classes:
                m.add_implication(node.present, lit.Not())
        m.add(node.apply >= pr.submit).only_enforce_if(node.present)
        m.add_max_equality(node.start, [node.apply + c.processing_inside, pr.submit + completeness])
