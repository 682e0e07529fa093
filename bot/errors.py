"""The project's error family: a failure meant for the person at the keyboard, in one line.

Every entry point (`bot ...`, the page server, the console, the launcher) turns a
:class:`BotError` into its message and exit code, never a stack trace. Each area raises its
own subclass, defined here so that the whole family (and its exit codes) is in one place;
the areas import them (``from bot.faq.edit import EditError`` keeps working).

Errors about one bad value inside a parsed document (a trial record's field, a chat request's
body) stay :class:`ValueError` subclasses next to their parser: they are caught and reported
by the code that reads the document, never shown as they are.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.faq.problems import Problem, Report


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


class CliError(BotError):
    """A command that cannot be done as typed (unknown entry, unreadable file...)."""


# -- running the assistant (bot/runtime/) ----------------------------------------------------


class StartupError(BotError):
    """Preflight: one line for the operator: which setting, what is wrong, what to do."""


class NginxMissing(StartupError):
    """RASA_INSTANCES > 1 without nginx installed."""


class TrainingFailed(BotError):
    """`rasa train` failed; its output (above, or in a log) says why."""


class ServiceFailed(BotError):
    """A child process stopped at start-up or did not answer in time; names its log."""


class GaveUp(BotError):
    """A child keeps failing after restarts: the message says which and where to look."""


class TensorFlowNotLoaded(BotError):
    """Something used TensorFlow in a Rasa process started without it (bot/runtime/no_tensorflow)."""


# -- the FAQ (bot/faq/) ----------------------------------------------------------------------


class FaqFormatError(BotError):
    """A source file cannot be read as FAQ entries; the message says where and how to fix it."""


class FaqBuildError(FaqFormatError):
    """The FAQ has errors: nothing was generated. The message lists them, with their fixes."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            "The FAQ has errors, so the assistant's files were not generated:\n" + report.render()
        )
        self.report = report


class EditError(BotError):
    """A change that cannot be made; the message says why and what to do, in plain words."""


class EditRejected(EditError):
    """The change would add errors to the FAQ: nothing was written."""

    def __init__(self, new_errors: list[Problem], report: Report) -> None:
        lines = "\n".join(p.render() for p in new_errors)
        super().__init__(f"Nothing was changed: the change would add these errors:\n{lines}")
        self.new_errors = new_errors
        self.report = report


class InboxError(BotError):
    """A staff action on the inbox that cannot be done; the message says why and what to do."""


# -- the staff console (bot/console/) --------------------------------------------------------


class ConsoleError(BotError):
    """A change the console refuses; the message says why and what to do; ``status`` is HTTP's."""

    def __init__(
        self, message: str, status: int = 400, problems: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems or []


class AuthError(BotError):
    """A login or account problem, worded for the person at the keyboard."""


# -- trials (bot/trials/) --------------------------------------------------------------------


class TrialStoreUnavailable(BotError):
    """The trial store cannot answer (unreachable, locked, not migrated...); the message says why."""


class RegistryError(BotError):
    """The registry could not give a usable page; the message says why, for staff."""


class RegistryRefused(RegistryError):
    """The registry answered 4xx (bad parameters, or an expired page token)."""


class SyncError(BotError):
    """The sync stopped (registry unusable, store unreachable, bad settings); safe to run again."""


class SyncBusy(SyncError):
    """Another sync is running on this store."""


# -- the real-questions corpus (bot/evaluation/) ---------------------------------------------


class CorpusError(BotError):
    """New corpus items that cannot be added (a schema problem, a duplicate): lists them all."""


# -- benchmarks (bench/) ---------------------------------------------------------------------


class BenchError(BotError):
    """A benchmark cannot run as asked (a missing cached model, a failed training)."""
