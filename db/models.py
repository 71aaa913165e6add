"""The stored records of a consulting firm: tenants, households, their members, offers and permits.

Column names follow the solver's domain (and so the contract's `ScenarioInput`, in snake_case) wherever
the two overlap, so `db/scenario.py` maps a household onto a `Scenario` field by field. Every table but
`tenants` carries `tenant_id`; the repositories (`db/repositories/`) filter on it in every query.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from solver.domain import CanadianStatus, Credential, InstitutionKind, LanguageTestKind, PinKind, Role, StatusKind

# Named constraints keep Alembic's batch mode on SQLite and the PostgreSQL names identical.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class PermitStatus(enum.Enum):
    """Where a permit stands: planned by the consultant, applied for, decided, or run out."""

    PLANNED = "PLANNED"
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REFUSED = "REFUSED"
    EXPIRED = "EXPIRED"


def _enum(cls: type[enum.Enum]) -> Enum:
    # VARCHAR rather than a native PostgreSQL enum: the same migration serves SQLite, and adding a value
    # later is not a migration.
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tenant(Base):
    """A consulting firm; every other record belongs to exactly one."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    # Counts the tenant's audited changes: bumped in the transaction of each one, so a response cached
    # under one revision is stale exactly when the revision moved (api/response_cache.py).
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The language of the firm's pages when a user chose none ("en", "fr"; None: Accept-Language decides).
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)


class TenantOwned(Base):
    """Base of every tenant-scoped table: an integer id and the owning tenant."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)


class Versioned(TenantOwned):
    """A record a client may update: `version` counts its changes (1 when created), so an update can name
    the version it read and be refused when another change came first (optimistic concurrency)."""

    __abstract__ = True

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Household(Versioned):
    """A principal applicant and an optional spouse or common-law partner, with their job offers."""

    __tablename__ = "households"

    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())

    members: Mapped[list[Member]] = relationship(
        back_populates="household", lazy="raise", passive_deletes=True, order_by="Member.role"
    )
    offers: Mapped[list[JobOffer]] = relationship(lazy="raise", passive_deletes=True, order_by="JobOffer.id")
    children: Mapped[list[Child]] = relationship(lazy="raise", passive_deletes=True, order_by="Child.id")
    pins: Mapped[list[HouseholdPin]] = relationship(lazy="raise", passive_deletes=True, order_by="HouseholdPin.id")


# A member's status, provincial nomination and submitted PR application are stored flat: each field of the
# solver's `Status` (`Nomination`, `PrApplication`) is the member's column of the same name under this prefix
# (`status_kind`, `nomination_province`, `pr_program`).
STATUS_PREFIX = "status_"
NOMINATION_PREFIX = "nomination_"
PR_PREFIX = "pr_"


class Member(Versioned):
    """A person of a household: the facts of the contract's `PersonInput`, flattened into columns."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("household_id", "role"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    citizenships: Mapped[list[str]] = mapped_column(JSON)
    passport_expiry: Mapped[dt.date | None] = mapped_column(Date)
    in_canada: Mapped[bool] = mapped_column(Boolean)
    status_kind: Mapped[StatusKind | None] = mapped_column(_enum(StatusKind))
    status_permit_code: Mapped[str | None] = mapped_column(String(8))
    status_valid_to: Mapped[dt.date | None] = mapped_column(Date)
    status_employer_specific: Mapped[bool] = mapped_column(Boolean, default=False)
    nomination_province: Mapped[str | None] = mapped_column(String(2))
    nomination_nominated_on: Mapped[dt.date | None] = mapped_column(Date)
    nomination_employer_restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    pr_program: Mapped[str | None] = mapped_column(String(16))
    pr_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    pr_aor_on: Mapped[dt.date | None] = mapped_column(Date)
    biometrics_given_on: Mapped[dt.date | None] = mapped_column(Date)
    medical_exam_on: Mapped[dt.date | None] = mapped_column(Date)
    canadian_status: Mapped[CanadianStatus | None] = mapped_column(_enum(CanadianStatus))

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")
    education: Mapped[list[Education]] = relationship(lazy="raise", passive_deletes=True, order_by="Education.id")
    language_tests: Mapped[list[LanguageTest]] = relationship(
        lazy="raise", passive_deletes=True, order_by="LanguageTest.id"
    )
    work_history: Mapped[list[WorkPeriod]] = relationship(lazy="raise", passive_deletes=True, order_by="WorkPeriod.id")
    permits: Mapped[list[Permit]] = relationship(lazy="raise", passive_deletes=True, order_by="Permit.id")


class Child(TenantOwned):
    """A dependent child of a household. Children have no records of their own: the household's mutations
    write the whole list (`children` of CreateHouseholdInput and UpdateHouseholdInput)."""

    __tablename__ = "children"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    citizenships: Mapped[list[str]] = mapped_column(JSON)
    in_canada: Mapped[bool] = mapped_column(Boolean)


class HouseholdPin(TenantOwned):
    """A decision the consultant pinned for a household (the contract's `PinInput`), in the order given (by id).
    Like children, pins have no records of their own: the household's mutations write the whole list (`pins` of
    CreateHouseholdInput and UpdateHouseholdInput), and `planHousehold` plans around them."""

    __tablename__ = "household_pins"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PinKind] = mapped_column(_enum(PinKind))
    person: Mapped[Role] = mapped_column(_enum(Role))
    code: Mapped[str | None] = mapped_column(String(16))
    apply_from: Mapped[dt.date | None] = mapped_column(Date)
    apply_to: Mapped[dt.date | None] = mapped_column(Date)
    offer_ref: Mapped[str | None] = mapped_column(String(64))
    program: Mapped[str | None] = mapped_column(String(16))


class ProcessingOverride(TenantOwned):
    """A firm's own processing time for one category (its figures replace PROCESSING.*'s in the firm's plans):
    inside or outside Canada, optionally for a citizen of `country` applying from outside, from `effective_from`
    on (any day when null); `p50_days` expected, `p90_days` slow. One row per (category, inside, country, day):
    setting it again replaces the figures (schema/processing.py)."""

    __tablename__ = "processing_overrides"

    code: Mapped[str] = mapped_column(String(8))
    inside_canada: Mapped[bool] = mapped_column(Boolean)
    country: Mapped[str | None] = mapped_column(String(2))
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    p50_days: Mapped[int] = mapped_column(Integer)
    p90_days: Mapped[int] = mapped_column(Integer)


class Education(Versioned):
    __tablename__ = "education"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    credential: Mapped[Credential] = mapped_column(_enum(Credential))
    institution: Mapped[InstitutionKind] = mapped_column(_enum(InstitutionKind))
    canadian: Mapped[bool] = mapped_column(Boolean)
    pgwp_eligible_dli: Mapped[bool] = mapped_column(Boolean, default=False)
    field_of_study_eligible: Mapped[bool] = mapped_column(Boolean, default=True)
    full_time: Mapped[bool] = mapped_column(Boolean, default=True)
    start: Mapped[dt.date] = mapped_column(Date)
    completion: Mapped[dt.date] = mapped_column(Date)
    length_months: Mapped[int | None] = mapped_column(Integer)
    study_permit_applied_on: Mapped[dt.date | None] = mapped_column(Date)


class LanguageTest(Versioned):
    """Results as CLB/NCLC levels (1-12) per ability."""

    __tablename__ = "language_tests"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    test: Mapped[LanguageTestKind] = mapped_column(_enum(LanguageTestKind))
    taken: Mapped[dt.date] = mapped_column(Date)
    listening: Mapped[int] = mapped_column(Integer)
    reading: Mapped[int] = mapped_column(Integer)
    writing: Mapped[int] = mapped_column(Integer)
    speaking: Mapped[int] = mapped_column(Integer)


class WorkPeriod(Versioned):
    __tablename__ = "work_periods"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    noc_code: Mapped[str] = mapped_column(String(5))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    hours_per_week: Mapped[float] = mapped_column(Float)
    in_canada: Mapped[bool] = mapped_column(Boolean)
    self_employed: Mapped[bool] = mapped_column(Boolean, default=False)
    while_full_time_student: Mapped[bool] = mapped_column(Boolean, default=False)
    authorized: Mapped[bool] = mapped_column(Boolean, default=True)


class JobOffer(Versioned):
    """A job offered to one member: the contract's `OfferInput` plus what the employer files with IRCC."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("household_id", "ref"),)

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    holder: Mapped[Role] = mapped_column(_enum(Role))
    employer_name: Mapped[str] = mapped_column(String(200))
    noc_code: Mapped[str] = mapped_column(String(5))
    province: Mapped[str] = mapped_column(String(2))
    hours_per_week: Mapped[float] = mapped_column(Float)
    hourly_wage: Mapped[float | None] = mapped_column(Float)
    earliest_start: Mapped[dt.date] = mapped_column(Date)
    latest_start: Mapped[dt.date | None] = mapped_column(Date)
    months: Mapped[int | None] = mapped_column(Integer)
    lmia_exempt_code: Mapped[str | None] = mapped_column(String(8))
    lmia_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    lmia_applied_on: Mapped[dt.date | None] = mapped_column(Date)
    offer_number: Mapped[str | None] = mapped_column(String(8))
    compliance_fee_paid: Mapped[bool] = mapped_column(Boolean, default=False)


class Permit(Versioned):
    """A permit a member holds, applied for, or the consultant plans. One APPLIED (with `applied_on`) is an
    application not yet decided: the planner's pending application, filed inside Canada or not and with a
    request to restore status or not."""

    __tablename__ = "permits"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    open: Mapped[bool] = mapped_column(Boolean)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"), index=True)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, index=True)
    applied_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[PermitStatus] = mapped_column(_enum(PermitStatus))
    inside_canada: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    with_restoration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ApiKey(TenantOwned):
    """An API key of a tenant: `pp_<key_id>_<secret>`, stored as the sha256 of the secret (shown once)."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # admin, consultant, integrator or readonly (api/keys.py's Role); a string so a new role is no migration.
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PersistedDocument(TenantOwned):
    """A trusted document a tenant registered: operation text by the sha256 (hex) of its bytes."""

    __tablename__ = "persisted_documents"
    __table_args__ = (UniqueConstraint("tenant_id", "digest"),)

    digest: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CalendarToken(TenantOwned):
    """A calendar feed a consultant subscribed to: the deadlines of the firm's plans (or of one household's), at
    `/calendar/<token_id>_<secret>.ics`; the secret is stored as its sha256 (shown once), as for an API key.
    Like `api_keys`, it is looked up before its tenant is known, so it carries no row-level security."""

    __tablename__ = "calendar_tokens"

    token_id: Mapped[str] = mapped_column(String(12), unique=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(TenantOwned):
    """One stored change: who (the key's name), which key, when, and what changed on which record."""

    __tablename__ = "audit_log"

    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str | None] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, object]] = mapped_column(JSON)


RECORD_MODELS: tuple[type[TenantOwned], ...] = (
    Household,
    Member,
    Education,
    LanguageTest,
    WorkPeriod,
    JobOffer,
    Permit,
    Child,
)


class IdempotencyKey(TenantOwned):
    """The first answer to a create sent with an idempotency key: a retry of the same request (same tenant,
    mutation and key) gets the record this one created; the same key with another input is a conflict.
    Written in the create's transaction, so a key exists exactly when its record was committed; kept
    `IDEMPOTENCY_KEY_TTL` (db/repositories/idempotency.py), then forgotten."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "mutation", "key"),)

    mutation: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    # sha256 (hex) of the request's arguments, to tell a retry from a different request reusing the key.
    request_hash: Mapped[str] = mapped_column(String(64))
    record_type: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=_now, server_default=func.now(), index=True
    )


class StoredPlan(TenantOwned):
    """A plan of a stored household, kept with what it was based on: the input snapshot, rules and solver setup."""

    __tablename__ = "stored_plans"

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    as_of: Mapped[dt.date] = mapped_column(Date)
    # The planner's input as it was (db/plan_json.py's plain form of the Scenario and PlanOptions).
    scenario: Mapped[dict[str, object]] = mapped_column(JSON)
    options: Mapped[dict[str, object]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(64))
    solver_parameters: Mapped[dict[str, object]] = mapped_column(JSON)
    # The lexicographic objective (terms in order) and the value the plan reached on each term.
    objective: Mapped[list[str]] = mapped_column(JSON)
    objective_values: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    pr_ready_date: Mapped[dt.date | None] = mapped_column(Date)
    plan_key: Mapped[str] = mapped_column(String(64))
    plan: Mapped[dict[str, object]] = mapped_column(JSON)


class PlanJob(TenantOwned):
    """A plan solved in the background: its input, where it stands, the best plan so far and the result."""

    __tablename__ = "plan_jobs"

    # QUEUED, RUNNING, DONE, FAILED or CANCELLED (a string: a new state is no migration).
    state: Mapped[str] = mapped_column(String(16), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    scenario: Mapped[dict[str, object]] = mapped_column(JSON)
    options: Mapped[dict[str, object]] = mapped_column(JSON)
    rules_version: Mapped[str] = mapped_column(String(64))
    plan_key: Mapped[str] = mapped_column(String(64))
    # The best plan so far while RUNNING, the final plan once DONE.
    plan: Mapped[dict[str, object] | None] = mapped_column(JSON)
    improvements: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    stored_plan_id: Mapped[int | None] = mapped_column(ForeignKey("stored_plans.id", ondelete="SET NULL"))
    # The service process that runs it (api/plan_service.py) and when that process last said it still does:
    # an unfinished job whose heartbeat stops is failed by whichever process sweeps next.
    owner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class CachedPlan(TenantOwned):
    """A solved plan by `solver.fingerprint.plan_key` (scenario, options, rules version), per tenant."""

    __tablename__ = "cached_plans"
    __table_args__ = (UniqueConstraint("tenant_id", "plan_key"),)

    plan_key: Mapped[str] = mapped_column(String(64))
    # The time limit it was solved under: a plan cut short by its limit answers only that same limit.
    time_limit_ms: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    plan: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())


class ReplanRun(TenantOwned):
    """A caseload re-plan: every household of the firm with a stored plan, planned again under `rules_as_of`
    (and the rules version this service plans with) and compared with that stored plan. Stored plans are read,
    never replaced: the reports live in `replan_results`, one per household."""

    __tablename__ = "replan_runs"

    # QUEUED, RUNNING, DONE, FAILED or CANCELLED.
    state: Mapped[str] = mapped_column(String(16), index=True)
    rules_as_of: Mapped[dt.date | None] = mapped_column(Date)
    # The rules the households are planned with now (each result keeps its stored plan's version too).
    rules_version: Mapped[str] = mapped_column(String(64))
    # The day urgency is judged against ("a deadline now falls within 30 days").
    today: Mapped[dt.date] = mapped_column(Date)
    # The households of the run and the stored plan each is compared with, fixed when it starts:
    # [[household_id, stored_plan_id], ...] (a resumed run plans exactly these, never a newer plan's question).
    households: Mapped[list[list[int]]] = mapped_column(JSON)
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    # The service process that drives it and its last heartbeat (a restarted service resumes its own runs).
    owner: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReplanResult(TenantOwned):
    """One household's impact report in a re-plan run: recorded once (unique per run and household)."""

    __tablename__ = "replan_results"
    __table_args__ = (UniqueConstraint("run_id", "household_id"),)

    run_id: Mapped[int] = mapped_column(ForeignKey("replan_runs.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    stored_plan_id: Mapped[int | None] = mapped_column(ForeignKey("stored_plans.id", ondelete="SET NULL"))
    rules_version_before: Mapped[str] = mapped_column(String(64))
    rules_version_after: Mapped[str] = mapped_column(String(64))
    # UNCHANGED ... DEADLINE_WITHIN_30_DAYS (solver.impact.Urgency), or FAILED with `error`.
    urgency: Mapped[str] = mapped_column(String(32))
    # Sorts the run's reports most urgent first (solver.impact.Impact.rank_key: level, then the first day).
    rank_level: Mapped[int] = mapped_column(Integer)
    rank_day: Mapped[dt.date | None] = mapped_column(Date)
    pr_before: Mapped[dt.date | None] = mapped_column(Date)
    pr_after: Mapped[dt.date | None] = mapped_column(Date)
    # The impact report and the new plan (db/plan_json.py's plain form).
    impact: Mapped[dict[str, object] | None] = mapped_column(JSON)
    plan: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, server_default=func.now())
