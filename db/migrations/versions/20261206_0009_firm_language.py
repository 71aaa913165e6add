"""the firm's language: `tenants.language`, the page's (and later the handout's) language for the firm's users
when they chose none (api/i18n.py negotiate). Null: no setting, Accept-Language decides.

`tenants` is not tenant-owned (it is the tenant), so no row-level security policy is added.

Revision ID: 0009_firm_language
Revises: 0008_household_pins
Create Date: 2026-12-06 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_firm_language"
down_revision: str | None = "0008_household_pins"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Revert this revision.

    A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and newer, PostgreSQL), never batch mode: on SQLite batch
    mode copies `tenants` into a new table and drops the old one, and with foreign keys enforced that drop
    cascades to every tenant-owned row.
    """
    op.drop_column("tenants", "language")
