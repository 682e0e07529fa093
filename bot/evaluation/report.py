"""Tables of an evaluation run: per category x language, and per language overall."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.evaluation.judge import VERDICTS
from bot.evaluation.runner import Result

COLUMNS = ("right", "dont_know", "fallback", "wrong", "wrong_language")
HEADERS = ("right", "don't know", "fallback", "wrong", "wrong lang")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _row(label: str, results: list[Result]) -> list[str]:
    n = len(results)
    counts = {v: sum(r.verdict.verdict == v for r in results) for v in VERDICTS}
    latencies = [r.answer.latency_ms for r in results if not r.answer.error]
    cells = [label, str(n)] + [f"{counts[c]} ({100 * counts[c] / n:.0f} %)" for c in COLUMNS]
    errors = f" +{counts['error']} err" if counts["error"] else ""
    return cells + [f"{percentile(latencies, 50):.0f} / {percentile(latencies, 95):.0f}{errors}"]


def _group(results: Iterable[Result], key: Any) -> dict[Any, list[Result]]:
    groups: dict[Any, list[Result]] = {}
    for result in results:
        groups.setdefault(key(result), []).append(result)
    return groups


def tables(results: list[Result]) -> str:
    """Markdown: one row per (category, language), then one per language and the total."""
    header = ["category / lang", "n", *HEADERS, "p50 / p95 ms"]
    rows = [_row(f"{cat} / {lang}", group) for (cat, lang), group in
            sorted(_group(results, lambda r: (r.item.category, r.item.lang)).items())]
    rows.append(["", "", *([""] * len(COLUMNS)), ""])
    rows += [_row(f"**all / {lang}**", group) for lang, group in
             sorted(_group(results, lambda r: r.item.lang).items())]
    rows.append(_row("**all**", results))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |" for row in [header, *rows]]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def as_json(results: list[Result]) -> list[dict[str, Any]]:
    return [{
        "id": r.item.id, "part": r.item.part, "text": r.item.text, "lang": r.item.lang,
        "category": r.item.category, "page_lang": r.item.page_lang,
        "expect": [str(o) for o in r.item.expect], "verdict": r.verdict.verdict,
        "got": r.verdict.got, "reply_lang": r.verdict.reply_lang, "reason": r.verdict.reason,
        "latency_ms": round(r.answer.latency_ms, 1), "error": r.answer.error,
        "replies": [{"name": x.name, "text": x.text, "cards": x.cards, "card_ids": list(x.card_ids)}
                    for x in r.answer.replies],
        "source": r.item.source,
    } for r in results]
