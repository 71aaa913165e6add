"""A person's own candidate permits: PGWP, employer-specific, IEC and bridging (A75)."""

from __future__ import annotations

from solver.domain import Offer, Person, Role
from solver.options import rulebridge as rules_eligibility
from solver.options.household import could_apply_for_pr
from solver.options.options import Options, fee_cents
from solver.options.records import Candidate, DepotKind, Kind


def _pgwp(opts: Options, role: Role, person: Person) -> list[Candidate]:
    depot = opts.depots[role]
    if depot.kind is not DepotKind.STUDENT:
        return []
    out: list[Candidate] = []
    for i, edu in enumerate(person.education):
        first = opts.cal.day(edu.completion)
        window = opts.int_param("C43.application_window", "days", edu.completion)
        days = [
            d
            for d in opts.days(first, min(first + window, depot.end))
            if rules_eligibility.pgwp_ok(opts.rules, person, edu, opts.on(opts.cal.date(d)))
        ]
        if not days:
            continue
        months = rules_eligibility.pgwp_months(opts.rules, edu, opts.on(opts.cal.date(days[0])))
        out.append(
            Candidate(
                key=f"{role.value}:C43:{i}",
                person=role,
                code="C43",
                kind=Kind.PGWP,
                open=True,
                apply_days=tuple(days),
                processing_inside=opts.processing("C43", True, opts.cal.date(days[0])),
                processing_outside=opts.processing("C43", False, opts.cal.date(days[0])),
                months=months,
                fee_cents=fee_cents(opts, "C43", opts.cal.date(days[0])),
                rule_ids=("C43.application_window", "C43.duration", "C43.language", "C43.study_permit_required"),
            )
        )
    return out[:1]


def _employer(opts: Options, role: Role, person: Person) -> list[Candidate]:
    out: list[Candidate] = []
    for offer in opts.scenario.offers:
        if offer.holder is not role:
            continue
        job = next((j for j in opts.jobs if j.offer_ref == offer.ref), None)
        if job is None:
            continue
        out.extend(_offer_candidates(opts, role, person, offer))
    return out


def _offer_candidates(opts: Options, role: Role, person: Person, offer: Offer) -> list[Candidate]:
    as_of = opts.scenario.as_of
    last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
    code = rules_eligibility.offer_code(offer)
    if offer.lmia_exempt_code is not None:
        days = list(
            opts.eligible_days(0, last, person, lambda on: rules_eligibility.offer_ok(opts.rules, person, offer, on))
        )
        lmia = False
    else:
        days = list(opts.days(0, last))
        lmia = True
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    rule_ids = rules_eligibility.offer_rule_ids(opts.rules, person, offer, opts.on(d0))
    wait = 0 if not lmia or offer.lmia_approved else opts.int_param("TFWP.lmia", "processing_days", as_of)
    return [
        Candidate(
            key=f"{role.value}:{code}:{offer.ref}",
            person=role,
            code=code,
            kind=Kind.EMPLOYER,
            open=False,
            apply_days=tuple(days),
            processing_inside=wait + opts.processing(code, True, d0),
            processing_outside=wait + opts.processing(code, False, d0),
            months=rules_eligibility.offer_months(opts.rules, offer, opts.on(d0)),
            fee_cents=fee_cents(opts, code, d0),
            rule_ids=rule_ids,
            offer_ref=offer.ref,
            lmia=lmia,
        )
    ]


def _iec(opts: Options, role: Role, person: Person) -> list[Candidate]:
    if any(h.code == "C21" for h in person.permit_history):
        return []
    days = opts.eligible_days(
        0, opts.cal.horizon - 1, person, lambda on: rules_eligibility.iec_months(opts.rules, person, on) > 0
    )
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    return [
        Candidate(
            key=f"{role.value}:C21",
            person=role,
            code="C21",
            kind=Kind.IEC,
            open=True,
            apply_days=tuple(days),
            processing_inside=opts.processing("C21", True, d0),
            processing_outside=opts.processing("C21", False, d0),
            months=rules_eligibility.iec_months(opts.rules, person, opts.on(d0)),
            fee_cents=fee_cents(opts, "C21", d0),
            rule_ids=("C21.partner",),
        )
    ]


def _bridging(opts: Options, role: Role, person: Person) -> list[Candidate]:
    d0 = opts.scenario.as_of
    if not could_apply_for_pr(opts, person):
        return []
    return [
        Candidate(
            key=f"{role.value}:A75",
            person=role,
            code="A75",
            kind=Kind.BRIDGING,
            open=True,
            apply_days=opts.days(0, opts.cal.horizon - 1),
            processing_inside=opts.processing("A75", True, d0),
            processing_outside=opts.processing("A75", False, d0),
            months=opts.int_param("A75.validity", "months", d0),
            fee_cents=fee_cents(opts, "A75", d0),
            rule_ids=("A75.eligible_classes", "A75.completeness", "A75.status_at_application", "A75.validity"),
        )
    ]
