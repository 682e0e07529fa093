"""The real-questions corpus: its schema, and that its test part never leaks into training data."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.evaluation.corpus import (
    CATEGORIES,
    MIN_ITEMS,
    PARTS,
    fold,
    item_from_dict,
    load_all,
    load_part,
    problems,
    training_texts,
)
from bot.settings import PROJECT_ROOT


def faq_ids() -> set[str]:
    return {e["id"] for path in (PROJECT_ROOT / "faq").glob("*.yml")
            for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]}


def test_no_test_question_appears_in_training_data_faq_examples_or_heldout_sets() -> None:
    seen = training_texts()
    assert len(seen) > 500, "the training files were not read"
    leaked = [f"{item.text!r} is in {seen[fold(item.text)].relative_to(PROJECT_ROOT)}"
              for item in load_part("test") if fold(item.text) in seen]
    assert not leaked, "test-part questions must never be training data:\n" + "\n".join(leaked)


def test_the_corpus_is_well_formed() -> None:
    items = load_all()
    assert not problems(items, faq_ids())
    assert len(items) >= MIN_ITEMS
    langs = Counter(item.lang for item in items)
    assert langs["fr"] >= 150 and langs["en"] >= 150, langs
    assert {item.category for item in items} <= set(CATEGORIES)


def test_parts_are_disjoint_and_balanced_per_category_and_language() -> None:
    dev, test = load_part("dev"), load_part("test")
    assert not {fold(i.text) for i in dev} & {fold(i.text) for i in test}
    strata = Counter((i.category, i.lang, i.part) for i in dev + test)
    for category, lang in {(i.category, i.lang) for i in dev + test}:
        in_dev, in_test = strata[(category, lang, "dev")], strata[(category, lang, "test")]
        # Items that are also training sentences are kept in dev, so dev may be a little larger.
        assert in_test <= in_dev, (category, lang, in_dev, in_test)
    # new items are split by `bot eval --add` (bot/evaluation/corpus.py, split), so both parts
    # grow; the test part stays at least a third of the corpus
    assert len(test) >= (len(dev) + len(test)) / 3


@pytest.mark.parametrize("raw, problem", [
    ({"text": "hello", "lang": "en", "category": "smalltalk", "expect": ["greet"], "source": "not a url"}, "source is not a URL"),
    ({"text": "hello", "lang": "xx", "category": "smalltalk", "expect": ["greet"], "source": "https://a.b"}, "unknown lang"),
    ({"text": "hello", "lang": "en", "category": "weather", "expect": ["greet"], "source": "https://a.b"}, "unknown category"),
    ({"text": "hello", "lang": "en", "category": "smalltalk", "expect": ["faq:nope"], "source": "https://a.b"}, "unknown FAQ entry"),
    ({"text": "hello", "lang": "en", "category": "smalltalk", "expect": ["trials"], "source": "https://a.b"}, "needs a value"),
    ({"text": "hello", "lang": "en", "category": "smalltalk", "expect": [], "source": "https://a.b"}, "no expected outcome"),
])
def test_schema_problems_are_reported(raw: dict, problem: str) -> None:
    found = problems([item_from_dict({"id": "t1", **raw}, "dev")], faq_ids())
    assert any(problem in line for line in found), found


def test_parts_are_the_two_files() -> None:
    assert PARTS == ("dev", "test")
    for part in PARTS:
        assert (PROJECT_ROOT / "eval" / "real_questions" / f"{part}.yml").is_file()
