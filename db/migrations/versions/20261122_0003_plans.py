"""plans: stored plans of households, plan jobs, the plan cache; PostgreSQL row-level security on all three

The three tables are tenant-owned; on PostgreSQL they get the row-level security policy of 0002 (a row is
visible and writable only while the transaction's `app.tenant_id` names its tenant).

Revision ID: 0003_plans
Revises: 0002_integrators
Create Date: 2026-11-22 00:42:51.766687
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_plans"
down_revision: str | None = "0002_integrators"
branch_labels: str | None = None
depends_on: str | None = None

ROW_SECURITY_TABLES = ("stored_plans", "plan_jobs", "cached_plans")
POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "cached_plans",
        sa.Column("plan_key", sa.String(length=64), nullable=False),
        sa.Column("time_limit_ms", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_cached_plans_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cached_plans")),
        sa.UniqueConstraint("tenant_id", "plan_key", name=op.f("uq_cached_plans_tenant_id")),
    )
    with op.batch_alter_table("cached_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cached_plans_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "stored_plans",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(length=64), nullable=False),
        sa.Column("solver_parameters", sa.JSON(), nullable=False),
        sa.Column("objective", sa.JSON(), nullable=False),
        sa.Column("objective_values", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pr_ready_date", sa.Date(), nullable=True),
        sa.Column("plan_key", sa.String(length=64), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_stored_plans_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_stored_plans_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_plans")),
    )
    with op.batch_alter_table("stored_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_plans_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stored_plans_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "plan_jobs",
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("rules_version", sa.String(length=64), nullable=False),
        sa.Column("plan_key", sa.String(length=64), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("improvements", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("stored_plan_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_plan_jobs_household_id_households"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["stored_plan_id"],
            ["stored_plans.id"],
            name=op.f("fk_plan_jobs_stored_plan_id_stored_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_plan_jobs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_jobs")),
    )
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_jobs_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_jobs_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_jobs_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table in ROW_SECURITY_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        for table in ROW_SECURITY_TABLES:
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_jobs_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_plan_jobs_state"))
        batch_op.drop_index(batch_op.f("ix_plan_jobs_household_id"))

    op.drop_table("plan_jobs")
    with op.batch_alter_table("stored_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_plans_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_stored_plans_household_id"))

    op.drop_table("stored_plans")
    with op.batch_alter_table("cached_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cached_plans_tenant_id"))

    op.drop_table("cached_plans")
