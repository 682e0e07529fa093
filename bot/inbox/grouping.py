"""Grouping similar messages, so staff handle one question once, however it was written.

Messages are compared on their masked, normalised text with character n-grams (robust to
typos, missing accents and word order). Each group has a leader, its most frequent message;
a message joins the first group whose leader it resembles enough, else starts its own. The
order is fixed (most frequent first, then alphabetical), so the same inbox gives the same
groups every time.
"""
from __future__ import annotations

from collections.abc import Sequence

from bot.faq.text import normalize

SIMILAR = 0.5

def group_texts(texts: Sequence[str], weights: Sequence[int], threshold: float = SIMILAR) -> list[list[int]]:
    """Indexes of ``texts`` grouped by similarity, biggest groups' leaders first."""
    if not texts:
        return []
    from sklearn.feature_extraction.text import TfidfVectorizer

    normalised = [normalize(t) or t for t in texts]
    order = sorted(range(len(texts)), key=lambda i: (-weights[i], normalised[i], i))
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(
        normalised
    )
    leaders: list[int] = []
    groups: dict[int, list[int]] = {}
    for i in order:
        similar = []
        if leaders:
            scores = (vectors[leaders] @ vectors[i].T).toarray().ravel()
            similar = [leader for leader, score in zip(leaders, scores, strict=True) if score >= threshold]
        if similar:
            groups[similar[0]].append(i)  # the most frequent leader that is similar enough
        else:
            leaders.append(i)
            groups[i] = [i]
    return [groups[leader] for leader in leaders]
