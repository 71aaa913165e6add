"""What the model plans over, as values: the day calendar, permit and depot kinds, jobs, candidates, depots."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from solver.dates import add_days, add_months
from solver.domain import Role, Scenario

# Days past the horizon that valid-from/valid-to tables cover (processing, ITA wait, completeness).
TABLE_SLACK_DAYS = 800


class Kind(enum.Enum):
    PGWP = "PGWP"
    IEC = "IEC"
    SPOUSE_OF_STUDENT = "SPOUSE_OF_STUDENT"
    SPOUSE_OF_WORKER = "SPOUSE_OF_WORKER"
    EMPLOYER = "EMPLOYER"
    SPOUSE_OF_PR_APPLICANT = "SPOUSE_OF_PR_APPLICANT"
    BRIDGING = "BRIDGING"


class DepotKind(enum.Enum):
    """What a person holds on as_of: the start of their permit chain."""

    OUTSIDE = "OUTSIDE"
    STUDENT = "STUDENT"
    WORKER_OPEN = "WORKER_OPEN"
    WORKER_SPECIFIC = "WORKER_SPECIFIC"
    VISITOR = "VISITOR"
    NONE = "NONE"


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
    """One permit a person could apply for, with the days they may apply under the rules in force then."""

    key: str
    person: Role
    code: str
    kind: Kind
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
        return self.kind in (DepotKind.WORKER_OPEN, DepotKind.WORKER_SPECIFIC)
