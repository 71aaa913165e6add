"""What the model plans over, as values: the day calendar, permit and depot kinds, jobs, candidates, depots."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from solver.dates import add_days, add_months
from solver.domain import Finding, PlanStep, Role, Scenario

# The plan step's action for an application (a family may name its own).
ACTION_APPLY = "APPLY_PERMIT"
# The plan step of an application already filed and pending on as_of.
ACTION_PENDING = "PENDING"
# The plan step of an application that extends an employer-specific permit for the same job (OFFER.extension).
ACTION_EXTEND = "EXTEND_PERMIT"
# The employer's side of an LMIA-based permit: filing the LMIA, and its expected decision.
ACTION_EMPLOYER_LMIA = "EMPLOYER_APPLIES_LMIA"
ACTION_LMIA_DECISION = "LMIA_DECISION"

# Days past the horizon that valid-from/valid-to tables cover (processing, ITA wait, completeness).
TABLE_SLACK_DAYS = 800


class After(enum.Enum):
    """What a permit may follow in a person's chain."""

    ANY = "ANY"
    STUDY_PERMIT = "STUDY_PERMIT"  # only the study permit held on as_of (C43.study_permit_required)
    WORK_PERMIT = "WORK_PERMIT"  # only a work permit, held or planned (A75.status_at_application)


class Validity(enum.Enum):
    """How a permit's last valid day is set."""

    MONTHS = "MONTHS"  # valid_from plus `months`, capped at the passport and the horizon
    JOB = "JOB"  # as MONTHS, then capped at the end of the job taken under the permit (its offer)
    FAMILY = "FAMILY"  # the family's own constraints set it (a spousal permit runs to the partner's)


class DepotKind(enum.Enum):
    """What a person holds on as_of: the start of their permit chain."""

    OUTSIDE = "OUTSIDE"
    STUDENT = "STUDENT"
    WORKER_OPEN = "WORKER_OPEN"
    WORKER_SPECIFIC = "WORKER_SPECIFIC"
    VISITOR = "VISITOR"
    NONE = "NONE"
    CANADIAN = "CANADIAN"  # a citizen or permanent resident: status and open work throughout, no permit


@dataclass(frozen=True)
class Calendar:
    """Day indexes: day 0 is as_of; the horizon H is exclusive."""

    as_of: dt.date
    horizon: int

    @staticmethod
    def of(scenario: Scenario) -> Calendar:
        """The calendar of a scenario."""
        end = add_months(scenario.as_of, scenario.horizon_months)
        return Calendar(scenario.as_of, (end - scenario.as_of).days)

    def day(self, d: dt.date) -> int:
        return (d - self.as_of).days

    def date(self, i: int) -> dt.date:
        return add_days(self.as_of, i)

    @property
    def table_size(self) -> int:
        return self.horizon + TABLE_SLACK_DAYS


@dataclass(frozen=True)
class Job:
    """A job a person may hold: from an offer, or the ongoing job of their work history."""

    key: str
    person: Role
    noc_code: str
    hours_per_week: float
    start_days: tuple[int, ...]
    months: int | None
    offer_ref: str | None = None
    self_employed: bool = False


@dataclass(frozen=True)
class Candidate:
    """One permit a person could apply for, with the days they may apply under the rules in force then.

    `family` names the module of solver/categories that built it and adds its own constraints. `source` and the
    fields from `after` on describe the permit's shape to the model's generic constraints, so the model never asks
    which category a permit is:
    - `source`: the partner's permit (node key) it rests on, held on its application day: applied for once that
      permit is issued (solver/model/constraints/earliest.py reads it so);
    - `after`: what it may follow in the chain;
    - `validity`: how its last day is set;
    - `issued_by_family`: its first valid day is set by the family, not apply + processing (A75 waits for R10);
    - `inside_only`: applied for only in Canada with status held (never from outside after leaving);
    - `exclusive_variants`: its variants (one per permit of the partner it rests on) exclude each other;
    - `work_while_pending`: the rule id that lets the holder work from the application day, if any;
    - `without_status`: the rule id under which it is filed from inside Canada after status ended and processed
      as from outside (the R197 PGWP, C43.study_permit_required): no restoration, no work until it is issued;
    - `action`: the plan step's action when it is applied for;
    - `prior_steps`: what another party does first for it (the employer's LMIA), shown in the plan with it;
    - `filed_on`: the real filing day of an application pending on as_of (a fact of the client file: applied
      for once, fee already paid, its day before as_of); `filed_outside`: that filing was made from outside
      Canada (R197 and the like), so it maintains no status.
    - `r199`: the rule id that lets a visitor in Canada apply for it inside Canada (R199: a family member of a
      permit holder) once the visitor policy (STATUS.visitor_work_permit) no longer does; None: a visitor
      applies for it for processing outside Canada.
    - `extends`: the node key of the permit it extends for the same job (OFFER.extension): it follows only that
      permit, applied for `extension_lead` days before that permit's last day (maintained status until the
      decision), and the job goes on at least until it is issued; `lmia` then means a new LMIA, which the
      employer files `extension_wait` days (TFWP.lmia) before the application, on as_of at the earliest. A
      family member's renewal extends their own permit too, filed with the partner's extension it matches
      (`filed_with_source`: applied for on the day `source` is, not once it is issued).
    """

    key: str
    person: Role
    code: str
    family: str
    open: bool
    apply_days: tuple[int, ...]
    processing_inside: int
    processing_outside: int
    months: int | None
    fee_cents: int
    rule_ids: tuple[str, ...]
    offer_ref: str | None = None
    source: str | None = None
    source_job: str | None = None
    validity_ref_months: tuple[int, ...] = ()
    lmia: bool = False
    fixed_end: int | None = None
    after: After = After.ANY
    validity: Validity = Validity.MONTHS
    issued_by_family: bool = False
    inside_only: bool = False
    exclusive_variants: bool = False
    work_while_pending: str | None = None
    without_status: str | None = None
    action: str = ACTION_APPLY
    prior_steps: tuple[PlanStep, ...] = ()
    filed_on: dt.date | None = None
    filed_outside: bool = False
    # What the rules would refuse a filing for on its day: a risk the plan reports, never a reason to drop it.
    filed_risks: tuple[Finding, ...] = ()
    r199: str | None = None
    # The employer's fees (compliance or LMIA) in cents; `fee_cents` is the client's, biometrics excluded.
    employer_fee_cents: int = 0
    extends: str | None = None
    extension_lead: int = 0
    extension_wait: int = 0
    filed_with_source: bool = False


@dataclass(frozen=True)
class Depot:
    """A person's status on as_of, as the first node of their chain."""

    person: Role
    kind: DepotKind
    end: int
    code: str | None = None

    @property
    def in_canada(self) -> bool:
        return self.kind is not DepotKind.OUTSIDE

    @property
    def works(self) -> bool:
        return self.kind in (DepotKind.WORKER_OPEN, DepotKind.WORKER_SPECIFIC, DepotKind.CANADIAN)

    @property
    def open_work(self) -> bool:
        """Any employer: an open work permit, or a Canadian's own right to work."""
        return self.kind in (DepotKind.WORKER_OPEN, DepotKind.CANADIAN)
