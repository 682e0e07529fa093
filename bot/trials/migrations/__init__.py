"""Alembic migrations of the trial store, applied with :func:`bot.trials.migrate.upgrade`."""
