"""Today's hand-written matching against the spaCy vocabulary matcher, on the real questions.

    python -m bench.matching [--part dev|test] [--show]

For each item of ``eval/real_questions/<part>.yml`` in French or English:

- trial items whose expect is ``trials:<cancer>`` / ``no_trials:<cancer>``: is that cancer
  recognised (today: ``bot.trials.understand.find_concepts(text, "condition")``);
- ``urgent`` items: is a symptom found (today: ``bot.safety.mentions_serious_symptom``, the
  urgency rules' symptom words);
- ``advice`` items: is a drug or an illness named (today: the trial lexicon's conditions and
  immunotherapy interventions, and ``bot.safety._CONDITION``'s illnesses);
- false matches: the same three questions asked of the categories that name none of them
  (smalltalk, out_of_scope, practical, center, language_switch).

Beside the corpus (``--no-extra`` leaves them out): the held-out NLU sets (``tests/nlu/``, written
by someone who had not seen the training data): is a cancer found in the messages annotated
with a ``cancer_type`` entity, and in how many of the others; and MASSIVE 1.1's fr-FR / en-US
test utterances (requests to a voice assistant, none about cancer): false matches.

"spaCy" is ``bot.vocabulary.find`` in the item's language; "today + veto" is today's
cancer matching whose typo tolerance may not turn a real word of the language into a cancer
name (``bot.vocabulary.is_other_word``: "livre" is not "liver"). ``--show`` lists the dev items on
which the two disagree (never the test part's: it must not be read). Also prints what the
pipelines cost: import, first build, resident memory, time per call.
"""
from __future__ import annotations

import argparse
import gc
import gzip
import json
import re
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

from bot import safety
from bot.evaluation.corpus import Item, load_part
from bot.limits import MAX_MESSAGE_CHARS as MAX_TEXT
from bot.text import LANGUAGES, fold
from bot.trials.lexicon import CONCEPTS, CONDITIONS
from bot.trials.text import fold as trial_fold
from bot.trials.understand import _blocked_positions, _drop_broader, _matchers, find_concepts

ROOT = Path(__file__).resolve().parent.parent
MASSIVE = ROOT.parent / "shared" / "benchmarks" / "massive"
_ENTITY = re.compile(r"\[([^]]+)\]\((\w+)\)")
UNRELATED = ("smalltalk", "out_of_scope", "practical", "center", "language_switch")
# The corpus's cancer names -> the trial lexicon's concept keys.
CANCER_KEYS = {"pancreatic": "pancreas", "head_and_neck": "head_neck"}
_ILLNESS_RE = re.compile(rf"\b{safety._CONDITION}\b")


def _rss_mb() -> int:
    """Resident memory now (not the peak: the lookup tables read while building are freed)."""
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 2**20


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def today_cancers(text: str, other_word: Callable[[str], bool] | None = None) -> set[str]:
    """``find_concepts(text, "condition")``; with ``other_word``, a match is dropped when one of
    its words is not the lexicon's own word but a real word of the language (today's typo
    tolerance made it match: "livre" as "liver"), which is what plugging
    ``vocabulary.is_other_word`` into ``bot.trials.matching.word_matches`` would do."""
    if other_word is None:
        return set(find_concepts(text, "condition"))
    conditions, _, _ = _matchers()
    words = trial_fold(text[:MAX_TEXT]).split()
    lexicon_words = {w for c in CONDITIONS for say in c.says for w in trial_fold(say).split()}
    keys = [m.value for m in conditions.find(words, _blocked_positions(words))
            if not any(w not in lexicon_words and other_word(w) for w in words[m.start:m.end])]
    return set(_drop_broader(list(dict.fromkeys(keys))))


def today_symptom(text: str) -> bool:
    return safety.mentions_serious_symptom(text)


def today_drug_or_illness(text: str, other_word: Callable[[str], bool] | None = None) -> bool:
    drugs = [k for k in find_concepts(text, "intervention") if CONCEPTS[k].immunotherapy]
    return bool(drugs or today_cancers(text, other_word) or _ILLNESS_RE.search(fold(text)))


def heldout_items() -> list[Item]:
    """tests/nlu/heldout_{fr,en}.yml, entity markup removed; category "heldout_cancer" when the
    message has a cancer_type entity, else "heldout_other"."""
    items = []
    for lang in LANGUAGES:
        data = yaml.safe_load((ROOT / "tests" / "nlu" / f"heldout_{lang}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in block.get("examples", "").splitlines():
                raw = line.strip().removeprefix("- ").strip()
                if raw:
                    category = "heldout_cancer" if "(cancer_type)" in raw else "heldout_other"
                    items.append(Item(f"heldout-{lang}", _ENTITY.sub(r"\1", raw), lang, category, (), ""))
    return items


def massive_items(folder: Path = MASSIVE) -> list[Item]:
    items = []
    for locale, lang in (("fr-FR", "fr"), ("en-US", "en")):
        with gzip.open(folder / f"{locale}.jsonl.gz", "rt", encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                if row["partition"] == "test":
                    items.append(Item(f"massive-{lang}", row["utt"], lang, "massive", (), ""))
    return items


def _expected_cancer(item: Item) -> str | None:
    for outcome in item.expect:
        if outcome.kind in ("trials", "no_trials") and outcome.value not in (None, "any", "immunotherapy"):
            return CANCER_KEYS.get(outcome.value, outcome.value)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="dev", choices=("dev", "test"))
    parser.add_argument("--show", action="store_true", help="list the dev items where the two disagree")
    parser.add_argument("--no-extra", action="store_true", help="the corpus only (no held-out sets, no MASSIVE)")
    args = parser.parse_args()
    if args.show and args.part != "dev":
        parser.error("--show lists items: dev only (the test part is never read)")
    items = [i for i in load_part(args.part) if i.lang in LANGUAGES]
    if not args.no_extra:
        items += heldout_items() + (massive_items() if MASSIVE.is_dir() else [])

    rss0, start = _rss_mb(), time.perf_counter()
    from bot import vocabulary  # measured: the import is part of the cost

    imported = time.perf_counter() - start
    builds = {}
    for lang in LANGUAGES:
        start = time.perf_counter()
        vocabulary.pipeline(lang)
        builds[lang] = time.perf_counter() - start
    rss1 = _rss_mb()

    def spacy_cancers(item: Item) -> set[str]:
        return {m.key for m in vocabulary.find(item.text, item.lang) if m.kind == "cancer"}

    def spacy_symptom(item: Item) -> bool:
        return "symptom" in vocabulary.kinds_in(item.text, item.lang)

    def spacy_drug_or_illness(item: Item) -> bool:
        return bool(vocabulary.kinds_in(item.text, item.lang) & {"drug", "illness", "cancer"})

    def veto_cancers(item: Item) -> set[str]:
        return today_cancers(item.text, lambda word: vocabulary.is_other_word(word, item.lang, ("cancer",)))

    def veto_drug_or_illness(item: Item) -> bool:
        return today_drug_or_illness(item.text, lambda word: vocabulary.is_other_word(word, item.lang, ("cancer",)))

    def cancer(found: Callable[[Item], set[str]]) -> Callable[[Item], bool]:
        return lambda i: bool(found(i))

    def today_plain(i: Item) -> set[str]:
        return today_cancers(i.text)

    expected_in = {
        "today": lambda i: _expected_cancer(i) in today_cancers(i.text),
        "veto": lambda i: _expected_cancer(i) in veto_cancers(i),
        "spacy": lambda i: _expected_cancer(i) in spacy_cancers(i),
    }
    any_cancer = {"today": cancer(today_plain), "veto": cancer(veto_cancers), "spacy": cancer(spacy_cancers)}
    symptom = {"today": lambda i: today_symptom(i.text), "veto": None, "spacy": spacy_symptom}
    named = {"today": lambda i: today_drug_or_illness(i.text), "veto": veto_drug_or_illness,
             "spacy": spacy_drug_or_illness}
    checks: list[tuple[str, Callable[[Item], bool], dict[str, Callable[[Item], bool] | None]]] = [
        ("cancer recognised (trial items)", lambda i: _expected_cancer(i) is not None, expected_in),
        ("symptom found (urgent items)", lambda i: i.category == "urgent", symptom),
        ("drug / illness named (advice items)", lambda i: i.category == "advice", named),
        ("a cancer named (every item; no gold: see --show)", lambda i: i.part == args.part, any_cancer),
        ("false: a cancer (unrelated items)", lambda i: i.category in UNRELATED, any_cancer),
        ("false: a symptom (unrelated items)", lambda i: i.category in UNRELATED, symptom),
        ("false: drug / illness (unrelated items)", lambda i: i.category in UNRELATED, named),
        ("held-out: cancer found (cancer_type entity)", lambda i: i.category == "heldout_cancer", any_cancer),
        ("held-out: cancer found (no entity)", lambda i: i.category == "heldout_other", any_cancer),
        ("MASSIVE: false cancer", lambda i: i.category == "massive", any_cancer),
        ("MASSIVE: false symptom", lambda i: i.category == "massive", symptom),
        ("MASSIVE: false drug / illness", lambda i: i.category == "massive", named),
    ]
    print(f"Real questions, {args.part} part: {sum(i.part == args.part for i in items)} French and English items\n")
    print("| check | lang | n | today | today + veto | spaCy | only today | only spaCy |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    differences = []
    for name, selects, ways in checks:
        if not any(selects(i) for i in items):
            continue  # the held-out and MASSIVE rows with --no-extra
        for lang in LANGUAGES:
            chosen = [i for i in items if i.lang == lang and selects(i)]
            counts: dict[str, int] = defaultdict(int)
            for item in chosen:
                a, b = ways["today"](item), ways["spacy"](item)  # type: ignore[misc]
                veto = ways["veto"]
                counts["today"] += a
                counts["veto"] += bool(veto and veto(item))
                counts["spacy"] += b
                counts["only_today"] += a and not b
                counts["only_spacy"] += b and not a
                if a != b:
                    differences.append((name, item, a, b))
            n = len(chosen)
            cells = {k: f"{counts[k]} ({100 * counts[k] / n:.0f} %)" if n else "-" for k in ("today", "veto", "spacy")}
            if ways["veto"] is None:
                cells["veto"] = "-"
            print(f"| {name} | {lang} | {n} | {cells['today']} | {cells['veto']} | {cells['spacy']} | "
                  f"{counts['only_today']} | {counts['only_spacy']} |")

    texts = [(i.text, i.lang) for i in items if i.part == args.part]
    start = time.perf_counter()
    for text, lang in texts:
        vocabulary.find(text, lang)
    spacy_ms = 1000 * (time.perf_counter() - start) / len(texts)
    start = time.perf_counter()
    for text, _ in texts:
        today_cancers(text), today_symptom(text), today_drug_or_illness(text)
    today_ms = 1000 * (time.perf_counter() - start) / len(texts)
    print(f"\nspaCy: import {imported:.2f} s, first build fr {builds['fr']:.2f} s, en {builds['en']:.2f} s, "
          f"+{rss1 - rss0} MB resident ({rss0} -> {rss1} MB), peak {_peak_mb()} MB")
    print(f"per message: spaCy {spacy_ms:.3f} ms (one call: every kind), today's three checks {today_ms:.3f} ms "
          "(both after a first pass over the same messages)")
    if args.show:
        print()
        for name, item, a, b in differences:
            if name.startswith("MASSIVE") and not b:
                continue  # today's MASSIVE false matches: the count is enough
            print(f"- {name} [{item.lang}] today={int(a)} spaCy={int(b)}: {item.text}")
            if b:
                print(f"    spaCy: {[(m.kind, m.key, m.text) for m in vocabulary.find(item.text, item.lang)]}")


if __name__ == "__main__":
    main()
