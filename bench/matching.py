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

"spaCy" is ``bot.nlu.vocabulary.find`` in the item's language. ``--show`` lists the dev items on
which the two disagree (never the test part's: it must not be read). Also prints what the
pipelines cost: import, first build, resident memory, time per call.
"""
from __future__ import annotations

import argparse
import gc
import re
import resource
import time
from collections import defaultdict
from collections.abc import Callable

from bot import safety
from bot.evaluation.corpus import Item, load_part
from bot.text import LANGUAGES, fold
from bot.trials.lexicon import CONCEPTS
from bot.trials.understand import find_concepts

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


def today_cancers(text: str) -> set[str]:
    return set(find_concepts(text, "condition"))


def today_symptom(text: str) -> bool:
    return safety.mentions_serious_symptom(text)


def today_drug_or_illness(text: str) -> bool:
    drugs = [k for k in find_concepts(text, "intervention") if CONCEPTS[k].immunotherapy]
    return bool(drugs or today_cancers(text) or _ILLNESS_RE.search(fold(text)))


def _expected_cancer(item: Item) -> str | None:
    for outcome in item.expect:
        if outcome.kind in ("trials", "no_trials") and outcome.value not in (None, "any", "immunotherapy"):
            return CANCER_KEYS.get(outcome.value, outcome.value)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="dev", choices=("dev", "test"))
    parser.add_argument("--show", action="store_true", help="list the dev items where the two disagree")
    args = parser.parse_args()
    if args.show and args.part != "dev":
        parser.error("--show lists items: dev only (the test part is never read)")
    items = [i for i in load_part(args.part) if i.lang in LANGUAGES]

    rss0, start = _rss_mb(), time.perf_counter()
    from bot.nlu import vocabulary  # measured: the import is part of the cost

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

    checks: list[tuple[str, Callable[[Item], bool], Callable[[Item], bool], Callable[[Item], bool]]] = [
        ("cancer recognised (trial items)", lambda i: _expected_cancer(i) is not None,
         lambda i: _expected_cancer(i) in today_cancers(i.text), lambda i: _expected_cancer(i) in spacy_cancers(i)),
        ("symptom found (urgent items)", lambda i: i.category == "urgent",
         lambda i: today_symptom(i.text), spacy_symptom),
        ("drug / illness named (advice items)", lambda i: i.category == "advice",
         lambda i: today_drug_or_illness(i.text), spacy_drug_or_illness),
        ("a cancer named (every item; no gold: see --show)", lambda i: True,
         lambda i: bool(today_cancers(i.text)), lambda i: bool(spacy_cancers(i))),
        ("false: a cancer (unrelated items)", lambda i: i.category in UNRELATED,
         lambda i: bool(today_cancers(i.text)), lambda i: bool(spacy_cancers(i))),
        ("false: a symptom (unrelated items)", lambda i: i.category in UNRELATED,
         lambda i: today_symptom(i.text), spacy_symptom),
        ("false: drug / illness (unrelated items)", lambda i: i.category in UNRELATED,
         lambda i: today_drug_or_illness(i.text), spacy_drug_or_illness),
    ]
    print(f"Real questions, {args.part} part: {len(items)} French and English items\n")
    print("| check | lang | n | today | spaCy | only today | only spaCy |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    differences = []
    for name, selects, today, spacy_way in checks:
        for lang in LANGUAGES:
            chosen = [i for i in items if i.lang == lang and selects(i)]
            counts = defaultdict(int)
            for item in chosen:
                a, b = today(item), spacy_way(item)
                counts["today"] += a
                counts["spacy"] += b
                counts["only_today"] += a and not b
                counts["only_spacy"] += b and not a
                if a != b:
                    differences.append((name, item, a, b))
            n = len(chosen)
            cells = [f"{counts[k]} ({100 * counts[k] / n:.0f} %)" if n else "-" for k in ("today", "spacy")]
            print(f"| {name} | {lang} | {n} | {cells[0]} | {cells[1]} | {counts['only_today']} | {counts['only_spacy']} |")

    texts = [(i.text, i.lang) for i in items]
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
            print(f"- {name} [{item.lang}] today={int(a)} spaCy={int(b)}: {item.text}")
            if b:
                print(f"    spaCy: {[(m.kind, m.key, m.text) for m in vocabulary.find(item.text, item.lang)]}")


if __name__ == "__main__":
    main()
