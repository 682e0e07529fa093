"""Lemma-aware matching of cancer names, drugs, symptoms and illnesses, in French and English.

Built once per process (:func:`pipeline`): spaCy's blank ``fr`` / ``en`` pipeline with its
lookup lemmatizer (tables of ``spacy-lookups-data``, in the wheel: nothing is downloaded) and a
``PhraseMatcher`` on each token's *norm*: its lemma, folded by :func:`bot.text.fold` (lower
case, no accents). So "cancers du poumon", "mélanomes", "leucemie", "MYÉLOMES" or "lungs" meet
the vocabulary's "poumon", "melanome", "leucémie", "myelome", "lung". Words the lookup table
only knows with accents ("leucemies") are found through the same table with folded keys,
restricted to the vocabulary's words (a few hundred entries, not the table's 217,000).

The vocabulary (:data:`VOCABULARY`) is curated from what the project already knows: cancer
names from ``bot/trials/lexicon.py`` (conditions), immunotherapy drugs from the same lexicon
(interventions marked immunotherapy, whose names come from the trial records), symptoms and
illnesses from the urgency and advice rules of ``bot/safety.py``. :func:`find` returns the
mentions found in a message; ``kind`` is one of :data:`KINDS`.

Importing spaCy imports thinc, which imports TensorFlow when it is installed (6 s, 440 MB):
TensorFlow is hidden from it while spaCy is imported (:func:`_spacy_without_tensorflow`), so
this module costs the same in a Rasa process that serves without TensorFlow.
"""
from __future__ import annotations

import gzip
import json
import sys
from array import array
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from bot.text import LANGUAGES, fold
from bot.vocabulary_terms import (  # the phrases, without spaCy
    _ELIDED,
    _ENDINGS,
    _IGNORE,
    KINDS,
    VOCABULARY,
)

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Mention:
    """One vocabulary phrase found in a message: its kind, the concept key, the words as written."""

    kind: str
    key: str
    text: str
    start: int  # token positions in the message
    end: int





@contextmanager
def _spacy_without_tensorflow() -> Iterator[None]:
    """thinc (spaCy's machine learning layer) imports TensorFlow when it can, only to offer it as
    a backend we never use; it catches ImportError. Hide TensorFlow while it is imported."""
    names = ("tensorflow", "tensorflow.experimental", "tensorflow.experimental.dlpack")
    saved = {name: sys.modules[name] for name in names if name in sys.modules}
    for name in names:
        sys.modules[name] = None  # type: ignore[assignment]  # "import tensorflow" raises ImportError
    try:
        yield
    finally:
        for name in names:
            del sys.modules[name]
        sys.modules.update(saved)


if "thinc.compat" not in sys.modules:
    with _spacy_without_tensorflow():
        import thinc.compat  # noqa: F401  # decides thinc's backends once, here
import spacy  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402
from spacy.tokens import Doc, Token  # noqa: E402
from spacy.util import filter_spans  # noqa: E402


def _lookup_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's lemma lookup table of ``lang`` (form -> lemma), as plain strings."""
    data = resources.files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz"
    with gzip.open(str(data), "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    # a few entries list several lemmas: the first, as spaCy's lemmatizer takes it
    return {form: lemma if isinstance(lemma, str) else lemma[0] for form, lemma in table.items() if lemma}


def _folded_lemmas(lang: str, words: set[str]) -> tuple[dict[str, str], np.ndarray]:
    """Folded form -> folded lemma, for the table's entries that lead to or come from ``words``
    (folded vocabulary words): "leucemies" -> "leucemie" although the table says "leucémies";
    and every word the table knows, folded (its forms and its lemmas), as the sorted hashes of
    :func:`_known_hashes` (2 MB for French's 250,000 words instead of 30 MB of strings)."""
    folded: dict[str, str] = {}
    known = array("q")  # hashes, not strings: nothing of the table stays in memory
    for form, lemma in _lookup_table(lang).items():
        folded_form, folded_lemma = fold(form), fold(lemma)
        known.extend((hash(folded_form), hash(folded_lemma)))
        if folded_lemma in words or folded_form in words:
            folded.setdefault(folded_form, folded_lemma)
    for word in words:  # a vocabulary word is its own lemma, whatever the table says of it
        folded[word] = folded.get(word, word) if folded.get(word) in words else word
    return folded, _known_hashes(known)


def _known_hashes(hashes: array[int]) -> np.ndarray:
    """Python's hashes of the words, sorted, once each (they hold for the process, as the
    pipelines do)."""
    return np.unique(np.frombuffer(hashes, dtype=np.int64))


def _is_known(known: np.ndarray, word: str) -> bool:
    at = int(np.searchsorted(known, hash(word)))
    return at < len(known) and int(known[at]) == hash(word)


@dataclass
class _Pipeline:
    nlp: Language
    matcher: PhraseMatcher
    folded: dict[str, str]
    words: set[str]  # the vocabulary's folded words
    known: np.ndarray  # every word of the language's lookup table, folded: their sorted hashes
    labels: dict[int, tuple[str, str]]

    def norm(self, token: Token) -> str:
        return self.norm_word(fold(token.text), token.lemma_)

    def norm_word(self, text: str, lemma: str) -> str:
        """The folded lemma of a word (``text`` folded, ``lemma`` the lemmatizer's); for a word
        the table lacks ("myélomes", "essoufflée"), the vocabulary word it is a plural or
        feminine of."""
        if text.rstrip("'") in _ELIDED:
            return text.rstrip("'")
        if text in self.folded:
            return self.folded[text]
        lemma = fold(lemma)
        lemma = self.folded.get(lemma, lemma)
        if lemma in self.words:
            return lemma
        for word in (text, lemma):
            for ending in _ENDINGS:
                if word.endswith(ending) and word[: -len(ending)] in self.words:
                    return word[: -len(ending)]
        return lemma


@cache
def _words_by_kind() -> dict[str, frozenset[str]]:
    """The folded words of each kind's phrases (the "ignore" phrases' words included)."""
    by_kind: dict[str, set[str]] = {}
    for (kind, _), phrases in VOCABULARY.items():
        by_kind.setdefault(kind, set()).update(w for p in phrases for w in fold(p).replace("'", " ").split())
    return {kind: frozenset(found) for kind, found in by_kind.items()}


@cache
def pipeline(lang: str) -> _Pipeline:
    """The blank spaCy pipeline of ``lang`` ("fr" or "en") with its lookup lemmatizer and the
    vocabulary's matcher, built on first use (about 1 s for French, its table is the larger)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no vocabulary pipeline for language {lang!r}")
    nlp = spacy.blank(lang)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup table from spacy-lookups-data: nothing is downloaded
    words = set().union(*_words_by_kind().values())
    folded, known = _folded_lemmas(lang, words)
    built = _Pipeline(nlp, PhraseMatcher(nlp.vocab, attr="NORM"), folded, words, known, {})
    for (kind, key), phrases in VOCABULARY.items():
        label = f"{kind}:{key}"
        built.labels[nlp.vocab.strings.add(label)] = (kind, key)
        built.matcher.add(label, [_normed(built, doc) for doc in nlp.pipe(phrases)])
    return built


def _normed(built: _Pipeline, doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = built.norm(token)
    return doc


def find(text: str, lang: str) -> list[Mention]:
    """The vocabulary's mentions in ``text`` (a message in ``lang``), in the order of the text;
    where two overlap, the longer one ("cancer du col de l'utérus" over "col de l'utérus")."""
    built = pipeline(lang)
    doc = _normed(built, built.nlp(text))
    labels: dict[tuple[int, int], tuple[str, str]] = {}
    for match_id, start, end in built.matcher(doc):
        labels.setdefault((start, end), built.labels[match_id])
    found = []
    for span in filter_spans([doc[start:end] for start, end in labels]):
        kind, key = labels[(span.start, span.end)]
        if kind != _IGNORE:
            found.append(Mention(kind, key, span.text, span.start, span.end))
    return found


def kinds_in(text: str, lang: str) -> set[str]:
    """The kinds of mention (:data:`KINDS`) ``text`` holds."""
    return {m.kind for m in find(text, lang)}


def is_other_word(word: str, lang: str, kinds: Collection[str] = KINDS) -> bool:
    """True when ``word`` (one word, folded as bot.text.fold does) is a word of ``lang`` that the
    lookup table knows and that is neither a word of the ``kinds`` of vocabulary nor a form of
    one: a real word, so never a typo of theirs ("livre" is not "liver", "pouvons" not "poumons",
    "sens" not "seins"; "breath" not "breast" with kinds=("cancer",)). A typo ("melanom",
    "leucemi") is no word of the table: False."""
    built = pipeline(lang)
    if not _is_known(built.known, word):
        return False
    doc = built.nlp(word)
    if len(doc) != 1:
        return False
    words = _words_by_kind()
    norm = built.norm(doc[0])
    return not any(norm in words[kind] for kind in kinds)
