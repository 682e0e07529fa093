"""Registry sync: when a sync last saw each trial in a saved query, when it left them, and the
log of sync runs (resume point while running, what changed once done).

Existing trials keep their data and ranks: both new columns start empty (hand-imported trials
are never marked as having left a query).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("trials", sa.Column("registry_seen_at", sa.DateTime(timezone=True)))
    op.add_column("trials", sa.Column("left_query_at", sa.DateTime(timezone=True)))
    op.create_table(
        "trial_sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("since", sa.String(10)),
        sa.Column("api_url", sa.Text(), nullable=False),
        sa.Column("config_key", sa.String(64), nullable=False),
        sa.Column("resume", sa.Text()),
        sa.Column("owner", sa.String(120)),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text()),
        sa.Column("message", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_sync_runs"),
    )


def downgrade() -> None:
    op.drop_table("trial_sync_runs")
    with op.batch_alter_table("trials") as batch:
        batch.drop_column("left_query_at")
        batch.drop_column("registry_seen_at")
