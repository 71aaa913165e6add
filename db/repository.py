"""Every read and write of a tenant's records.

A `Repository` is bound to one session and one tenant when it is made, and every statement it issues
starts from `_scoped(model)`, which filters on that tenant: no query can forget it. The caller owns the
transaction (it opens the session and commits or rolls back); the repository only flushes.

Every stored change (add, update, delete) also writes an `AuditEntry` in the same transaction, naming the
`Actor` the repository was made for, and bumps the tenant's `revision`: a change, its audit row and the
revision commit or roll back together. An update bumps a `Versioned` record's `version` and audits the
values it replaced as the row held them: a caller that updates reads the row with `get(..., lock=True)`
(a row lock on PostgreSQL; SQLite's write transactions are serialized by `db.engine.write_transaction`).

On PostgreSQL a second wall stands behind `_scoped`: row-level security (migration 0002) shows a tenant
table's rows only while the transaction's `app.tenant_id` names their tenant. Making a `Repository` marks
its session with the tenant, and each transaction the session begins sets `app.tenant_id` from that mark;
so make the repository before the session's first statement.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    event,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Session, SessionTransaction, selectinload

from db.models import (
    ApiKey,
    AuditEntry,
    CachedPlan,
    Household,
    IdempotencyKey,
    JobOffer,
    Member,
    Permit,
    PermitStatus,
    PersistedDocument,
    PlanJob,
    StoredPlan,
    Tenant,
    TenantOwned,
    Versioned,
)
from solver.domain import Role

R = TypeVar("R", bound=TenantOwned)

# Never copied into the audit trail: the trail is readable by consultants, a key's hash is not; a version
# only counts the audited changes themselves.
_UNAUDITED_COLUMNS = frozenset({"id", "tenant_id", "secret_hash", "version"})
# How long a create's idempotency key answers a retry with the record it made (docs/integrators.md).
IDEMPOTENCY_KEY_TTL = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a key's name and id, or the command line / an in-process caller (no key)."""

    name: str
    key_id: str | None = None


SYSTEM = Actor("system")


_TENANT_MARK = "tenant_id"


@event.listens_for(Session, "after_begin")
def _tenant_for_row_security(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    """Sets `app.tenant_id` for the transaction (PostgreSQL row-level security) from the session's tenant."""
    tenant_id = session.info.get(_TENANT_MARK)
    if tenant_id is not None and connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)})


def plain(value: Any) -> Any:
    """A column value as JSON (dates ISO 8601, enums by value), for the audit trail."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _audited(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in values.items() if key not in _UNAUDITED_COLUMNS}


async def find_api_key(session: AsyncSession, key_id: str) -> ApiKey | None:
    """The key with `key_id`, of whichever tenant (the key is what names the tenant)."""
    return await session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))


@dataclass(frozen=True)
class KeyStanding:
    """What a key check reads of a key: its row's columns that decide, and its tenant's revision."""

    tenant_id: int
    role: str
    name: str
    secret_hash: str
    revoked: bool
    revision: int


# Plain columns, not an ORM entity: this runs on every request, and no identity map is wanted for it.
_KEY_STANDING = select(
    ApiKey.tenant_id, ApiKey.role, ApiKey.name, ApiKey.secret_hash, ApiKey.revoked_at.is_not(None), Tenant.revision
).join(Tenant, Tenant.id == ApiKey.tenant_id)


async def find_api_key_with_revision(session: AsyncSession, key_id: str) -> KeyStanding | None:
    """The key with `key_id` and its tenant's revision, read in one statement (so from one snapshot)."""
    row = (await session.execute(_KEY_STANDING.where(ApiKey.key_id == key_id))).first()
    return None if row is None else KeyStanding(*row)


async def tenant_revision(session: AsyncSession, tenant_id: int) -> int:
    """How many audited changes the tenant's records have seen (0 for an unknown tenant)."""
    return await session.scalar(select(Tenant.revision).where(Tenant.id == tenant_id)) or 0


async def find_tenant(session: AsyncSession, slug: str) -> Tenant | None:
    """The tenant called `slug`, or None."""
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


async def ensure_tenant(session: AsyncSession, *, slug: str, name: str) -> Tenant:
    """The tenant called `slug`, created when missing (tenants themselves are not tenant-scoped)."""
    found = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if found is not None:
        return found
    tenant = Tenant(slug=slug, name=name)
    session.add(tenant)
    await session.flush()
    return tenant


class Repository:
    """A tenant's records through one session; every query is filtered by `tenant_id`."""

    def __init__(self, session: AsyncSession, *, tenant_id: int, actor: Actor = SYSTEM) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self.actor = actor
        session.info[_TENANT_MARK] = tenant_id

    def _scoped(self, model: type[R]) -> Select[R]:
        return select(model).where(model.tenant_id == self.tenant_id)

    # --- generic record access ------------------------------------------------------------------

    async def get(self, model: type[R], record_id: int, *, lock: bool = False) -> R | None:
        """The record of `model` with `record_id` in this tenant, or None.

        With `lock`, the row stays locked until the transaction ends (PostgreSQL's FOR NO KEY UPDATE: other
        writers of the row wait and then read what this one wrote; inserting its children is not blocked).
        """
        query = self._scoped(model).where(model.id == record_id)
        if lock:
            query = query.with_for_update(key_share=True)
        # populate_existing: a row this session already holds is read again, as the lock now shows it.
        return await self.session.scalar(query.execution_options(populate_existing=lock))

    async def count(self, model: type[R], parent: InstrumentedAttribute[int], parent_id: int) -> int:
        """How many records of `model` in this tenant have `parent` = `parent_id`."""
        query = select(func.count()).select_from(model).where(model.tenant_id == self.tenant_id, parent == parent_id)
        return int(await self.session.scalar(query) or 0)

    async def get_many(self, model: type[R], ids: Iterable[int]) -> dict[int, R]:
        """The records of `model` among `ids` in this tenant, by id (missing ids are absent)."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self.session.scalars(self._scoped(model).where(model.id.in_(wanted)))
        return {row.id: row for row in rows}

    async def children(
        self, model: type[R], parent: InstrumentedAttribute[int], parent_ids: Iterable[int]
    ) -> dict[int, list[R]]:
        """The records of `model` whose `parent` column is among `parent_ids`, grouped by parent, by id."""
        wanted = set(parent_ids)
        grouped: dict[int, list[R]] = defaultdict(list)
        if not wanted:
            return grouped
        rows = await self.session.scalars(self._scoped(model).where(parent.in_(wanted)).order_by(model.id))
        for row in rows:
            grouped[getattr(row, parent.key)].append(row)
        return grouped

    async def add(self, model: type[R], values: Mapping[str, Any]) -> R:
        """Insert a record of `model` in this tenant and flush (its id is set on return)."""
        row = model(**values, tenant_id=self.tenant_id)
        self.session.add(row)
        await self.session.flush()
        columns = {column.key: getattr(row, column.key) for column in model.__table__.columns}
        await self._audit("create", model, row.id, _audited(columns))
        return row

    async def update(self, row: R, values: Mapping[str, Any]) -> R:
        """Set `values` on `row` (a record of this tenant) and flush."""
        if row.tenant_id != self.tenant_id:
            raise ValueError(f"{type(row).__name__} {row.id} belongs to another tenant")  # a bug, not input
        changed = {
            key: {"from": plain(getattr(row, key)), "to": plain(value)}
            for key, value in values.items()
            if getattr(row, key) != value and key not in _UNAUDITED_COLUMNS
        }
        for key, value in values.items():
            setattr(row, key, value)
        if changed and isinstance(row, Versioned):
            row.version += 1
        await self.session.flush()
        if changed:
            await self._audit("update", type(row), row.id, changed)
        return row

    async def delete(self, model: type[R], record_id: int) -> bool:
        """Delete the record (its children go by ON DELETE CASCADE); False when there was none."""
        result = await self.session.execute(
            delete(model)
            .where(model.tenant_id == self.tenant_id, model.id == record_id)
            .returning(*model.__table__.columns)
        )
        gone = result.mappings().one_or_none()
        if gone is None:
            return False
        await self._audit("delete", model, record_id, _audited({str(key): value for key, value in gone.items()}))
        return True

    async def _audit(self, action: str, model: type[TenantOwned], record_id: int, changes: dict[str, Any]) -> None:
        if model is AuditEntry:
            return
        self.session.add(
            AuditEntry(
                tenant_id=self.tenant_id,
                actor=self.actor.name,
                key_id=self.actor.key_id,
                action=action,
                record_type=model.__name__,
                record_id=record_id,
                changes=changes,
            )
        )
        # In the change's transaction: a reader sees the new revision exactly when it sees the change.
        await self.session.execute(
            update(Tenant).where(Tenant.id == self.tenant_id).values(revision=Tenant.revision + 1)
        )
        await self.session.flush()

    # --- idempotency keys ------------------------------------------------------------------------

    async def idempotency_key(
        self, mutation: str, key: str, *, now: dt.datetime | None = None
    ) -> IdempotencyKey | None:
        """What the tenant's earlier `mutation` sent with `key` created, or None (a new or expired key).

        The key is locked until the transaction ends (on PostgreSQL an advisory lock on the tenant, mutation
        and key: a second request with the key waits for the first to commit or roll back, then sees its
        answer); the tenant's keys older than `IDEMPOTENCY_KEY_TTL` are forgotten on the way.
        """
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            name = f"idempotency:{self.tenant_id}:{mutation}:{key}"
            await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name})
        expired = (now or dt.datetime.now(dt.UTC)) - IDEMPOTENCY_KEY_TTL
        await self.session.execute(
            delete(IdempotencyKey)
            .where(IdempotencyKey.tenant_id == self.tenant_id, IdempotencyKey.created_at < expired)
            .execution_options(synchronize_session=False)
        )
        return await self.session.scalar(
            self._scoped(IdempotencyKey).where(IdempotencyKey.mutation == mutation, IdempotencyKey.key == key)
        )

    async def remember_idempotency_key(
        self, mutation: str, key: str, request_hash: str, record: TenantOwned
    ) -> IdempotencyKey:
        """Records that `mutation` with `key` (and a request hashing to `request_hash`) created `record`."""
        row = IdempotencyKey(
            tenant_id=self.tenant_id,
            mutation=mutation,
            key=key,
            request_hash=request_hash,
            record_type=type(record).__name__,
            record_id=record.id,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    # --- keys, trusted documents and the audit trail ------------------------------------------

    async def api_keys(self) -> Sequence[ApiKey]:
        """The tenant's keys, oldest first (revoked ones included, marked)."""
        return (await self.session.scalars(self._scoped(ApiKey).order_by(ApiKey.id))).all()

    async def revoke_api_key(self, key_id: str) -> ApiKey | None:
        """Revokes the tenant's key `key_id` (idempotent); None when the tenant has no such key."""
        key = await self.session.scalar(self._scoped(ApiKey).where(ApiKey.key_id == key_id))
        if key is not None and key.revoked_at is None:
            await self.update(key, {"revoked_at": dt.datetime.now(dt.UTC)})
        return key

    async def trusted_document(self, digest: str) -> str | None:
        """The text of the tenant's registered, unrevoked document with sha256 `digest`."""
        return await self.session.scalar(
            select(PersistedDocument.text).where(
                PersistedDocument.tenant_id == self.tenant_id,
                PersistedDocument.digest == digest,
                PersistedDocument.revoked_at.is_(None),
            )
        )

    async def documents(self) -> Sequence[PersistedDocument]:
        """The tenant's registered documents, oldest first (revoked ones included, marked)."""
        return (await self.session.scalars(self._scoped(PersistedDocument).order_by(PersistedDocument.id))).all()

    async def register_documents(self, manifest: Mapping[str, str]) -> list[PersistedDocument]:
        """Registers `{sha256 hex: text}` (already checked); a revoked document registered again is restored."""
        stored = []
        for digest, operation in manifest.items():
            row = await self.session.scalar(self._scoped(PersistedDocument).where(PersistedDocument.digest == digest))
            if row is None:
                row = await self.add(PersistedDocument, {"digest": digest, "text": operation})
            elif row.revoked_at is not None:
                row = await self.update(row, {"revoked_at": None})
            stored.append(row)
        return stored

    async def revoke_document(self, digest: str) -> PersistedDocument | None:
        """Revokes the tenant's document `digest` (idempotent); None when the tenant never registered it."""
        row = await self.session.scalar(self._scoped(PersistedDocument).where(PersistedDocument.digest == digest))
        if row is not None and row.revoked_at is None:
            await self.update(row, {"revoked_at": dt.datetime.now(dt.UTC)})
        return row

    async def audit_entries(
        self, *, before_id: int | None = None, limit: int, record_type: str | None = None, record_id: int | None = None
    ) -> Sequence[AuditEntry]:
        """A page of the tenant's audit trail, newest first, optionally for one record."""
        query = self._scoped(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(AuditEntry.id < before_id)
        if record_type is not None:
            query = query.where(AuditEntry.record_type == record_type)
        if record_id is not None:
            query = query.where(AuditEntry.record_id == record_id)
        return (await self.session.scalars(query)).all()

    # --- households -----------------------------------------------------------------------------

    async def list_households(
        self,
        *,
        after_id: int | None = None,
        limit: int,
        name_contains: str | None = None,
        permit_expiring_before: dt.date | None = None,
    ) -> Sequence[Household]:
        """A page of households by id: name filter on the household or a member, or a held permit expiring."""
        query = self._scoped(Household).order_by(Household.id).limit(limit)
        if after_id is not None:
            query = query.where(Household.id > after_id)
        if name_contains:
            needle = name_contains.lower()
            # autoescape: a % or _ in the name is matched literally, not as a LIKE wildcard.
            member_named = exists().where(
                Member.household_id == Household.id,
                Member.tenant_id == self.tenant_id,
                func.lower(Member.name).contains(needle, autoescape=True),
            )
            query = query.where(or_(func.lower(Household.name).contains(needle, autoescape=True), member_named))
        if permit_expiring_before is not None:
            query = query.where(
                exists().where(
                    Member.household_id == Household.id,
                    Permit.member_id == Member.id,
                    Permit.tenant_id == self.tenant_id,
                    Permit.status == PermitStatus.APPROVED,
                    Permit.valid_to < permit_expiring_before,
                )
            )
        return (await self.session.scalars(query)).all()

    async def list_permits(
        self,
        *,
        after_id: int | None = None,
        limit: int,
        expiring_before: dt.date | None = None,
        status: PermitStatus | None = None,
    ) -> Sequence[Permit]:
        """A page of permits by id, optionally only those valid to before a date, or in one status."""
        query = self._scoped(Permit).order_by(Permit.id).limit(limit)
        if after_id is not None:
            query = query.where(Permit.id > after_id)
        if expiring_before is not None:
            query = query.where(Permit.valid_to < expiring_before)
        if status is not None:
            query = query.where(Permit.status == status)
        return (await self.session.scalars(query)).all()

    async def load_household_graph(self, household_id: int) -> Household | None:
        """A household with its members (and their education, tests, work, permits) and offers loaded."""
        query = (
            self._scoped(Household)
            .where(Household.id == household_id)
            .options(
                selectinload(Household.offers),
                selectinload(Household.members).options(
                    selectinload(Member.education),
                    selectinload(Member.language_tests),
                    selectinload(Member.work_history),
                    selectinload(Member.permits),
                ),
            )
        )
        return await self.session.scalar(query)

    async def member_by_role(self, household_id: int, role: Role) -> Member | None:
        """The household's member in `role` (PRINCIPAL or SPOUSE), or None."""
        return await self.session.scalar(
            self._scoped(Member).where(Member.household_id == household_id, Member.role == role)
        )

    async def offer_by_ref(self, household_id: int, ref: str) -> JobOffer | None:
        """The household's offer with `ref`, or None."""
        return await self.session.scalar(
            self._scoped(JobOffer).where(JobOffer.household_id == household_id, JobOffer.ref == ref)
        )

    # --- stored plans, plan jobs and the plan cache ---------------------------------------------

    async def stored_plans(
        self, household_id: int, *, before_id: int | None = None, limit: int
    ) -> Sequence[StoredPlan]:
        """A page of the household's stored plans, newest first."""
        query = (
            self._scoped(StoredPlan)
            .where(StoredPlan.household_id == household_id)
            .order_by(StoredPlan.id.desc())
            .limit(limit)
        )
        if before_id is not None:
            query = query.where(StoredPlan.id < before_id)
        return (await self.session.scalars(query)).all()

    async def add_summarized(self, model: type[R], values: Mapping[str, Any], summary: Iterable[str]) -> R:
        """Inserts like `add`, but audits only the `summary` columns (a plan and its snapshot are too large to copy)."""
        row = model(**values, tenant_id=self.tenant_id)
        self.session.add(row)
        await self.session.flush()
        await self._audit("create", model, row.id, _audited({key: getattr(row, key) for key in summary}))
        return row

    async def save_job(self, job: PlanJob, values: Mapping[str, Any]) -> PlanJob:
        """Records a job's progress (state, best plan, result) without an audit row: the system, not a person,
        moves a job along; starting and cancelling one are audited as the changes they are."""
        if job.tenant_id != self.tenant_id:
            raise ValueError(f"plan job {job.id} belongs to another tenant")  # a bug, not input
        for key, value in values.items():
            setattr(job, key, value)
        await self.session.flush()
        return job

    async def touch_jobs(self, owner: str, at: dt.datetime, held: Iterable[int]) -> list[int]:
        """The heartbeat of the tenant's unfinished jobs among `held` that `owner` runs, as of `at`; the ids it
        renewed (a held job missing from them was finished, or removed, by someone else)."""
        wanted = set(held)
        if not wanted:
            return []
        result = await self.session.execute(
            update(PlanJob)
            .where(
                PlanJob.tenant_id == self.tenant_id,
                PlanJob.owner == owner,
                PlanJob.state.in_(UNFINISHED),
                PlanJob.id.in_(wanted),
            )
            .values(heartbeat_at=at)
            .returning(PlanJob.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def unfinished_jobs(self, household_id: int) -> Sequence[PlanJob]:
        """The household's QUEUED or RUNNING plan jobs, by id."""
        query = self._scoped(PlanJob).where(PlanJob.household_id == household_id, PlanJob.state.in_(UNFINISHED))
        return (await self.session.scalars(query.order_by(PlanJob.id))).all()

    async def cached_plan(self, plan_key: str) -> CachedPlan | None:
        """The tenant's cached plan for `plan_key`, or None."""
        return await self.session.scalar(self._scoped(CachedPlan).where(CachedPlan.plan_key == plan_key))

    async def put_cached_plan(self, plan_key: str, values: Mapping[str, Any]) -> CachedPlan:
        """Stores (or replaces) the tenant's cached plan for `plan_key`; a cache entry is not audited."""
        row = await self.cached_plan(plan_key)
        if row is None:
            row = CachedPlan(plan_key=plan_key, tenant_id=self.tenant_id, **values)
            self.session.add(row)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        await self.session.flush()
        return row


async def tenant_ids(session: AsyncSession) -> list[int]:
    """Every tenant's id (tenants are not tenant-scoped)."""
    return list((await session.scalars(select(Tenant.id).order_by(Tenant.id))).all())


@dataclass(frozen=True)
class Abandoned:
    """Which unfinished (QUEUED, RUNNING) plan jobs no process runs any more.

    With `stale_before`: the jobs whose heartbeat is older than it or missing, and every job of `gone_owner`
    (a previous run of the sweeping process); never those of `live_owner` (the sweeping process itself).
    With `orphans_of` instead of `live_owner`: only that owner's (the sweeping process's own) stale jobs that
    none of its tasks holds (not in `held`): their follower ended without writing their end.
    Without `stale_before`: every unfinished job (one process per database).
    """

    stale_before: dt.datetime | None = None
    gone_owner: str | None = None
    live_owner: str | None = None
    orphans_of: str | None = None
    held: frozenset[int] = frozenset()

    def condition(self) -> ColumnElement[bool]:
        """The jobs as a WHERE clause (for SQLite and other databases without row-level security)."""
        out: ColumnElement[bool] = PlanJob.state.in_(UNFINISHED)
        if self.stale_before is not None:
            lapsed = [PlanJob.heartbeat_at.is_(None), PlanJob.heartbeat_at < self.stale_before]
            if self.gone_owner is not None:
                lapsed.append(PlanJob.owner == self.gone_owner)
            out = and_(out, or_(*lapsed))
        if self.live_owner is not None:
            out = and_(out, or_(PlanJob.owner.is_(None), PlanJob.owner != self.live_owner))
        if self.orphans_of is not None:
            out = and_(out, PlanJob.owner == self.orphans_of)
            if self.held:
                out = and_(out, PlanJob.id.not_in(self.held))
        return out

    def sql(self) -> str:
        """The same clause as PostgreSQL text with literals (a DO block takes no parameters)."""
        parts = ["state IN ('RUNNING', 'QUEUED')"]
        if self.stale_before is not None:
            stale = f"{_literal(self.stale_before.isoformat())}::timestamptz"
            lapsed = ["heartbeat_at IS NULL", f"heartbeat_at < {stale}"]
            if self.gone_owner is not None:
                lapsed.append(f"owner = {_literal(self.gone_owner)}")
            parts.append("(" + " OR ".join(lapsed) + ")")
        if self.live_owner is not None:
            parts.append(f"(owner IS NULL OR owner <> {_literal(self.live_owner)})")
        if self.orphans_of is not None:
            parts.append(f"owner = {_literal(self.orphans_of)}")
            if self.held:
                parts.append("id NOT IN (" + ", ".join(str(int(i)) for i in sorted(self.held)) + ")")
        return " AND ".join(parts)


UNFINISHED = ("RUNNING", "QUEUED")


async def fail_unfinished_jobs(
    session: AsyncSession, reason: Callable[[str], str], which: Abandoned = Abandoned(), at: dt.datetime | None = None
) -> int:
    """Marks every tenant's `which` jobs FAILED with `reason(state)`, finished `at` (now); how many there were.

    Under PostgreSQL's row-level security a transaction sees one tenant's rows, so a server-side loop names
    each tenant in turn (one round trip, however many tenants) and leaves the count in a transaction setting;
    elsewhere one statement does.
    """
    running, queued = reason("RUNNING"), reason("QUEUED")
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        result = await session.execute(
            update(PlanJob)
            .where(which.condition())
            .values(
                state="FAILED",
                error=case((PlanJob.state == "RUNNING", running), else_=queued),
                finished_at=at or dt.datetime.now(dt.UTC),
            )
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
    sweep = _SWEEP.format(running=_literal(running), queued=_literal(queued), which=which.sql())
    await session.execute(text(sweep))
    swept = await session.scalar(text("SELECT current_setting('app.swept_jobs', true)"))
    return int(swept or 0)


def _literal(value: str) -> str:
    """A constant of this module's callers as an SQL string literal (a DO block takes no parameters)."""
    return "'" + value.replace("'", "''") + "'"


_SWEEP = """DO $sweep$
DECLARE tenant integer; n integer; total integer := 0;
BEGIN
  FOR tenant IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    UPDATE plan_jobs SET state = 'FAILED', finished_at = now(),
      error = CASE state WHEN 'RUNNING' THEN {running} ELSE {queued} END
      WHERE tenant_id = tenant AND {which};
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
  END LOOP;
  PERFORM set_config('app.swept_jobs', total::text, true);
END
$sweep$"""
