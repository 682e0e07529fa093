"""Problems found in the FAQ sources, written for staff: where, what is wrong, how to fix it."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # blocks `bot faq build` / `retrain`: the assistant would break or say something unsafe
    WARNING = "warning"  # worth a look, but the assistant keeps working


@dataclass(frozen=True)
class Problem:
    file: str  # as shown to staff, e.g. "faq/center.yml"
    entry: str | None
    message: str  # what is wrong, one sentence
    fix: str  # what to do about it, one sentence
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        return f"{self.file}, entry '{self.entry}'" if self.entry else self.file

    def render(self) -> str:
        label = "ERROR  " if self.is_error else "WARNING"
        return f"{label} {self.where}: {self.message}\n        Fix: {self.fix}"


@dataclass
class Report:
    """Everything validation found, errors first, in a stable order."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @staticmethod
    def _order(problem: Problem) -> tuple[str, str, str]:
        return (problem.file, problem.entry or "", problem.message)

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self.problems if p.is_error), key=self._order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self.problems if not p.is_error), key=self._order)

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = [p.render() for p in [*self.errors, *self.warnings]]
        summary = f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)."
        return "\n".join([*lines, summary])
