"""a firm's own processing times: one row per category, inside or outside Canada, country and effective day

`processing_overrides` is tenant-owned, so on PostgreSQL it gets the row-level security policy of 0002 (as
`children` in 0007). The firm's rows replace PROCESSING.*'s figures in the firm's plans (solver/rules/processing.py).

Revision ID: 0012_processing_overrides
Revises: 0011_calendar_tokens
Create Date: 2026-12-06 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012_processing_overrides"
down_revision: str | None = "0011_calendar_tokens"
branch_labels: str | None = None
depends_on: str | None = None

POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "processing_overrides",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("inside_canada", sa.Boolean(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("p50_days", sa.Integer(), nullable=False),
        sa.Column("p90_days", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_processing_overrides_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_overrides")),
    )
    with op.batch_alter_table("processing_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processing_overrides_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE processing_overrides ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE processing_overrides FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON processing_overrides USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON processing_overrides")
    with op.batch_alter_table("processing_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_overrides_tenant_id"))
    op.drop_table("processing_overrides")
