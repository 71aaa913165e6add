"""The tenant-scoped base of every repository: one session, one tenant, one actor, and the audit trail.

A repository is bound to one session and one tenant when it is made, and every statement it issues
starts from `_scoped(model)`, which filters on that tenant: no query can forget it. The caller owns the
transaction (it opens the session and commits or rolls back); the repository only flushes.

Every stored change (add, update, delete) also writes an `AuditEntry` in the same transaction, naming the
`Actor` the repository was made for, and bumps the tenant's `revision`: a change, its audit row and the
revision commit or roll back together. An update bumps a `Versioned` record's `version` and audits the
values it replaced as the row held them: a caller that updates reads the row with `get(..., lock=True)`
(a row lock on PostgreSQL; SQLite's write transactions are serialized by `db.engine.write_transaction`).

On PostgreSQL a second wall stands behind `_scoped`: row-level security (migration 0002) shows a tenant
table's rows only while the transaction's `app.tenant_id` names their tenant. Making a repository marks
its session with the tenant, and each transaction the session begins sets `app.tenant_id` from that mark;
so make the repository before the session's first statement.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, delete, event, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Session, SessionTransaction

from db.models import AuditEntry, Tenant, TenantOwned, Versioned

R = TypeVar("R", bound=TenantOwned)
S = TypeVar("S", bound="TenantScoped")

# Never copied into the audit trail: the trail is readable by consultants, a key's hash is not; a version
# only counts the audited changes themselves.
_UNAUDITED_COLUMNS = frozenset({"id", "tenant_id", "secret_hash", "version"})


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a key's name and id, or the command line / an in-process caller (no key)."""

    name: str
    key_id: str | None = None


SYSTEM = Actor("system")


_TENANT_MARK = "tenant_id"
# The PostgreSQL channel each bump of a tenant's revision is announced on (payload: the tenant's id), in the
# bump's transaction, so a listener hears of it when the change is visible (api/revisions.py).
REVISION_CHANNEL = "permitpath_revision"
# Where a PostgreSQL connection's `info` keeps the ids of the tenants whose revision its transaction bumped, so
# this process knows which tenants its own commit moves (api/revisions.py).
BUMPED_TENANTS = "permitpath_bumped_tenants"


async def bumps_no_revision(session: AsyncSession) -> None:
    """Says the session's transaction changes nothing a tenant's revision stands for (the plan jobs' heartbeat
    and sweeps: no audited change): unless it bumps one after all, its commit moves no tenant's remembered
    revision. A commit that says nothing moves every tenant's (api/revisions.py), the safe default."""
    (await session.connection()).info.setdefault(BUMPED_TENANTS, set())


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


class TenantScoped:
    """A tenant's records through one session; every query is filtered by `tenant_id`, every change audited."""

    def __init__(self, session: AsyncSession, *, tenant_id: int, actor: Actor = SYSTEM) -> None:
        self.session = session
        self.tenant_id = tenant_id
        self.actor = actor
        session.info[_TENANT_MARK] = tenant_id

    def sibling(self, kind: type[S]) -> S:
        """The repository `kind` on this one's session, tenant and actor (one transaction, several aggregates)."""
        return kind(self.session, tenant_id=self.tenant_id, actor=self.actor)

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

    async def add_summarized(self, model: type[R], values: Mapping[str, Any], summary: Iterable[str]) -> R:
        """Inserts like `add`, but audits only the `summary` columns (a plan and its snapshot are too large to copy)."""
        row = model(**values, tenant_id=self.tenant_id)
        self.session.add(row)
        await self.session.flush()
        await self._audit("create", model, row.id, _audited({key: getattr(row, key) for key in summary}))
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

    # --- the audit trail and the tenant's revision ----------------------------------------------

    async def _audit(
        self, action: str, model: type[TenantOwned | Tenant], record_id: int, changes: dict[str, Any]
    ) -> None:
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
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(select(func.pg_notify(REVISION_CHANNEL, str(self.tenant_id))))
            (await self.session.connection()).info.setdefault(BUMPED_TENANTS, set()).add(self.tenant_id)
        await self.session.flush()

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
