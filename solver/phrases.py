"""The plan's sentences as message ids with named arguments, and the one English template of each.

Where the solver words a sentence (a step's detail, a deadline's or a finding's message), it builds a Phrase
and renders its English from TEMPLATES, and the plan carries both: a reader's layer words the same key and
arguments in another language (api/present/sentences.py), and the English cannot drift from the key. Arguments
are values (ISO dates, codes, numbers); a part of the sentence that varies is a Phrase of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from solver.domain import Role

# Each key's English sentence, `{name}` for each argument. A key is never reworded: a new sentence is a new key.
TEMPLATES: Final = {
    # --- a step's detail ---
    "step.apply": "apply for the {name} ({code}) on {day} ({how})",
    "how.maintained": "by {day} to keep status",
    "how.without_status": "from inside Canada without status: processed as from outside Canada, no work until it "
    "is issued; leave and re-enter once approved",
    "how.restoration": "with restoration of status",
    "how.visitor": "for processing outside Canada: a visitor may not apply inside Canada; no maintained status",
    "how.outside": "from outside Canada",
    "step.extend": "apply to extend the {name} ({code}) for the job of offer {offer} on {day}, {lead} days before it "
    "ends ({how}); the job goes on under it",
    "step.renew_with": "apply to renew the {name} ({code}) on {day}, with the principal's extension, so that it "
    "runs to the extension's end ({how})",
    "step.lmia_extension": "the employer of offer {offer} applies to ESDC for a new LMIA by {day}, so that it is "
    "positive when the extension is applied for on {apply} (the LMIA fee is the employer's)",
    "step.passport": "renew the passport before applying: it caps the {code} at {day} instead of {uncapped}",
    "step.pending": "the {name} ({code}) applied for on {day} is pending (already filed, fees paid), decision "
    "expected {decided}; {meanwhile}",
    "step.pending_at_risk": "the {name} ({code}) applied for on {day} is pending (already filed, fees paid), "
    "decision expected {decided}; {meanwhile}; at risk of refusal ({risks})",
    "rule.reason": "{rule}: {reason}",
    "meanwhile.filed_outside": "filed from outside Canada: it maintains no status, and no work under it before "
    "approval",
    "meanwhile.maintained": "status maintained meanwhile with the conditions held (STATUS.maintained)",
    "meanwhile.maintained_work": "status maintained meanwhile with the conditions held (STATUS.maintained), "
    "full-time work allowed ({rule})",
    "meanwhile.restoration": "filed with restoration: no status and no work until it is approved (STATUS.restoration)",
    "meanwhile.outside": "filed from outside Canada",
    "step.restore": "restore status (lost after {lost}; restoration may be applied for until {until}) in the {code} "
    "application: the restoration fee ${fee} replaces the permit's processing fee; no work until the permit is "
    "issued on {day}",
    "step.job": "start the job from offer {offer} (NOC {noc})",
    "step.lmia_apply": "the employer of offer {offer} applies to ESDC for the LMIA on {day} (the LMIA fee is the "
    "employer's and may not be recovered from the worker)",
    "step.lmia_decision": "the LMIA for offer {offer} (filed {filed}) is expected to be positive by {day}: the work "
    "permit may be applied for from then, not before (a pending LMIA maintains no status)",
    "step.profile": "create the Express Entry profile as {program}-eligible",
    "step.submit": "submit the PR application ({program}) on the invitation, {days} days after the profile",
    "step.retake": "the language test expires before the PR submission on {day}: retake it",
    "step.submitted": "the PR application ({program}) submitted on {day} is in process ({aor}); {when}",
    "aor.received": "AOR received {day}",
    "aor.pending": "AOR not yet received",
    "when.approval": "approval expected {day}",
    "when.none": "no approval date within the plan (no processing time for this program in the rules)",
    # --- a deadline's message ---
    "deadline.keep_status": "apply for the {name} ({code}) by {day}, the last day of status, to keep it",
    "deadline.restoration": "status ended on {lost}: restoration may be applied for until {day}",
    "deadline.window": "the application window for the {code} (program completed {completed}) closes on {day}",
    "deadline.test": "the {test} test of {taken} is valid to {day}; {use} on {used_on} relies on it",
    "deadline.test_lapses": "the {test} test of {taken} is valid to {day}; {use} on {used_on} relies on it (it "
    "lapses before then: retake it)",
    "use.permit": "the {code} application",
    "use.pr": "the PR application",
    "deadline.ita": "the invitation of {invited} must be answered with a complete PR application by {day}",
    # --- a blocker ---
    "blocker.language": "a valid language test at CLB {need} (instead of {held} on that day) would make {person} "
    "ready on {day}",
    "blocker.language_only": "a valid language test at CLB {need} (instead of {held} on that day) would make "
    "{person} ready on {day} (PR is not reachable otherwise)",
    "held.clb": "CLB {clb}",
    "held.none": "no valid test",
    "blocker.experience": "{hours} hours of skilled (TEER 0-3) work in Canada are what PR readiness waits for; with "
    "them the language result would allow {day}: {change} would move it",
    "change.earlier_start": "an earlier start in a TEER 0-3 job",
    "change.offer": "a TEER 0-3 offer",
    "blocker.unreachable": "no PR program is reachable within the horizon: no path to the CEC hours with a valid "
    "language test, and no provincial nomination",
    "blocker.no_permit_to_restore": "{person}: no work permit is open to restore status with by {day}, the last day "
    "of restoration ({deadline}); restoring visitor status alone costs ${fee} (FEES.restoration) and allows no "
    "work. What would open a permit: {opens}",
    "opens.exempt_or_lmia": "a job offer under an LMIA-exempt code or with a positive LMIA",
    "blocker.unknown_loss": "{person}: in Canada without status and no day of loss is known (no permit in the "
    "history ended before {day}): restoration must be applied for within {days} days of losing status; if that is "
    "still possible, enter the permit that ended in the permit history, otherwise a permit is applied for from "
    "outside Canada",
    # --- why a route is closed (an eligibility condition that fails, or that the facts cannot decide) ---
    "reason.not_sponsoring": "the principal is not a Canadian citizen or permanent resident sponsoring the spouse",
    "reason.no_sponsorship_by": "no spousal sponsorship PR application submitted by {day}",
    "reason.needs_pr_aor": "needs the PR application submitted (AOR)",
    "reason.bowp_status": "not in Canada with a valid work permit, maintained status or eligibility to restore",
    "reason.pgwp_held": "already held a PGWP",
    "reason.not_enrolled": "principal is not enrolled in a Canadian program",
    "reason.outside_window": "outside the window {first} to {last}",
    "reason.occupation_decides": "the principal's occupation decides it",
    "reason.occupation_not_listed": "principal's NOC {noc} is not TEER 0/1 or a listed TEER 2/3 occupation",
    "reason.months_needed": "needs {months} months left",
    "reason.months_short": "principal's permit ends {day}: fewer than {months} months left",
    "reason.citizenship": "needs citizenship of {countries}",
    "reason.teer_above": "TEER {teer} is above {max} for {code}",
    "reason.clb_no_test": "needs CLB {clb} in all four abilities; no test on file",
    "reason.clb_short": "needs CLB {clb} in all four abilities on a test under {months} months old; best valid is "
    "{best}",
    "reason.field_of_study_unknown": "applies if the study permit was applied for on or after 2024-11-01",
    "reason.field_not_listed": "non-degree program whose field of study is not on IRCC's list",
    "reason.study_permit_unknown": "needs a study permit valid at application or in the 180 days before",
    "reason.no_study_permit": "no study permit valid in the {days} days before applying (ended {day})",
    "reason.not_eligible_dli": "not a Canadian post-secondary program at a PGWP-eligible DLI",
    "reason.program_too_short": "{months} months < {need}",
    "reason.not_full_time": "did not study full time",
    "reason.not_in_force": "not in force on {day}",
    "reason.principal_pgwp_pending": "principal's PGWP is still pending (R186(w) work does not qualify)",
    "reason.must_be_employed": "open-permit principal must be employed",
    "reason.no_valid_study_permit": "principal does not hold a valid study permit in Canada",
    "reason.part_time": "principal studies part time",
    "reason.not_moving_to_pr": "principal has no pending economic PR application and no nomination",
    "reason.no_work_permit": "principal holds no work permit on that date",
    "reason.partner_not_canadian": "the partner is not a Canadian citizen or permanent resident",
    "reason.a74_not_in_canada": "not in Canada (A74 is for a partner in Canada)",
    "reason.family_route_c49": "the principal has filed a PR application: the family's route is C49, not this code",
    "reason.family_scope": "from 2025-01-21 only for families of workers moving to PR (no PR application filed yet) "
    "or renewals",
    "reason.teer_not_low": "principal's NOC {noc} is TEER {teer}, not 4 or 5 (C41 is the skilled workers' spouse code)",
    "reason.child_only": "for a dependent child of the worker; the principal and the spouse cannot hold it",
    "reason.iec_age": "age {age} outside {min}-{max} ({country})",
    "reason.iec_participations": "all {count} participations used ({country})",
    "reason.needs_economic_pr": "needs an economic PR application as principal",
    "reason.class_not_eligible": "{program} is not eligible",
    "reason.nominee_uses_t13": "employer-restricted provincial nominees use T13, not a BOWP",
    "reason.pr_not_yet_submitted": "PR application not yet submitted on {day}",
    "reason.cec_hours": "{hours} counted hours in TEER 0-3 in the look-back (need {need})",
    "reason.cec_clb_no_test": "needs CLB {clb} in all four abilities",
    "reason.cec_clb_short": "needs CLB {clb} on a test valid that day (CEC.test_validity); best is {best}",
    "reason.officer_decides": "an officer decides it on evidence",
    "reason.french_needed": "needs French speaking and listening at NCLC {nclc}",
    "reason.french_short": "French speaking/listening NCLC {level} < {nclc}",
    "reason.job_in_quebec": "job in Quebec",
    "reason.occupation_not_eligible": "occupation not eligible (TEER or primary agriculture)",
    "reason.not_atlantic": "not an Atlantic province",
    "reason.needs_endorsement": "needs a provincial endorsement",
    "reason.no_nomination_by_then": "no provincial nomination by the application date",
    "reason.nominated_elsewhere": "nominated by {nominated} but the offer is in {province}",
    "reason.not_cusma_listed": "NOC {noc} not in our CUSMA list",
    "reason.needs_us_mx": "needs US or Mexican citizenship",
    "reason.no_offer_under": "no job offer under {code}",
    "reason.partner_canadian": "the partner is Canadian: no permit of theirs to rest on (a sponsored partner uses A74)",
    "reason.spouse_only": "only the accompanying spouse of the principal can hold it",
    "reason.no_canadian_program": "no Canadian post-secondary program",
    "reason.no_nomination": "no provincial nomination",
    "reason.nomination_not_yet": "nomination not yet issued",
    "reason.ict_exhausted": "ICT time exhausted ({used} of {total})",
    "reason.iec_not_partner": "no citizenship ({countries}) is an IEC partner offering {stream}",
    "reason.iec_no_citizenship": "no citizenship (none) is an IEC partner offering {stream}",
    # --- an offer that cannot be read ---
    "reason.offer_noc_invalid": "offer NOC {noc} is not a NOC 2021 code",
    "reason.not_offer_code": "{code} is not an employer-specific category an offer can ground",
    # --- a condition that holds (an eligibility answer's passing reason) ---
    "met.citizenship": "citizenship qualifies",
    "met.teer_fits": "TEER {teer} fits {code}",
    "met.ict_months": "{used} of {total} ICT months used",
    "met.lmia": "positive LMIA",
    "met.lmia_first": "employer must first obtain a positive LMIA ({filed}; about {days} days)",
    "lmia.filed": "filed {day}",
    "lmia.not_filed": "not filed yet",
    "met.french": "French NCLC {level} >= {nclc}",
    "met.outside_quebec": "job in {province}, outside Quebec",
    "met.occupation_eligible": "occupation eligible",
    "met.atlantic": "Atlantic province",
    "met.nominated_for_offer": "nominated by {nominated}, offer in {province}",
    "met.cusma_profession": "NOC {noc} maps to a CUSMA profession",
    "met.us_mx": "US or Mexican citizen",
    "met.nominated": "nominated by {province}",
    "met.class_eligible": "{program} is an eligible class",
    "met.pr_submitted": "PR application submitted {day}",
    "met.bowp_status": "in Canada with a valid work permit, maintained status or eligibility to restore",
    "met.cec_hours": "{hours} counted hours in TEER 0-3 (need {need})",
    "met.cec_clb": "CLB {best} on a valid test meets CLB {clb}",
    "met.iec_age": "age {age} within {min}-{max} ({country})",
    "met.iec_participations": "{used} of {count} participations used ({country})",
    "met.iec": "{country} citizen aged {age}: {stream} for {months} months",
    "met.no_language_requirement": "no language requirement for PGWPs applied for before 2024-11-01",
    "met.pgwp_clb": "CLB {best} on a test under {months} months old meets CLB {clb}",
    "met.field_not_applicable": "field of study does not apply (degree program or PGWP applied for before 2024-11-01)",
    "met.study_permit_taken_before": "study permit taken as applied for before 2024-11-01 (program started earlier)",
    "met.study_permit_applied": "study permit applied for on {day}, before 2024-11-01",
    "met.field_listed": "field of study is on IRCC's list",
    "met.study_permit_valid": "study permit valid to {day}: in-Canada application",
    "met.study_permit_lookback": "study permit valid within the {days} days before applying (ended {day})",
    "met.eligible_dli": "Canadian post-secondary program at a PGWP-eligible DLI",
    "met.program_length": "{months} months >= {need}",
    "met.full_time": "studied full time",
    "met.in_window": "within the window {first} to {last}",
    "met.no_earlier_pgwp": "no earlier PGWP",
    "met.occupation_listed": "principal works in NOC {noc}, an eligible occupation",
    "met.months_left": "principal's permit valid to {day}: {months}+ months left",
    "met.principal_employed": "open-permit principal employed in NOC {noc}",
    "met.principal_study_permit": "principal holds a valid study permit and lives in Canada",
    "met.principal_full_time": "principal studies full time",
    "met.program_qualifying": "{credential} program ({months} months) qualifies",
    "met.principal_pr_pending": "principal has a pending economic PR application",
    "met.principal_nominated": "principal holds a provincial nomination",
    "met.principal_work_permit": "principal holds a work permit",
    "met.sponsored_by": "sponsored by a partner who is a {status}",
    "status.citizen": "citizen",
    "status.permanent_resident": "permanent resident",
    "status.foreign_national": "foreign national",
    "met.in_sponsorship": "included in a spousal sponsorship PR application submitted",
    "met.in_canada": "in Canada",
    "met.scope_before_limit": "open to new applications before 2025-01-21",
    "met.renewal": "in-Canada renewal of a {code} matching the principal's permit",
    "met.nominee_moving_to_pr": "the principal, nominated by a province, is moving to PR and has not filed yet",
    "met.teer_of": "principal works in NOC {noc}, TEER {teer}",
    # --- a note beside an eligibility answer (a risk or a consequence; the verdict stands) ---
    "note.ict_experience": "needs one year of full-time work for the company in the last 3 years (a document)",
    "note.completeness_check": "issued after the R10 completeness check (about {day})",
    "note.old_four_months": "risk only: permit ends more than {months} months later (old rule)",
    "note.cec_exclusions": "self-employment, full-time-student and unauthorized work and work abroad not counted",
    "note.iec_invitation": "after an invitation: 10 days to accept, then 20 days to apply",
    "note.work_while_pending": "may work full time while the application is pending (R186(w))",
    "note.r197": "study permit expired: R197 application from inside Canada with no right to work",
    # --- the facts a route waits for (CategoryEligibility.missing names them in English) ---
    "fix.facts": "the facts that decide it: {facts}",
    "comma": "{first}, {rest}",
    "fact.provincial_endorsement": "provincial endorsement",
    "fact.business_evidence": "business evidence",
    "fact.french_results": "French test results",
    "fact.cusma_profession": "CUSMA profession",
    "fact.significant_benefit": "significant benefit assessment",
    "fact.business_plan": "business plan and significant benefit assessment",
    "fact.reciprocal_arrangement": "reciprocal arrangement",
    "fact.postdoc": "post-doctoral fellowship",
    "fact.research_award": "academic award for research",
    "fact.religious": "religious organization and duties",
    "fact.charitable": "charitable organization and duties",
    "fact.trade": "substantial trade with the US or Mexico",
    "fact.investment": "substantial investment",
    "fact.pr_class": "PR application class",
    "fact.pr_date": "PR application date",
    "fact.language_test": "language test",
    "fact.study_permit_end": "study permit end",
    "fact.study_permit_applied": "study permit application date",
    "fact.principal_occupation": "principal's occupation",
    "fact.principal_employment": "principal's employment",
    "fact.principal_permit_end": "principal's work permit end",
    "fact.moving_to_pr": "whether the principal is moving to PR",
    "reason.program_not_qualifying": "{credential} program ({months} months) does not qualify",
    "credential.secondary": "secondary",
    "credential.certificate": "certificate",
    "credential.diploma": "diploma",
    "credential.advanced_diploma": "advanced_diploma",
    "credential.post_graduate_certificate": "post_graduate_certificate",
    "credential.bachelor": "bachelor",
    "credential.master": "master",
    "credential.doctoral": "doctoral",
    "credential.professional_degree": "professional_degree",
    # --- a route open on a day that the plan does without ---
    "route.open_not_planned": "open (eligible on {day}) but not planned here: apply for it beside the plan",
    "route.not_needed_job": "not needed: the plan holds the job from offer {offer} on another permit (eligible on "
    "{day})",
    "route.not_needed_pr": "not needed: the plan reaches PR by {ready} without it (eligible on {day})",
    "route.not_chosen": "not chosen: the plan is no better with it (PR is not reachable within the horizon either "
    "way) (eligible on {day})",
    # --- a closed route in the explanation ---
    "why_not": "{route} is not open to the {person}: {reason}",
    "route.named": "{name} ({code})",
    "route.named_offer": "{name} ({code}) (offer {offer})",
    "reason.with_fix": "{reason}; would open it: {fix}",
    "reason.with_fix_by": "{reason}; would open it: {fix} by {day}",
    # --- what would open a closed route ---
    "fix.bowp_pr_application": "an economic PR application submitted in Canada while in worker status, or while "
    "worker status can still be restored, opens {code}",
    "fix.spousal_sponsorship": "a spousal sponsorship PR application by the Canadian partner, submitted while this "
    "partner is in Canada with status, opens {code}",
    "fix.pgwp_language": "a CLB {clb} result in all four abilities (a test under {months} months old) before "
    "applying by {day} opens {code}",
    "fix.pgwp_study_permit": "a new study permit (it needs a letter of acceptance from a DLI) restores status; file "
    "the {code} with it by {day}",
    "route.fix": "{code}: {fix}",
    # --- a closed route with no reasons, as a plan diff's finding (solver/compare.py) ---
    "route.line": "{name}: {fix}",
    "route.not_needed": "not needed",
    "route.fix_by": "{code}: {fix} (by {day})",
    "each": "{first}; {rest}",
    # --- the invitation the PR steps assume ---
    "invitation.wait": "assumed {days} days from entering the pool on {day} to an invitation (PR submission "
    "{submit}); set itaWaitDays to plan with another wait",
    "cutoff.reached": "CRS {score} on {day} reaches the recent cut-off of {cutoff} ({draw} draw of {drawn})",
    "cutoff.none": "CRS {score} on {day}: no recent cut-off recorded for {draws} draws, the draws this profile "
    "enters; the invitation the plan assumes cannot be compared with one",
    "cutoff.none_any": "CRS {score} on {day}: no recent cut-off recorded for any draws, the draws this profile "
    "enters; the invitation the plan assumes cannot be compared with one",
    "cutoff.below": "risk: CRS {score} on {day} is below every recent cut-off of the draws this profile enters: "
    "{ranges}; {gap} points short of the lowest ({cutoff}, {draw} draw of {drawn}): the invitation the plan assumes "
    "may not come",
    "cutoff.below_missing": "risk: CRS {score} on {day} is below every recent cut-off of the draws this profile "
    "enters: {ranges}; {gap} points short of the lowest ({cutoff}, {draw} draw of {drawn}); no cut-off recorded for "
    "{draws} draws: the invitation the plan assumes may not come",
    "cutoff.range": "{draw} {low}-{high} (latest {latest} on {day})",
    "cutoff.levers": "{risk}. Levers: {levers}",
    "lever.line": "{lever} {points} -> {total} ({rule})",
    "lever.reaches": "{lever} {points} -> {total} reaches it ({rule})",
    "lever.nomination": "a provincial nomination",
    "lever.job_offer": "a job offer (0 since {day})",
    "lever.retest": "a retest at CLB {clb} in every ability",
    "lever.french": "French results at NCLC {nclc} in every ability",
    "lever.spouse_test": "the spouse's language test at CLB {clb}",
    "lever.one_more_year": "one more year of skilled work in Canada (scored a year later, age included)",
    # --- a pin and why it cannot hold ---
    "pin.apply": "{person} applies for {code}",
    "pin.apply_on": "{person} applies for {code} on {day}",
    "pin.apply_window": "{person} applies for {code} from {start} to {end}",
    "pin.as_of": "asOf",
    "pin.horizon": "the horizon",
    "pin.exclude": "{person} does not apply for {code}",
    "pin.take_offer": "{person} takes offer {offer}",
    "pin.lead_pr": "{person} leads PR",
    "pin.lead_pr_under": "{person} leads PR under {program}",
    "pin.refused": "pins[{index}] ({pin}) cannot hold: {reason}; the plan is made without it",
    "pin.unfound": "pins[{index}] ({pin}) cannot hold: no plan holding it was found within the time limit; try a "
    "longer timeLimitMs or without the pin",
    "pin.window_only": "{code} may be applied for from {first} to {last} only",
    "pin.offer_outside": "offer {offer} cannot start within the plan's horizon",
    "pin.no_application": "no application for {code} is possible within the plan's horizon",
    "pin.already_submitted": "{person} already submitted the PR application",
    "pin.no_permit_for_offer": "no permit the plan can hold authorizes the job of offer {offer}",
    "pin.conflict": "it conflicts with the other pins or with the permits the plan must hold",
    # --- the explanation: each step with the rules it rests on ---
    "explain.step": "{person}: {step}: {rules}",
    "and": "{first} and {rest}",
    # --- words inside sentences ---
    "role.principal": "principal",
    "role.spouse": "spouse",
}


_FACTS: Final = {template: key for key, template in TEMPLATES.items() if key.startswith("fact.")}


@dataclass(frozen=True)
class Arg:
    """One named argument of a phrase: a value as written (an ISO date, a code, a number), or a phrase."""

    name: str
    value: str = ""
    phrase: Phrase | None = None


@dataclass(frozen=True)
class Phrase:
    """A sentence as its key in TEMPLATES and its arguments (kept as plain fields so a stored plan reads back)."""

    key: str
    args: tuple[Arg, ...] = ()

    @classmethod
    def of(cls, key: str, **args: str | int | Phrase) -> Phrase:
        """The phrase `key` with `args`; a key TEMPLATES does not hold, or a missing argument, is a bug."""
        phrase = cls(
            key,
            tuple(
                Arg(name, phrase=value) if isinstance(value, Phrase) else Arg(name, str(value))
                for name, value in args.items()
            ),
        )
        phrase.english()
        return phrase

    def english(self) -> str:
        """The sentence in English, from TEMPLATES."""
        return self.render(TEMPLATES.__getitem__)

    def render(self, template: Callable[[str], str], value: Callable[[Arg], str] = lambda arg: arg.value) -> str:
        """The sentence with `template` giving each key's wording and `value` each plain argument's."""
        words = {
            arg.name: arg.phrase.render(template, value) if arg.phrase is not None else value(arg) for arg in self.args
        }
        return template(self.key).format(**words)


def fact(name: str) -> str | Phrase:
    """A missing fact by the name eligibility gives it ("language test"); a name with no key stays as given."""
    key = _FACTS.get(name)
    return name if key is None else Phrase.of(key)


def role(person: Role) -> Phrase:
    """A person named by role inside a sentence ("principal", "spouse")."""
    return Phrase.of(f"role.{person.value.lower()}")


def all_of(items: Sequence[str | Phrase], joint: str = "and") -> str | Phrase:
    """Items joined by `joint` ("and"; "each": a semicolon; "comma"), each join its own phrase, so a language words
    it."""
    if len(items) == 1:
        return items[0]
    return Phrase.of(joint, first=items[0], rest=all_of(items[1:], joint))
