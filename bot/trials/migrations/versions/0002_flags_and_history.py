"""Staff flags (featured, hidden) and the status-change history.

Existing trials keep their data: both flags start false; search ranks (in ``trial_search`` and
in the term index) move to 10-19, featured trials taking 0-9 and hidden ones 100 and up; each
trial gets one history row with its current status, so that later changes have a starting point.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-23
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): every backend keeps the rows in place.
    op.add_column("trials", sa.Column("featured", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("trials", sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in ("trial_search", "trial_terms"):
        ranked = sa.table(table, sa.column("rank", sa.Integer))
        op.execute(ranked.update().values(rank=ranked.c.rank + 10))

    history = op.create_table(
        "trial_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(11), sa.ForeignKey("trials.nct_id", ondelete="CASCADE"), nullable=False),
        sa.Column("old_status", sa.String(32)),
        sa.Column("new_status", sa.String(32), nullable=False),
        sa.Column("snapshot_date", sa.String(10)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_file", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_trial_status_history"),
    )
    op.create_index("ix_trial_status_history_nct_id", "trial_status_history", ["nct_id"])

    trials = sa.table(
        "trials",
        sa.column("nct_id", sa.String), sa.column("overall_status", sa.String),
        sa.column("snapshot_date", sa.String), sa.column("source_file", sa.Text),
    )
    now = dt.datetime.now(dt.timezone.utc)
    op.execute(
        history.insert().from_select(
            ["nct_id", "old_status", "new_status", "snapshot_date", "recorded_at", "source_file"],
            sa.select(
                trials.c.nct_id, sa.null(), trials.c.overall_status, trials.c.snapshot_date,
                sa.literal(now, sa.DateTime(timezone=True)), trials.c.source_file,
            ),
        )
    )


def downgrade() -> None:
    op.drop_table("trial_status_history")
    for table in ("trial_search", "trial_terms"):
        ranked = sa.table(table, sa.column("rank", sa.Integer))
        op.execute(ranked.update().values(rank=ranked.c.rank % 10))
    with op.batch_alter_table("trials") as batch:
        batch.drop_column("hidden")
        batch.drop_column("featured")
