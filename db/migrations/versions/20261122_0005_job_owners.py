"""job owners: which service process runs a plan job, and its last heartbeat

Several service processes may share one database: a process sweeping for jobs that nobody runs any more
fails only its own previous run's jobs and jobs whose owner stopped beating (api/plan_service.py).

Revision ID: 0005_job_owners
Revises: 0004_tenant_revision
Create Date: 2026-11-22 03:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_job_owners"
down_revision: str | None = "0004_tenant_revision"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("owner")
