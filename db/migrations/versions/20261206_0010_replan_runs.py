"""caseload re-plans: replan_runs (a run over every household with a stored plan) and replan_results (one impact
report per household and run, unique, so a result recorded twice is kept once)

Both tables are tenant-owned: on PostgreSQL they get the row-level security policy of 0002.

Revision ID: 0010_replan_runs
Revises: 0009_firm_language
Create Date: 2026-12-06 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010_replan_runs"
down_revision: str | None = "0009_firm_language"
branch_labels: str | None = None
depends_on: str | None = None

POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
_TABLES = ("replan_runs", "replan_results")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "replan_runs",
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("rules_as_of", sa.Date(), nullable=True),
        sa.Column("rules_version", sa.String(length=64), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("households", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_replan_runs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replan_runs")),
    )
    with op.batch_alter_table("replan_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replan_runs_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_replan_runs_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "replan_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("stored_plan_id", sa.Integer(), nullable=True),
        sa.Column("rules_version_before", sa.String(length=64), nullable=False),
        sa.Column("rules_version_after", sa.String(length=64), nullable=False),
        sa.Column("urgency", sa.String(length=32), nullable=False),
        sa.Column("rank_level", sa.Integer(), nullable=False),
        sa.Column("rank_day", sa.Date(), nullable=True),
        sa.Column("pr_before", sa.Date(), nullable=True),
        sa.Column("pr_after", sa.Date(), nullable=True),
        sa.Column("impact", sa.JSON(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["replan_runs.id"], name=op.f("fk_replan_results_run_id_replan_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_replan_results_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stored_plan_id"],
            ["stored_plans.id"],
            name=op.f("fk_replan_results_stored_plan_id_stored_plans"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_replan_results_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replan_results")),
        sa.UniqueConstraint("run_id", "household_id", name=op.f("uq_replan_results_run_id")),
    )
    with op.batch_alter_table("replan_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replan_results_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_replan_results_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_replan_results_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY {POLICY} ON {table} USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        for table in reversed(_TABLES):
            op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
    op.drop_table("replan_results")
    op.drop_table("replan_runs")
