"""The field checks of the client file (solver/fields.py): pending and submitted applications, biometrics, a
Canadian member, children and an offer's LMIA application day; each error names its contract path and what
is allowed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from solver.domain import (
    CanadianStatus,
    Child,
    HeldPermit,
    Offer,
    PendingApplication,
    Person,
    PrApplication,
    Role,
    Scenario,
    Status,
    StatusKind,
)
from solver.fields import check_application_code, check_pr_program, validate_scenario
from solver.rules.registry import load_rules

AS_OF = dt.date(2026, 6, 1)
PRINCIPAL = Person(
    birth_date=dt.date(1994, 2, 1),
    citizenships=("IN",),
    in_canada=True,
    status=Status(kind=StatusKind.WORKER, valid_to=dt.date(2026, 7, 31), permit_code="C43"),
    permit_history=(HeldPermit("C43", dt.date(2023, 8, 1), dt.date(2026, 7, 31)),),
    pending_applications=(PendingApplication(code="C10", applied_on=dt.date(2026, 5, 20), offer_ref="acme"),),
    pr_application=PrApplication(program="CEC", submitted_on=dt.date(2026, 3, 1), aor_on=dt.date(2026, 3, 20)),
    biometrics_given_on=dt.date(2023, 6, 1),
)
SPOUSE = Person(
    birth_date=dt.date(1993, 5, 5),
    citizenships=("CA",),
    in_canada=True,
    canadian_status=CanadianStatus.CITIZEN,
)
BASE = Scenario(
    as_of=AS_OF,
    principal=PRINCIPAL,
    spouse=SPOUSE,
    offers=(
        Offer("acme", Role.PRINCIPAL, "21231", "ON", 40, dt.date(2026, 7, 1), lmia_exempt_code="C10"),
        Offer("lmia", Role.PRINCIPAL, "21231", "ON", 40, dt.date(2026, 9, 1), lmia_applied_on=dt.date(2026, 4, 2)),
    ),
    children=(Child(birth_date=dt.date(2021, 1, 1), citizenships=("CA", "IN"), in_canada=True),),
)


def _principal(**changes: Any) -> Scenario:
    return dataclasses.replace(BASE, principal=dataclasses.replace(PRINCIPAL, **changes))


def _spouse(**changes: Any) -> Scenario:
    return dataclasses.replace(BASE, spouse=dataclasses.replace(SPOUSE, **changes))


def _pending(**changes: Any) -> Scenario:
    return _principal(pending_applications=(dataclasses.replace(PRINCIPAL.pending_applications[0], **changes),))


def _pr(**changes: Any) -> Scenario:
    assert PRINCIPAL.pr_application is not None
    return _principal(pr_application=dataclasses.replace(PRINCIPAL.pr_application, **changes))


def _offer(i: int, **changes: Any) -> Scenario:
    offers = list(BASE.offers)
    offers[i] = dataclasses.replace(offers[i], **changes)
    return dataclasses.replace(BASE, offers=tuple(offers))


def _child(**changes: Any) -> Scenario:
    return dataclasses.replace(BASE, children=(dataclasses.replace(BASE.children[0], **changes),))


def test_the_whole_file_is_valid() -> None:
    assert validate_scenario(BASE) == ()


def test_a_pending_application_may_be_any_catalog_category_tfwp_and_pre_2022_codes_included() -> None:
    assert [check_application_code(code) for code in ("C43", "TFWP", "A75", "T23")] == [None] * 4
    assert validate_scenario(_pending(code="TFWP", offer_ref="lmia")) == ()


def test_the_pr_programs_are_the_rule_s() -> None:
    programs = load_rules().param("PR.programs", "programs", AS_OF)
    assert programs == ["CEC", "FSW", "FST", "PNP", "QSW", "SPOUSAL", "FAMILY", "AIP"]
    assert [check_pr_program(p, AS_OF) for p in programs] == [None] * len(programs)


ALLOWED_PROGRAMS = "allowed: CEC, FSW, FST, PNP, QSW, SPOUSAL, FAMILY, AIP"
CITIZEN = "a citizen (canadianStatus)"


@pytest.mark.parametrize(
    ("scenario", "path", "message"),
    [
        (
            _pending(code="Z99"),
            "principal.pendingApplications[0].code",
            "'Z99' is not a permit category of the catalog",
        ),
        (
            _pending(applied_on=dt.date(2026, 6, 2)),
            "principal.pendingApplications[0].appliedOn",
            "2026-06-02 is after asOf 2026-06-01; a pending application was filed on or before asOf",
        ),
        (
            _pending(offer_ref="nobody"),
            "principal.pendingApplications[0].offerRef",
            "no offer has ref 'nobody'; the offers' refs: 'acme', 'lmia'",
        ),
        (
            _offer(0, holder=Role.SPOUSE),
            "principal.pendingApplications[0].offerRef",
            "offer 'acme' is held by SPOUSE; an application rests on an offer its applicant holds",
        ),
        (
            _principal(pending_applications=PRINCIPAL.pending_applications * 2),
            "principal.pendingApplications[1].code",
            "C10 is pending in an earlier application of this person; at most one pending application per category "
            "and person",
        ),
        (
            _pr(program="EE"),
            "principal.prApplication.program",
            f"'EE' is not a permanent-residence program (PR.programs); {ALLOWED_PROGRAMS}",
        ),
        (
            _pr(submitted_on=dt.date(2026, 6, 2), aor_on=None),
            "principal.prApplication.submittedOn",
            "2026-06-02 is after asOf 2026-06-01; a submitted application was submitted by asOf",
        ),
        (
            _pr(aor_on=dt.date(2026, 2, 1)),
            "principal.prApplication.aorOn",
            "aorOn 2026-02-01 is before submittedOn 2026-03-01",
        ),
        (
            _pr(aor_on=dt.date(2026, 6, 2)),
            "principal.prApplication.aorOn",
            "2026-06-02 is after asOf 2026-06-01; an acknowledgement not yet received is null",
        ),
        (
            _principal(biometrics_given_on=dt.date(2026, 6, 2)),
            "principal.biometricsGivenOn",
            "2026-06-02 is after asOf 2026-06-01",
        ),
        (
            _principal(biometrics_given_on=dt.date(1994, 2, 1)),
            "principal.biometricsGivenOn",
            "1994-02-01 is not after birthDate 1994-02-01",
        ),
        (
            _principal(medical_exam_on=dt.date(2026, 6, 2)),
            "principal.medicalExamOn",
            "2026-06-02 is after asOf 2026-06-01",
        ),
        (
            _principal(medical_exam_on=dt.date(1994, 2, 1)),
            "principal.medicalExamOn",
            "1994-02-01 is not after birthDate 1994-02-01",
        ),
        (
            _offer(1, lmia_applied_on=dt.date(2026, 6, 2)),
            "offers[1].lmiaAppliedOn",
            "2026-06-02 is after asOf 2026-06-01; an LMIA not yet applied for is null",
        ),
        (
            _offer(0, lmia_applied_on=dt.date(2026, 4, 2)),
            "offers[0].lmiaAppliedOn",
            "an offer under LMIA-exempt code C10 needs no LMIA; give lmiaAppliedOn only for an offer without "
            "lmiaExemptCode",
        ),
        (_child(birth_date=AS_OF), "children[0].birthDate", "2026-06-01 is not before asOf 2026-06-01"),
        (_child(citizenships=()), "children[0].citizenships", "at least one citizenship is required"),
        (
            _child(citizenships=("XX",)),
            "children[0].citizenships[0]",
            "'XX' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. IN, FR, US)",
        ),
        (
            _spouse(status=Status(kind=StatusKind.VISITOR, valid_to=dt.date(2026, 9, 1))),
            "spouse.status",
            f"must be empty for {CITIZEN}: a Canadian needs no temporary status, permit or PR application",
        ),
        (
            _spouse(pending_applications=(PendingApplication(code="A74", applied_on=dt.date(2026, 1, 5)),)),
            "spouse.pendingApplications",
            f"must be empty for {CITIZEN}: a Canadian needs no temporary status, permit or PR application",
        ),
        (
            _spouse(permit_history=(HeldPermit("C41", dt.date(2020, 1, 1), dt.date(2021, 1, 1)),)),
            "spouse.permitHistory",
            f"must be empty for {CITIZEN}: a Canadian needs no temporary status, permit or PR application",
        ),
        (
            _spouse(in_canada=False),
            "spouse.inCanada",
            f"must be true for {CITIZEN}: the planner takes a Canadian member as in Canada",
        ),
        (
            _principal(
                canadian_status=CanadianStatus.PERMANENT_RESIDENT,
                status=None,
                permit_history=(),
                pending_applications=(),
                pr_application=None,
            ),
            "spouse.canadianStatus",
            "both members are Canadian; at most one member may be a citizen or permanent resident (the household "
            "is planned for the foreign national)",
        ),
    ],
)
def test_each_fact_of_the_file_is_checked(scenario: Scenario, path: str, message: str) -> None:
    errors = validate_scenario(scenario)
    assert [e.path for e in errors] == [path]
    assert errors[0].message.startswith(message), errors[0].message


def test_an_unknown_application_code_lists_the_catalog_codes() -> None:
    (error,) = validate_scenario(_pending(code="Z99"))
    assert "TFWP" in error.message and "C43" in error.message and "a code used before 2022-12-15" in error.message
