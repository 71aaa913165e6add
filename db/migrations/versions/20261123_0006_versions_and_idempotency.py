"""versions and idempotency keys: a `version` on every updatable record; the first answers to keyed creates

`version` counts a record's changes (1 for the rows already there), so an update that names the version it
read is refused when another change came first. `idempotency_keys` remembers which record a create sent
with an idempotency key made; it is tenant-owned, so on PostgreSQL it gets the row-level security policy
of 0002.

Revision ID: 0006_versions_and_idempotency
Revises: 0005_job_owners
Create Date: 2026-11-23 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_versions_and_idempotency"
down_revision: str | None = "0005_job_owners"
branch_labels: str | None = None
depends_on: str | None = None

VERSIONED_TABLES = ("households", "members", "education", "language_tests", "work_periods", "offers", "permits")
POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"


def upgrade() -> None:
    """Apply this revision."""
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    op.create_table(
        "idempotency_keys",
        sa.Column("mutation", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_idempotency_keys_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("tenant_id", "mutation", "key", name=op.f("uq_idempotency_keys_tenant_id")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_idempotency_keys_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON idempotency_keys USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON idempotency_keys")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))

    op.drop_table("idempotency_keys")
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
