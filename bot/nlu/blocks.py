"""The sentence-level feature blocks the linear classifiers read, one per featurizer.

Shared by ``intent_classifier.LinearIntentClassifier`` and the components built on it
(``response_selector.LinearResponseSelector``, ``urgency.UrgencyDetector``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message


def sentence_blocks(message: Message) -> dict[str, Any]:
    """The message's sentence-level TEXT features, one block per featurizer (by origin)."""
    blocks: dict[str, Any] = {}
    for feature in message.features:
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE:
            origin = feature.origin if isinstance(feature.origin, str) else "+".join(feature.origin)
            blocks[origin] = feature.features
    return blocks


def unit_row(row: Any) -> Any:
    """One row as LinearIntentClassifier._blocks scales it: log(1+count) for counts, then unit length (zero stays zero)."""
    if scipy.sparse.issparse(row):
        m = row.tocsr().astype(np.float32)  # a copy: the message keeps its features
        m.data = np.log1p(m.data)
        values = m.data
    else:
        m = np.array(row, dtype=np.float32)
        values = m
    norm = float(np.sqrt(np.dot(values.ravel(), values.ravel())))
    if norm > 0:
        values /= norm
    return m
