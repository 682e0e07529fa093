"""``bot eval``: runs the real-questions corpus against the assistant and prints the tables."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from bot.errors import CliError
from bot.evaluation import corpus, report
from bot.evaluation.judge import Answer, Reply, judge
from bot.evaluation.runner import Assistant, Result, run, trial_topics
from bot.faq import service as faq_service
from bot.faq.model import all_entries, load_topics
from bot.runtime import launcher
from bot.settings import Settings


@contextmanager
def private_assistant(settings: Settings) -> Iterator[Settings]:
    """The whole assistant on free ports with temporary SQLite stores (as the test fixture)."""
    model = faq_service.train()
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as tmp, \
            launcher.private_assistant(settings, model, Path(tmp)) as running:
        yield running


def _progress(index: int, result: Result) -> None:
    if result.verdict.verdict != "right":
        print(f"  [{index}] {result.verdict.verdict:<14} {result.item.category}/{result.item.lang}: "
              f"{result.item.text[:70]!r} -> {result.verdict.got}", file=sys.stderr)


def rejudge(path: str, items: list[corpus.Item], required: bool = True) -> list[Result]:
    """The answers stored by an earlier ``--json``, judged again with today's labels and table."""
    try:
        stored = {row["id"]: row for row in json.loads(Path(path).read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    topics = trial_topics()
    results = []
    for item in items:
        row = stored.get(item.id)
        if row is None:
            continue
        answer = Answer(
            [Reply(text=r.get("text") or "", name=r.get("name"), cards=bool(r.get("cards")),
                   card_ids=tuple(r.get("card_ids") or ())) for r in row.get("replies") or []],
            latency_ms=float(row.get("latency_ms") or 0.0), error=row.get("error"),
        )
        results.append(Result(item, answer, judge(item, answer, topics)))
    if required and not results:
        raise CliError(f"{path} holds no answer to an item of this part")
    return results


def add(path: str, root: Path = corpus.CORPUS_DIR) -> int:
    """``--add FILE.yml``: new items (a list, or ``items:``) added to the parts by the split rule."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    raws = data.get("items") if isinstance(data, dict) else data
    if not isinstance(raws, list) or not all(isinstance(raw, dict) for raw in raws):
        raise CliError(f"{path} must hold a list of items (text, lang, category, expect, source)")
    faq_ids = {entry.id for entry in all_entries(load_topics())}
    added = corpus.add_items(raws, faq_ids, set(corpus.training_texts()), root)
    for item in added:
        print(f"{item.part:<4} {item.id}  {item.category}/{item.lang}  {item.text}")
    counts = Counter(item.part for item in added)
    print(f"\nAdded {len(added)} items: " + ", ".join(f"{counts[part]} to {part}" for part in corpus.PARTS))
    return 0


def evaluate(args: argparse.Namespace) -> int:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    if args.add:
        return add(args.add)
    try:
        items = corpus.load_part(args.part)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read the {args.part} part: {exc}") from None
    if args.limit:
        items = items[: args.limit]
    settings: Settings = args.settings
    if args.rejudge:
        return _print(args, rejudge(args.rejudge, items), "re-judged from " + args.rejudge)
    # --resume: answers already stored (without error) are judged again, only the rest is asked.
    kept = {r.item.id: r for r in (rejudge(args.resume, items, required=False) if args.resume else [])
            if not r.answer.error}
    to_ask = [item for item in items if item.id not in kept]

    def go(rasa_url: str) -> list[Result]:
        print(f"Asking {len(to_ask)} questions ({args.part} part) at {rasa_url}", file=sys.stderr)
        return run(to_ask, Assistant(rasa_url, settings.rasa_api_token()), _progress if args.verbose else None)

    if not to_ask:
        asked: list[Result] = []
    elif args.start:  # a stack that does not start raises ServiceFailed, with its log
        with private_assistant(settings) as running:
            asked = go(running.rasa_url)
    else:
        asked = go(args.url or settings.rasa_url)
    if asked and all(r.verdict.verdict == "error" for r in asked):
        raise CliError(f"the assistant did not answer ({asked[0].answer.error}); is it running? (--start starts one)")
    answered = {**kept, **{r.item.id: r for r in asked}}
    results = [answered[item.id] for item in items]
    return _print(args, results)


def _print(args: argparse.Namespace, results: list[Result], how: str = "") -> int:
    print(f"\nReal questions, {args.part} part ({len(results)} items{', ' + how if how else ''})\n")
    print(report.tables(results))
    if args.json:
        Path(args.json).write_text(json.dumps(report.as_json(results), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nEvery item and its verdict: {args.json}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="ask the real questions (eval/real_questions) and print the tables")
    parser.add_argument("--part", choices=corpus.PARTS, default="dev", help="which part (default: dev)")
    parser.add_argument("--url", help="Rasa URL of a running assistant (default: from the settings)")
    parser.add_argument("--start", action="store_true", help="start a private assistant, run, stop it")
    parser.add_argument("--json", help="write every item with its verdict to this file")
    parser.add_argument("--limit", type=int, default=0, help="only the first N items (quick check)")
    parser.add_argument("--verbose", action="store_true", help="print every answer that is not right")
    parser.add_argument("--rejudge", metavar="JSON", help="judge again the answers stored by an earlier --json (no assistant)")
    parser.add_argument("--resume", metavar="JSON", help="reuse the answers stored by an earlier --json; ask only the others")
    parser.add_argument("--add", metavar="FILE.yml", help="add the new real questions of FILE.yml to dev and test by the split rule (no assistant)")
    parser.set_defaults(handler=evaluate)
