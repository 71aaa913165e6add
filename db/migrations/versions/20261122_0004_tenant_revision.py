"""tenant revision: a counter of each tenant's audited changes, for the response cache

Revision ID: 0004_tenant_revision
Revises: 0003_plans
Create Date: 2026-11-22 02:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_tenant_revision"
down_revision: str | None = "0003_plans"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("revision")
