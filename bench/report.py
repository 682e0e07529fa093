"""Cells and the table of the assistant bench (pure: formatting only)."""
from __future__ import annotations

import statistics
from collections.abc import Sequence

from bench.load import Outcome
from bench.stats import percentile


def percentiles_cell(outcome: Outcome) -> str:
    """"p50 / p95" in ms, with the failures when there were any."""
    values = outcome.latencies_ms
    cell = f"{statistics.median(values):.0f} / {percentile(values, 95):.0f}" if values else "-"
    return cell + (f" ({outcome.errors} failed)" if outcome.errors else "")


def rate_cell(outcome: Outcome) -> str:
    return f"{outcome.rate:.1f}" + (f" ({outcome.errors} failed)" if outcome.errors else "")


def late_cell(outcome: Outcome) -> str:
    sent = len(outcome.latencies_ms) + outcome.errors
    return f"{outcome.late} / {outcome.errors} of {sent}"


def share_cell(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, columns padded to their widest cell; a missing cell is blank."""
    columns = len(header)
    cells = [list(header), *([*row, *[""] * (columns - len(row))][:columns] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(columns)]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
