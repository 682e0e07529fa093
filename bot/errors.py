"""The project's error family: a failure meant for the person at the keyboard, in one line.

Every entry point (`bot ...`, the page server, the launcher) turns a :class:`BotError` into its
message and exit code, never a stack trace. Subclasses say which area failed.
"""
from __future__ import annotations


class BotError(Exception):
    """A failure to report in one line, with the exit code to return."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class SettingsError(BotError):
    """A setting (environment or .env) that cannot be used: names the variable and what to do."""

    exit_code = 2
