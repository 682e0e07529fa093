"""Base schema: trials, their conditions, interventions, sites, contacts, identifiers, and the
search index (a narrow row per trial, and its terms).

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _trial_fk() -> sa.Column:
    return sa.Column(
        "nct_id", sa.String(11),
        sa.ForeignKey("trials.nct_id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "trials",
        sa.Column("nct_id", sa.String(11), nullable=False),
        sa.Column("brief_title", sa.Text(), nullable=False),
        sa.Column("official_title", sa.Text()),
        sa.Column("acronym", sa.Text()),
        sa.Column("overall_status", sa.String(32), nullable=False),
        sa.Column("status_rank", sa.Integer(), nullable=False),
        sa.Column("why_stopped", sa.Text()),
        sa.Column("phases", sa.String(80), nullable=False),
        sa.Column("study_type", sa.String(40)),
        sa.Column("sponsor", sa.Text()),
        sa.Column("collaborators", sa.Text()),
        sa.Column("start_date", sa.String(10)),
        sa.Column("primary_completion_date", sa.String(10)),
        sa.Column("completion_date", sa.String(10)),
        sa.Column("first_posted_date", sa.String(10)),
        sa.Column("last_update_date", sa.String(10)),
        sa.Column("status_verified_date", sa.String(10)),
        sa.Column("snapshot_date", sa.String(10)),
        sa.Column("brief_summary", sa.Text()),
        sa.Column("eligibility_criteria", sa.Text()),
        sa.Column("healthy_volunteers", sa.Boolean()),
        sa.Column("sex", sa.String(10)),
        sa.Column("min_age_text", sa.String(40)),
        sa.Column("max_age_text", sa.String(40)),
        sa.Column("min_age_years", sa.Float()),
        sa.Column("max_age_years", sa.Float()),
        sa.Column("enrollment", sa.Integer()),
        sa.Column("enrollment_type", sa.String(20)),
        sa.Column("keywords", sa.Text()),
        sa.Column("condition_names", sa.Text()),
        sa.Column("site_count", sa.Integer(), nullable=False),
        sa.Column("locations_digest", sa.Text()),
        sa.Column("immunotherapy", sa.Boolean(), nullable=False),
        sa.Column("oncology", sa.Boolean(), nullable=False),
        sa.Column("source_format", sa.String(60), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nct_id", name="pk_trials"),
    )
    op.create_index("ix_trials_overall_status", "trials", ["overall_status"])

    op.create_table(
        "trial_conditions",
        sa.Column("id", sa.Integer(), nullable=False),
        _trial_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trial_conditions"),
    )
    op.create_table(
        "trial_interventions",
        sa.Column("id", sa.Integer(), nullable=False),
        _trial_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(40)),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("other_names", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_interventions"),
    )
    op.create_table(
        "trial_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        _trial_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("facility", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("state", sa.Text()),
        sa.Column("zip", sa.String(40)),
        sa.Column("country", sa.Text()),
        sa.Column("status", sa.String(40)),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_sites"),
    )
    op.create_table(
        "trial_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        _trial_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("role", sa.String(40)),
        sa.Column("phone", sa.Text()),
        sa.Column("phone_ext", sa.Text()),
        sa.Column("email", sa.Text()),
        sa.Column("affiliation", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_contacts"),
    )
    op.create_table(
        "trial_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        _trial_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("domain", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_identifiers"),
    )
    op.create_table(
        "trial_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(11), sa.ForeignKey("trials.nct_id", ondelete="CASCADE"), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),  # at this revision: the status rank (0 = recruiting)
        sa.Column("overall_status", sa.String(32), nullable=False),
        sa.Column("immunotherapy", sa.Boolean(), nullable=False),
        sa.Column("min_age_years", sa.Float()),
        sa.Column("max_age_years", sa.Float()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_search"),
        sa.UniqueConstraint("nct_id", name="uq_trial_search_nct_id"),
    )
    op.create_index("ix_trial_search_ranking", "trial_search", ["rank", "id"])
    op.create_table(
        "trial_terms",
        sa.Column("term", sa.String(80), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),  # the trial's rank: terms are stored in result order
        sa.Column("trial_id", sa.Integer(), sa.ForeignKey("trial_search.id", ondelete="CASCADE"), nullable=False),
        sa.Column("min_age_days", sa.Integer()),  # the trial's age limits, checked during list scans
        sa.Column("max_age_days", sa.Integer()),
        sa.PrimaryKeyConstraint("term", "rank", "trial_id", name="pk_trial_terms"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_trial_terms_trial_id", "trial_terms", ["trial_id"])
    for table in ("trial_conditions", "trial_interventions", "trial_sites", "trial_contacts", "trial_identifiers"):
        op.create_index(f"ix_{table}_nct_id", table, ["nct_id"])


def downgrade() -> None:
    for table in ("trial_terms", "trial_search", "trial_identifiers", "trial_contacts", "trial_sites",
                  "trial_interventions", "trial_conditions", "trials"):
        op.drop_table(table)
