"""Why not: each plausible route a plan leaves out names the rule that closes it, the fact, and what would open it."""

from __future__ import annotations

import dataclasses

import pytest

from solver.domain import (
    ClosedRoute,
    Credential,
    Education,
    Finding,
    InstitutionKind,
    Nomination,
    Plan,
    PlanOptions,
    Role,
    Scenario,
    Status,
    StatusKind,
)
from solver.rules.registry import load_rules
from solver.scenario_json import plan_to_json
from solver.solve import plan
from solver.validate import check_plan
from tests.solver.factories import D, abroad, graduate, offer

AS_OF = D("2026-12-01")
OPTIONS = PlanOptions(time_limit_ms=20_000)


def solved(scenario: Scenario) -> Plan:
    result = plan(scenario, OPTIONS)
    check_plan(scenario, result, OPTIONS)
    return result


def route(result: Plan, role: Role, code: str) -> ClosedRoute:
    found = [r for r in result.closed_routes if r.person is role and r.code == code]
    assert len(found) == 1, [(r.person, r.code) for r in result.closed_routes]
    return found[0]


def cites(rule_id: str, effective: str) -> tuple[str, str | None, str | None]:
    """A reason's (rule id, source, effective date) as the registry has them."""
    return (rule_id, load_rules().source(rule_id), effective)


def citations(r: ClosedRoute) -> list[tuple[str, str | None, str | None]]:
    return [(f.rule_id, f.source, None if f.effective is None else f.effective.isoformat()) for f in r.reasons]


def test_a_clb_6_graduate_is_told_the_clb_and_the_last_day_it_helps() -> None:
    # A university bachelor's needs CLB 7 (C43.language university_clb); the window closes completion + 180 days.
    result = solved(Scenario(AS_OF, graduate(clb=6)))
    r = route(result, Role.PRINCIPAL, "C43")
    assert [p.code for p in result.permits if p.person is Role.PRINCIPAL] == []
    assert citations(r) == [cites("C43.language", "2025-03-11")]
    assert r.reasons[0].message == ("needs CLB 7 in all four abilities on a test under 24 months old; best valid is 6")
    assert r.fix == (
        "a CLB 7 result in all four abilities (a test under 24 months old) before applying by 2027-05-19 opens C43"
    )
    assert r.fix_by == D("2027-05-19")


def test_a_field_of_study_not_on_the_list_closes_the_pgwp_with_no_fix() -> None:
    person = graduate(credential=Credential.DIPLOMA, institution=InstitutionKind.COLLEGE, length_months=24)
    edu = dataclasses.replace(person.education[0], field_of_study_eligible=False, start=D("2025-01-06"))
    edu = dataclasses.replace(edu, study_permit_applied_on=D("2024-11-20"))
    result = solved(Scenario(AS_OF, dataclasses.replace(person, education=(edu,))))
    r = route(result, Role.PRINCIPAL, "C43")
    assert citations(r) == [cites("C43.field_of_study", "2024-11-01")]
    assert (r.fix, r.fix_by) == (None, None)


def test_a_7_month_program_closes_the_pgwp_on_its_length_with_no_fix() -> None:
    result = solved(Scenario(AS_OF, graduate(credential=Credential.CERTIFICATE, length_months=7)))
    r = route(result, Role.PRINCIPAL, "C43")
    assert citations(r) == [cites("C43.min_program_length", "1900-01-01")]
    assert r.reasons[0].message == "7 months < 8"
    assert (r.fix, r.fix_by) == (None, None)


def _student_of_a_12_month_masters() -> Scenario:
    masters = Education(
        credential=Credential.MASTER,
        institution=InstitutionKind.UNIVERSITY,
        canadian=True,
        start=D("2026-09-08"),
        completion=D("2027-08-31"),
        pgwp_eligible_dli=True,
        length_months=12,
        study_permit_applied_on=D("2026-04-01"),
    )
    principal = dataclasses.replace(
        graduate(), education=(masters,), status=Status(StatusKind.STUDENT, D("2027-11-30"))
    )
    # A Japanese citizen of 36: past the Working Holiday's age limit of 30 (C21.partner).
    spouse = abroad("JP", birth_date=D("1990-06-01"))
    return Scenario(AS_OF, principal, spouse)


def test_the_spouse_of_a_12_month_masters_student_hears_why_not_c42_iec_and_a74() -> None:
    result = solved(_student_of_a_12_month_masters())
    c42 = route(result, Role.SPOUSE, "C42")
    assert citations(c42) == [cites("C42.principal_program", "2025-01-21")]
    assert c42.reasons[0].message == "master program (12 months) does not qualify"
    iec = route(result, Role.SPOUSE, "C21")
    assert citations(iec) == [cites("C21.partner", "2025-04-01")]
    assert iec.reasons[0].message == "age 36 outside 18-30 (JP)"
    assert (iec.fix, iec.fix_by) == (None, None)
    a74 = route(result, Role.SPOUSE, "A74")
    assert [f.rule_id for f in a74.reasons] == ["A74.sponsored_spouse"]
    # The principal's own routes are the principal's: a spousal permit is never plausible for the principal.
    assert {r.code for r in result.closed_routes if r.person is Role.PRINCIPAL} <= {"C43", "A75"}


def test_a_route_open_but_not_chosen_says_so_instead_of_a_failure() -> None:
    # A Korean graduate of 26 with a skilled offer: a Working Holiday and the offer's LMIA permit are both open,
    # but the PGWP (in the plan) carries the job to the CEC.
    scenario = Scenario(AS_OF, graduate(citizenships=("KR",)), offers=(offer("lab", "21231", "2027-01-04"),))
    result = solved(scenario)
    assert [p.code for p in result.permits] == ["C43"]
    assert result.pr_ready_date == D("2028-01-03")
    iec = route(result, Role.PRINCIPAL, "C21")
    assert [f.message for f in iec.reasons] == [
        "not needed: the plan reaches PR by 2028-01-03 without it (eligible on 2026-12-01)"
    ]
    assert citations(iec) == [cites("C21.partner", "2025-04-01")]
    assert (iec.fix, iec.fix_by) == (None, None)
    lmia = route(result, Role.PRINCIPAL, "TFWP")
    assert lmia.offer_ref == "lab"
    assert [f.message for f in lmia.reasons] == [
        "not needed: the plan holds the job from offer lab on another permit (eligible on 2026-12-01)"
    ]


def test_no_route_is_listed_that_the_plan_holds() -> None:
    result = solved(Scenario(AS_OF, graduate()))
    held = {(p.person, p.code) for p in result.permits}
    assert held and not held & {(r.person, r.code) for r in result.closed_routes}


@pytest.mark.parametrize("clb", [6, 8])
def test_every_finding_the_plan_carries_cites_source_and_effective_date(clb: int) -> None:
    rules = load_rules()
    result = solved(Scenario(AS_OF, graduate(clb=clb)))
    findings: list[Finding] = [*result.blockers, *result.explanation]
    findings += [f for r in result.closed_routes for f in r.reasons]
    assert findings
    for f in findings:
        assert f.rule_id in rules, f
        assert f.source == rules.source(f.rule_id)
        assert f.effective is not None
        assert f.effective in {v.effective for v in rules.rule(f.rule_id).versions}


def test_the_explanation_cites_the_version_in_force_on_the_step() -> None:
    rules = load_rules()
    result = solved(Scenario(AS_OF, graduate()))
    for step, f in zip([s for s in result.steps if s.rule_ids], result.explanation, strict=True):
        version = rules.rule(f.rule_id).at(step.date)
        assert version is not None
        assert f.effective == version.effective


def test_the_contract_operation_hears_why_not_through_the_explanation() -> None:
    # PlanScenario selects blockers, explanation and steps only: a closed route's reason and fix reach it there,
    # as check.py reads findings (a C43.* finding that mentions the CLB); a route open and not needed does not.
    result = solved(Scenario(AS_OF, graduate(clb=6)))
    explanation = plan_to_json(result)["explanation"]
    language = [f for f in explanation if f["ruleId"] == "C43.language"]
    assert [f["message"] for f in language] == [
        "Post-graduation work permit (C43) is not open to the principal: needs CLB 7 in all four abilities on a "
        "test under 24 months old; best valid is 6; would open it: a CLB 7 result in all four abilities (a test "
        "under 24 months old) before applying by 2027-05-19 opens C43"
    ]
    assert language[0]["source"] == load_rules().source("C43.language")
    korean = solved(Scenario(AS_OF, graduate(citizenships=("KR",)), offers=(offer("lab", "21231", "2027-01-04"),)))
    assert not [f for f in korean.explanation if "not needed" in f.message]
    assert route(korean, Role.PRINCIPAL, "C21").open


def test_the_spouse_of_a_nominee_abroad_hears_why_not_c49() -> None:
    # A provincial nominee living abroad holds no work permit in Canada: C49 rests on the principal being
    # authorized to work on a valid work permit (C49.principal_pr_applicant and the partner's permit it rests on).
    principal = dataclasses.replace(abroad("IN"), provincial_nomination=Nomination("ON", D("2026-11-01")))
    result = solved(Scenario(AS_OF, principal, abroad("IN", birth_date=D("1994-02-02"))))
    c49 = route(result, Role.SPOUSE, "C49")
    assert not c49.open and c49.reasons
    assert all(f.source and f.effective for f in c49.reasons)
