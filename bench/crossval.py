"""How well the NLU generalises to real questions it was not trained on: a k-fold over the dev part.

    python -m bench.crossval                 # 5 folds over the dev part, plus the model as trained
    python -m bench.crossval --folds 3 --verbose
    python -m bench.crossval --by-category   # a row per category and language too
    python -m bench.crossval --near 0.5     # near paraphrases of the fold's items left out too
    python -m bench.crossval --data-from /path/to/other/checkout   # its data, this code (before/after)

The dev part's wordings are partly training examples too (real dev questions were copied into
faq/ examples and nlu_data/), so `bot eval --part dev` is optimistic. Here each dev item goes
to one of k folds (by the SHA-1 of its folded text: stable); for each fold the NLU is trained
on a copy of the project's data without the examples whose folded text is one of the fold's
items, then asked the fold's items. It is also asked every item with the full training data
("as trained"): the gap between the two rows is the part of the dev figure that is memory.

The NLU's decision is turned into the first response the rules of dialogue/rules.yml send
(``faq`` -> ``utter_faq/<entry>``, ``out_of_scope`` -> ``utter_out_of_scope``, ...), then judged
by bot/evaluation/judge.py without reply texts: no language check, trial searches count by
kind. The full assistant (`bot eval`) decides a few things later (actions); this is the NLU's
part, fast enough to measure every change (one training per fold, about a minute each).
Only French and English items are used (other languages are decided before the NLU).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not every parse in the output

import yaml  # noqa: E402

from bot.evaluation.corpus import Item, fold, load_part  # noqa: E402
from bot.evaluation.judge import VERDICTS, Answer, Reply, judge  # noqa: E402
from bot.settings import CONFIG_FILE, DATA_DIRS, DOMAIN_DIR, PROJECT_ROOT  # noqa: E402
from bot.text import LANGUAGES  # noqa: E402

_EXAMPLE_LINE = re.compile(r"^(\s*)-\s+(?!(?:intent|regex|synonym|lookup|rule|story|steps|action):)(.+?)\s*$")
# What the action behind an intent sends first, where the rule's first action is not a response.
_ACTION_RESPONSE = {"out_of_scope": "utter_out_of_scope", "nlu_fallback": "utter_fallback"}


def fold_of(item: Item, folds: int) -> int:
    return int(hashlib.sha1(fold(item.text).encode()).hexdigest(), 16) % folds


def first_responses(rules_file: Path = PROJECT_ROOT / "dialogue" / "rules.yml") -> dict[str, str]:
    """intent -> the first action its rule runs."""
    found: dict[str, str] = {}
    for rule in yaml.safe_load(rules_file.read_text(encoding="utf-8"))["rules"]:
        steps = rule.get("steps", [])
        for step, following in zip(steps, steps[1:], strict=False):
            if "intent" in step and "action" in following:
                found.setdefault(step["intent"], following["action"])
    return found


def response_of(parse: dict, rules: dict[str, str]) -> str:
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    if intent in _ACTION_RESPONSE:
        return _ACTION_RESPONSE[intent]
    action = rules.get(intent, "utter_fallback")
    if action == "utter_faq":
        key = ((parse.get("response_selector") or {}).get("faq") or {}).get("response", {}).get(
            "intent_response_key") or "faq/unknown"
        return "utter_faq/" + key.split("/", 1)[1]
    return action


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def strip_examples(root: Path, texts: set[str], near: float = 1.0) -> int:
    """Removes from the NLU files under ``root`` every example whose folded text is in ``texts``,
    and, with ``near`` < 1, every example sharing that share of its words with one of them
    (Jaccard): the paraphrases written after reading a dev question go with it."""
    removed = 0
    word_sets = [set(t.split()) for t in texts]
    for path in root.rglob("*.yml"):
        kept: list[str] = []
        block: list[str] = []  # the examples left out of the current block
        in_block = False
        for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
            match = _EXAMPLE_LINE.match(line)
            if not match:
                if block and not in_block:  # every example of an intent left out: keep one
                    kept.append(block.pop(0))
                    removed -= 1
                block, in_block = [], False
                kept.append(line)
                continue
            text = fold(match.group(2).strip("'\""))
            if text in texts or (near < 1 and any(overlap(set(text.split()), w) >= near for w in word_sets)):
                removed += 1
                block.append(line)
                continue
            in_block = True
            kept.append(line)
        path.write_text("\n".join(kept), encoding="utf-8")
    return removed


def train(root: Path, out: Path) -> Path:
    from rasa.model_training import train_nlu

    data = [str(root / d.name) for d in DATA_DIRS if d.name != "dialogue"]
    model = train_nlu(str(root / CONFIG_FILE.name), data[0], str(out), fixed_model_name="cv",
                      domain=str(root / DOMAIN_DIR.name))
    return Path(model)


def copy_project(target: Path, source: Path = PROJECT_ROOT) -> None:
    shutil.copy(source / CONFIG_FILE.name, target / CONFIG_FILE.name)
    shutil.copytree(source / DOMAIN_DIR.name, target / DOMAIN_DIR.name)
    for d in DATA_DIRS:
        shutil.copytree(source / d.name, target / d.name)


def ask(model: Path, items: list[Item], rules: dict[str, str]) -> list[tuple[Item, str, str]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    rows = []
    for item in items:
        name = response_of(loop.run_until_complete(agent.parse_message(item.text)), rules)
        verdict = judge(item, Answer([Reply("", name, cards=name.startswith("action_search"))]))
        rows.append((item, verdict.verdict, verdict.got))
    return rows


def table(title: str, rows: list[tuple[Item, str, str]], by_category: bool = False) -> None:
    print(f"\n{title}")
    print(f"{'lang':<6}{'n':>5}" + "".join(f"{v:>16}" for v in VERDICTS[:4]))
    groups = [(lang, lambda i, lang=lang: lang in ("all", i.lang)) for lang in (*LANGUAGES, "all")]
    if by_category:
        groups += [(f"{c} {lang}", lambda i, c=c, lang=lang: i.category == c and i.lang == lang)
                   for c in sorted({i.category for i, _, _ in rows}) for lang in LANGUAGES]
    for name, keep in groups:
        sel = [v for i, v, _ in rows if keep(i)]
        if not sel:
            continue
        counts = Counter(sel)
        print(f"{name:<6}{len(sel):>5}" + "".join(
            f"{counts[v]:>7} ({counts[v] / max(len(sel), 1):>4.0%})  " for v in VERDICTS[:4]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print every item not right")
    parser.add_argument("--no-full", action="store_true", help="skip the 'as trained' row")
    parser.add_argument("--by-category", action="store_true", help="a row per category and language too")
    parser.add_argument("--near", type=float, default=1.0,
                        help="also leave out training examples sharing this share of words with a fold item (e.g. 0.5)")
    parser.add_argument("--data-from", type=Path, default=PROJECT_ROOT,
                        help="the project whose config, domain and data are trained (e.g. main's checkout)")
    args = parser.parse_args(argv)
    items = [i for i in load_part("dev") if i.lang in LANGUAGES]
    rules = first_responses()
    results: list[tuple[Item, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="crossval-") as tmp:
        if not args.no_full:
            root = Path(tmp) / "full"
            root.mkdir()
            copy_project(root, args.data_from)
            full = ask(train(root, Path(tmp) / "full-model"), items, rules)
            table(f"as trained ({len(items)} dev items, their wordings kept in training)", full, args.by_category)
        for k in range(args.folds):
            part = [i for i in items if fold_of(i, args.folds) == k]
            root = Path(tmp) / f"fold{k}"
            root.mkdir()
            copy_project(root, args.data_from)
            removed = strip_examples(root, {fold(i.text) for i in part}, args.near)
            print(f"fold {k + 1}/{args.folds}: {len(part)} items, {removed} training examples left out",
                  file=sys.stderr)
            results += ask(train(root, Path(tmp) / f"model{k}"), part, rules)
    table(f"{args.folds}-fold cross-validation (each item's wording left out of training)", results,
          args.by_category)
    if args.verbose:
        for item, verdict, got in results:
            if verdict != "right":
                print(f"{verdict:<10} {item.lang} {item.category:<15} got {got:<32} "
                      f"want {','.join(map(str, item.expect))}: {item.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
