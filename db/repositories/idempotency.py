"""A create's idempotency keys: a retry with the same key answers with the record the first request made."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, text

from db.models import IdempotencyKey, TenantOwned
from db.repositories.scoped import TenantScoped

# How long a create's idempotency key answers a retry with the record it made (docs/integrators.md).
IDEMPOTENCY_KEY_TTL = dt.timedelta(hours=24)


class IdempotencyKeys(TenantScoped):
    """The tenant's idempotency keys (not audited: a key records a change, it is not one)."""

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
