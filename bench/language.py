"""Language identification on short real messages: right answers by message length.

    python -m bench.language [--massive ../shared/benchmarks/massive]

MASSIVE 1.1 fr-FR / en-US test utterances (real short requests to a voice assistant), grouped
by word count. "before" is the detector of main before issue 15 (cue words, then py3langid from
four words at 95 % confidence); "now" is ``bot.language.detect`` (cue words, lingua FR-vs-EN
from three words, "other language" only when py3langid and lingua agree). An undecided message
keeps the conversation's language, so it is counted apart. Also prints the first-use load time
and memory of the identifiers, and the cost per message.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from bot import language
from bot.text import LANGUAGES, fold

DEFAULT_MASSIVE = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "massive"


def utterances(folder: Path) -> Iterator[tuple[str, str]]:
    for locale, lang in (("fr-FR", "fr"), ("en-US", "en")):
        with gzip.open(folder / f"{locale}.jsonl.gz", "rt", encoding="utf-8") as rows:
            for line in rows:
                row = json.loads(line)
                if row["partition"] == "test":
                    yield lang, row["utt"]


def before(text: str) -> str | None:
    """The detector as it was: cue words, then py3langid from 4 words at 95 % confidence."""
    words = language._WORD.findall(fold(text))
    if not words:
        return None
    fr, en = language._cue_counts(words)
    if language._clear_cues(fr, en):
        return "fr" if fr > en else "en"
    if len(words) < 4 and (text.isascii() or len(words) >= 3 or sum(map(len, words)) < 8):
        return None
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    lang, confidence = _full_langid(LanguageIdentifier, MODEL_FILE).classify(text)
    if confidence < 0.95:
        return None
    if lang in LANGUAGES:
        return lang
    return language.OTHER if fr == en == 0 else None


_CACHE: dict[str, object] = {}


def _full_langid(cls: type, model: str) -> object:
    if "id" not in _CACHE:
        _CACHE["id"] = cls.from_pickled_model(model, norm_probs=True)
    return _CACHE["id"]


def bucket(lang: str, text: str) -> str | None:
    n = len(language._WORD.findall(fold(text)))
    return None if n < 3 else f"{lang} {n if n < 6 else '6+'} words"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--massive", type=Path, default=DEFAULT_MASSIVE)
    args = parser.parse_args()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    language.detect("je voudrais savoir si cet essai recrute encore")
    language._other_language("hola, ¿tienen ensayos?", [])
    load = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) // 1024
    detectors: dict[str, Callable[[str], str | None]] = {"before": before, "now": language.detect}
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    spent: dict[str, float] = defaultdict(float)
    for lang, text in utterances(args.massive):
        name = bucket(lang, text)
        if name is None:
            continue
        for label, detect in detectors.items():
            started = time.perf_counter()
            found = detect(text)
            spent[label] += time.perf_counter() - started
            row = stats[label][name]
            row[0] += found == lang
            row[1] += found is None
            row[2] += 1
    print("| messages | n | before: right % (undecided %) | now: right % (undecided %) |")
    print("| --- | --- | --- | --- |")
    for name in sorted(stats["now"]):
        n = stats["now"][name][2]
        cells = [f"{100 * stats[d][name][0] / n:.1f} ({100 * stats[d][name][1] / n:.1f})" for d in detectors]
        print(f"| {name} | {n} | " + " | ".join(cells) + " |")
    total = sum(row[2] for row in stats["now"].values())
    print(f"\nper message: before {1000 * spent['before'] / total:.3f} ms, now {1000 * spent['now'] / total:.3f} ms")
    print(f"identifiers' first use: {load:.2f} s, +{grown} MB resident")


if __name__ == "__main__":
    main()
