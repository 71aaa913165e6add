"""records: tenants, households, members, education, language tests, work, offers, permits

Revision ID: 0001_records
Revises: (none)
Create Date: 2026-11-21 23:40:11.527088
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_records"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""

    op.create_table(
        "tenants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    op.create_table(
        "households",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_households_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
    )
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_households_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "members",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Enum("PRINCIPAL", "SPOUSE", name="role", native_enum=False, length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("citizenships", sa.JSON(), nullable=False),
        sa.Column("passport_expiry", sa.Date(), nullable=True),
        sa.Column("in_canada", sa.Boolean(), nullable=False),
        sa.Column(
            "status_kind",
            sa.Enum("STUDENT", "WORKER", "VISITOR", "NONE", name="statuskind", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("status_permit_code", sa.String(length=8), nullable=True),
        sa.Column("status_valid_to", sa.Date(), nullable=True),
        sa.Column("status_employer_specific", sa.Boolean(), nullable=False),
        sa.Column("nomination_province", sa.String(length=2), nullable=True),
        sa.Column("nomination_nominated_on", sa.Date(), nullable=True),
        sa.Column("nomination_employer_restricted", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_members_household_id_households"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_members_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("household_id", "role", name=op.f("uq_members_household_id")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_members_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "offers",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.Enum("PRINCIPAL", "SPOUSE", name="role", native_enum=False, length=32), nullable=False),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("noc_code", sa.String(length=5), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("hourly_wage", sa.Float(), nullable=True),
        sa.Column("earliest_start", sa.Date(), nullable=False),
        sa.Column("latest_start", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("lmia_exempt_code", sa.String(length=8), nullable=True),
        sa.Column("lmia_approved", sa.Boolean(), nullable=False),
        sa.Column("offer_number", sa.String(length=8), nullable=True),
        sa.Column("compliance_fee_paid", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_offers_household_id_households"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_offers_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
        sa.UniqueConstraint("household_id", "ref", name=op.f("uq_offers_household_id")),
    )
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offers_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offers_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "education",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "credential",
            sa.Enum(
                "SECONDARY",
                "CERTIFICATE",
                "DIPLOMA",
                "ADVANCED_DIPLOMA",
                "POST_GRADUATE_CERTIFICATE",
                "BACHELOR",
                "MASTER",
                "DOCTORAL",
                "PROFESSIONAL_DEGREE",
                name="credential",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "institution",
            sa.Enum("UNIVERSITY", "COLLEGE", "OTHER", name="institutionkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("canadian", sa.Boolean(), nullable=False),
        sa.Column("pgwp_eligible_dli", sa.Boolean(), nullable=False),
        sa.Column("field_of_study_eligible", sa.Boolean(), nullable=False),
        sa.Column("full_time", sa.Boolean(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("completion", sa.Date(), nullable=False),
        sa.Column("length_months", sa.Integer(), nullable=True),
        sa.Column("study_permit_applied_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_education_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_education_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education")),
    )
    with op.batch_alter_table("education", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_education_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_education_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "language_tests",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "test",
            sa.Enum(
                "IELTS_GENERAL",
                "CELPIP_GENERAL",
                "PTE_CORE",
                "TEF_CANADA",
                "TCF_CANADA",
                name="languagetestkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("taken", sa.Date(), nullable=False),
        sa.Column("listening", sa.Integer(), nullable=False),
        sa.Column("reading", sa.Integer(), nullable=False),
        sa.Column("writing", sa.Integer(), nullable=False),
        sa.Column("speaking", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_language_tests_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_language_tests_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_language_tests")),
    )
    with op.batch_alter_table("language_tests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_language_tests_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_language_tests_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "permits",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PLANNED",
                "APPLIED",
                "APPROVED",
                "REFUSED",
                "EXPIRED",
                name="permitstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_permits_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_permits_offer_id_offers"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_permits_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permits")),
    )
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_permits_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_permits_offer_id"), ["offer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_permits_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_permits_valid_to"), ["valid_to"], unique=False)

    op.create_table(
        "work_periods",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("noc_code", sa.String(length=5), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.Column("in_canada", sa.Boolean(), nullable=False),
        sa.Column("self_employed", sa.Boolean(), nullable=False),
        sa.Column("while_full_time_student", sa.Boolean(), nullable=False),
        sa.Column("authorized", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_work_periods_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_work_periods_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_periods")),
    )
    with op.batch_alter_table("work_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_periods_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_periods_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    """Undo this revision."""

    with op.batch_alter_table("work_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_periods_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_work_periods_member_id"))

    op.drop_table("work_periods")
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permits_valid_to"))
        batch_op.drop_index(batch_op.f("ix_permits_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_permits_offer_id"))
        batch_op.drop_index(batch_op.f("ix_permits_member_id"))

    op.drop_table("permits")
    with op.batch_alter_table("language_tests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_language_tests_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_language_tests_member_id"))

    op.drop_table("language_tests")
    with op.batch_alter_table("education", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_education_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_education_member_id"))

    op.drop_table("education")
    with op.batch_alter_table("offers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offers_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_offers_household_id"))

    op.drop_table("offers")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_members_household_id"))

    op.drop_table("members")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_tenant_id"))

    op.drop_table("households")
    op.drop_table("tenants")
