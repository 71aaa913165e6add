"""household pins: the decisions a consultant pinned for a household, planned around by planHousehold

`household_pins` is tenant-owned, so on PostgreSQL it gets the row-level security policy of 0002 (as 0007's
`children`). A household stored before has no pins.

Revision ID: 0008_household_pins
Revises: 0007_client_file
Create Date: 2026-12-06 02:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_household_pins"
down_revision: str | None = "0007_client_file"
branch_labels: str | None = None
depends_on: str | None = None

POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
_PIN_KIND = sa.Enum("APPLY", "TAKE_OFFER", "LEAD_PR", "EXCLUDE", name="pinkind", native_enum=False, length=32)
_ROLE = sa.Enum("PRINCIPAL", "SPOUSE", name="role", native_enum=False, length=32)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "household_pins",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", _PIN_KIND, nullable=False),
        sa.Column("person", _ROLE, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("apply_from", sa.Date(), nullable=True),
        sa.Column("apply_to", sa.Date(), nullable=True),
        sa.Column("offer_ref", sa.String(length=64), nullable=True),
        sa.Column("program", sa.String(length=16), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_household_pins_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_household_pins_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_pins")),
    )
    with op.batch_alter_table("household_pins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_pins_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_pins_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE household_pins ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE household_pins FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON household_pins USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON household_pins")
    with op.batch_alter_table("household_pins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_pins_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_household_pins_household_id"))
    op.drop_table("household_pins")
