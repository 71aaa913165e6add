"""calendar tokens: the revocable secrets of the deadline feeds (`GET /calendar/<token>.ics`); a member's
medical exam day

A member's `medical_exam_on` (nullable: a member stored before has none) dates the last immigration medical
exam, so a plan can flag one that expires before a decision (`solver/documents.py`).

A token names its tenant and, for a household's feed, the household (deleted with it); its secret is stored
as a sha256, like an API key's. Like `api_keys` (0002), the table gets no row-level security: a feed's token is
looked up before its tenant is known (the token is what names the tenant), and everything read after it is
read under that tenant.

Revision ID: 0011_calendar_tokens
Revises: 0010_replan_runs
Create Date: 2026-12-06 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011_calendar_tokens"
down_revision: str | None = "0010_replan_runs"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("medical_exam_on", sa.Date(), nullable=True))
    op.create_table(
        "calendar_tokens",
        sa.Column("token_id", sa.String(length=12), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_calendar_tokens_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_calendar_tokens_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_tokens")),
        sa.UniqueConstraint("token_id", name=op.f("uq_calendar_tokens_token_id")),
    )
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_tokens_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendar_tokens_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("calendar_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_tokens_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_tokens_household_id"))
    op.drop_table("calendar_tokens")
    # In place on SQLite (3.35+): a batch would copy `members`, and dropping the old table cascades to its records.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE members DROP COLUMN medical_exam_on")
    else:
        with op.batch_alter_table("members", schema=None) as batch_op:
            batch_op.drop_column("medical_exam_on")
