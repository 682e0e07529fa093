"""Serving a model without TensorFlow: Rasa imports it with its modules (440 MB of memory,
several seconds of start-up) although our model runs none of it. When the model to serve has no
TensorFlow component (read from its ``metadata.json``), ``tensorflow`` and its kin become empty
stand-ins: Rasa's classes that derive from Keras ones are still defined, and any use of one
raises instead of computing. Applied by ``bot.runtime.rasa_server`` before Rasa is imported."""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import tarfile
import types
from pathlib import Path
from typing import Any

from bot.errors import TensorFlowNotLoaded

# Rasa 3.6's components that run TensorFlow (all of Rasa's modules that use it at run time).
TENSORFLOW_COMPONENTS = frozenset(
    {"DIETClassifier", "ResponseSelector", "TEDPolicy", "UnexpecTEDIntentPolicy", "ConveRTFeaturizer",
     "LanguageModelFeaturizer"}
)
_TENSORFLOW_PACKAGES = ("tensorflow", "tensorflow_addons", "tensorflow_hub", "tensorflow_text", "keras", "tensorboard")


def model_needs_tensorflow(model: Path) -> bool:
    """True unless the model's metadata lists its components and none of them uses TensorFlow."""
    try:
        with tarfile.open(model) as archive:
            member = archive.extractfile("metadata.json")
            nodes = json.load(member)["predict_schema"]["nodes"] if member else None
    except (OSError, KeyError, ValueError, tarfile.TarError):
        return True
    if not isinstance(nodes, dict):
        return True
    return any(str(node.get("uses", "")).rsplit(".", 1)[-1] in TENSORFLOW_COMPONENTS for node in nodes.values())


class _Absent(type):
    """Whatever Rasa's modules name in TensorFlow at import: a class, usable as a base class,
    annotation or decorator (a function passed alone comes back as it is); anything else raises."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _TensorFlowName

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]  # @tf.function, @tf.autograph.experimental.do_not_convert...
        raise TensorFlowNotLoaded("TensorFlow is not loaded in this Rasa process (the model did not need it)")

    def __getitem__(cls, item: Any) -> Any:
        return _TensorFlowName

    def __or__(cls, other: Any) -> Any:
        return _TensorFlowName

    __ror__ = __or__


class _TensorFlowName(metaclass=_Absent):
    pass


class _NoTensorFlow(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of TensorFlow's packages get modules whose every name is ``_TensorFlowName``."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname.split(".")[0] not in _TENSORFLOW_PACKAGES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: Any) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        module.__getattr__ = _module_attribute  # type: ignore[method-assign]
        module.__version__ = "0"
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def _module_attribute(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return _TensorFlowName


def without_tensorflow() -> None:
    if not any(isinstance(finder, _NoTensorFlow) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NoTensorFlow())
