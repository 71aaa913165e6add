"""the client file: a member's biometrics, Canadian status and submitted PR application; children; an offer's
LMIA application day; where a pending application (an APPLIED permit) was filed and with restoration or not

The new member and offer columns are nullable (a household stored before has none of these facts). The two
permit columns get server defaults (inside Canada, no restoration): the applications stored before are read
as they were planned before. `children` is tenant-owned, so on PostgreSQL it gets the row-level security
policy of 0002.

Revision ID: 0007_client_file
Revises: 0006_versions_and_idempotency
Create Date: 2026-12-05 23:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_client_file"
down_revision: str | None = "0006_versions_and_idempotency"
branch_labels: str | None = None
depends_on: str | None = None

POLICY = "tenant_isolation"
_SAME_TENANT = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
_CANADIAN_STATUS = sa.Enum("CITIZEN", "PERMANENT_RESIDENT", name="canadianstatus", native_enum=False, length=32)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pr_program", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("pr_submitted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("pr_aor_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("biometrics_given_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("canadian_status", _CANADIAN_STATUS, nullable=True))
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lmia_applied_on", sa.Date(), nullable=True))
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inside_canada", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("with_restoration", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "children",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("citizenships", sa.JSON(), nullable=False),
        sa.Column("in_canada", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_children_household_id_households"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_children_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_children_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_children_tenant_id"), ["tenant_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE children ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE children FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {POLICY} ON children USING ({_SAME_TENANT}) WITH CHECK ({_SAME_TENANT})")


def downgrade() -> None:
    """Undo this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON children")
    with op.batch_alter_table("children", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_children_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_children_household_id"))
    op.drop_table("children")

    _drop_columns("permits", ("with_restoration", "inside_canada"))
    _drop_columns("offers", ("lmia_applied_on",))
    _drop_columns("members", ("canadian_status", "biometrics_given_on", "pr_aor_on", "pr_submitted_on", "pr_program"))


def _drop_columns(table: str, columns: tuple[str, ...]) -> None:
    """Drop plain columns in place. On SQLite a batch would copy the table and drop the old one, and with
    foreign keys on, dropping `members` deletes every member's records by ON DELETE CASCADE: SQLite (3.35 and
    later) drops a column that no index or constraint names without copying the table."""
    if op.get_bind().dialect.name == "sqlite":
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.drop_column(column)
