"""``LinearIntentClassifier``: block-normalised linear SVM on the sentence-level features.

Chosen on the MASSIVE benchmark (bench/massive_results.md). Config:
``bot.nlu.intent_classifier.LinearIntentClassifier``.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
import scipy.sparse
import sklearn.preprocessing
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.blocks import sentence_blocks, unit_row

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Linear SVM (or logistic regression) on the sentence-level features, block-normalised.

    Each featurizer's sentence vector is normalised on its own before they are put side by
    side: counts as log(1 + n) scaled to unit length, dense vectors to unit length times
    ``dense_weight``. So a 30,000-column char n-gram block and a 512-dim embedding weigh the
    same whatever their raw scale (Rasa's LogisticRegressionClassifier takes raw counts).

    ``loss: svm`` (default) trains sklearn's LinearSVC (one-vs-rest, liblinear): ~20 s on
    MASSIVE's 23k examples, well under a second on 1,500. Its margins become confidences
    through a softmax with ``temperature``: 6 minimises the log-loss on MASSIVE dev for a
    model trained on 1,500 examples (4 for one trained on all 23k: margins grow with the
    data), so FallbackClassifier thresholds keep a meaning; re-fit it on our held-out data.
    ``loss: logistic`` trains a multinomial logistic regression instead (true probabilities,
    but minutes on MASSIVE and a little less accurate there).
    Inference is one sparse matrix product; the weights are stored as plain NumPy arrays.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "loss": "svm",  # or "logistic"
            "C": 0.5,  # inverse regularisation; 0.5 for svm chosen on MASSIVE dev
            "temperature": 6.0,  # svm only: confidence = softmax(temperature * margin)
            "dense_weight": 1.0,
            "max_iter": 1000,
            "class_weight": None,  # or "balanced"
            "random_seed": 42,
            "ranking_length": 10,
        }

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: dict[str, np.ndarray] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._extra = extra or {}
        self._model_storage = model_storage
        self._resource = resource
        self._w = weights
        # An all-zero row per feature block, for messages that lack one (set by train/load).
        self._dims_zero: dict[str, Any] = {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _blocks(self, messages: list[Message], origins: list[str]) -> list[Any]:
        """One normalised block per featurizer: log(1+count) for counts, each at unit length."""
        blocks = []
        for origin in origins:
            rows = []
            for message in messages:
                block = sentence_blocks(message).get(origin)
                rows.append(block if block is not None else self._dims_zero[origin])
            if len(rows) == 1:  # parsing one message: skip stacking and sklearn's input checks
                m = unit_row(rows[0])
            elif scipy.sparse.issparse(rows[0]):
                m = scipy.sparse.vstack(rows).tocsr().astype(np.float32)
                m.data = np.log1p(m.data)
                m = sklearn.preprocessing.normalize(m)
            else:
                m = sklearn.preprocessing.normalize(np.vstack(rows).astype(np.float32))
            if not scipy.sparse.issparse(m):
                m = m * float(self._config["dense_weight"])
            blocks.append(m)
        return blocks

    def _matrix(self, messages: list[Message], origins: list[str]) -> scipy.sparse.csr_matrix:
        blocks = self._blocks(messages, origins)
        return scipy.sparse.hstack([scipy.sparse.csr_matrix(b) for b in blocks]).tocsr()

    def _fit(self, examples: list[Message], labels: list[str]) -> dict[str, np.ndarray]:
        """Train on `examples` (with sentence features) and return the weights to store."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        origins = sorted(set().union(*(sentence_blocks(e).keys() for e in examples)))
        self._dims_zero = self._zero_blocks(examples, origins)
        x = self._matrix(examples, origins)
        classes = sorted(set(labels))
        if len(classes) == 1:
            # sklearn needs two classes; one label is always predicted, with confidence 1.
            coef = np.zeros((1, x.shape[1]), np.float32)
            intercept = np.zeros(1, np.float32)
        else:
            common = {
                "C": float(self._config["C"]),
                "max_iter": int(self._config["max_iter"]),
                "class_weight": self._config["class_weight"],
                "random_state": int(self._config["random_seed"]),
            }
            if self._config["loss"] == "logistic":
                clf = LogisticRegression(**common)
            else:
                clf = LinearSVC(**common)
            clf.fit(x, labels)
            coef, intercept, classes = clf.coef_, clf.intercept_, list(clf.classes_)
        return {
            "coef": np.asarray(coef, dtype=np.float32),
            "intercept": np.asarray(intercept, dtype=np.float32),
            "classes": np.asarray(classes, dtype=str),
            "origins": np.asarray(origins, dtype=str),
            "dims": np.asarray([self._dims_zero[o].shape[1] for o in origins]),
            "sparse": np.asarray([scipy.sparse.issparse(self._dims_zero[o]) for o in origins]),
        }

    def _persist(self, extra: dict[str, Any] | None = None) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / "linear_intent.npz", **(self._w or {}))
            if extra is not None:
                (directory / "extra.json").write_text(json.dumps(extra, ensure_ascii=False),
                                                      encoding="utf-8")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("LinearIntentClassifier: no intent examples, nothing to train.")
            return self._resource
        self._w = self._fit(examples, [e.get(INTENT) for e in examples])
        self._persist()
        return self._resource

    def _probabilities(self, messages: list[Message]) -> tuple[list[str], np.ndarray]:
        """(labels, probabilities of shape [len(messages), len(labels)])."""
        assert self._w is not None
        classes = [str(c) for c in self._w["classes"]]
        if len(classes) == 1:
            return classes, np.ones((len(messages), 1))
        # Block by block against the matching columns of the weights: the same sum as one
        # stacked matrix, without building it for every message (a third of the parse time).
        origins = [str(o) for o in self._w["origins"]]
        coef = self._w["coef"]
        scores = np.tile(np.asarray(self._w["intercept"], np.float64), (len(messages), 1))
        start = 0
        for block in self._blocks(messages, origins):
            width = block.shape[1]
            scores += np.asarray(block @ coef[:, start : start + width].T)
            start += width
        if scores.shape[1] == 1:  # two classes: sklearn keeps one column
            scores = np.hstack([-scores, scores]) / 2.0
        if self._config["loss"] != "logistic":
            scores = scores * float(self._config["temperature"])
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        return classes, probs

    @staticmethod
    def _zero_blocks(examples: list[Message], origins: list[str]) -> dict[str, Any]:
        """An all-zero row per block, for a message that lacks that block (e.g. empty text)."""
        zeros: dict[str, Any] = {}
        for origin in origins:
            sample = next(b[origin] for e in examples if origin in (b := sentence_blocks(e)))
            width = sample.shape[1]
            zeros[origin] = (scipy.sparse.csr_matrix((1, width), dtype=np.float32)
                             if scipy.sparse.issparse(sample) else np.zeros((1, width), np.float32))
        return zeros

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / "linear_intent.npz") as data:
                    weights = {k: data[k] for k in data.files}
                extra_path = directory / "extra.json"
                extra = (json.loads(extra_path.read_text(encoding="utf-8"))
                         if extra_path.exists() else {})
        except (ValueError, FileNotFoundError):
            logger.debug("%s: no trained weights, it will predict nothing.", cls.__name__)
            return cls(config, model_storage, resource)
        if not weights:
            return cls(config, model_storage, resource, extra=extra)
        component = cls(config, model_storage, resource, weights, extra=extra)
        component._dims_zero = {
            str(o): (scipy.sparse.csr_matrix((1, int(d)), dtype=np.float32) if s
                     else np.zeros((1, int(d)), np.float32))
            for o, d, s in zip(weights["origins"], weights["dims"], weights["sparse"], strict=True)
        }
        return component

    def process(self, messages: list[Message]) -> list[Message]:
        if self._w is None or not messages:
            return messages
        classes, probs = self._probabilities(messages)
        length = int(self._config["ranking_length"])
        for message, p in zip(messages, probs, strict=True):
            order = np.argsort(-p)
            ranking = [{"name": classes[i], "confidence": float(p[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking,
                        add_to_output=True)
        return messages
