"""Training the Rasa model only when its inputs changed.

The model file is named after a fingerprint of everything that shapes it (config, domain,
training data, the code of our NLU components, the Rasa version), so "is there a model for
these inputs?" is a file lookup, and an unchanged project never retrains.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bot.errors import TrainingFailed
from bot.settings import CONFIG_FILE, DATA_DIRS, DOMAIN_DIR, MODELS_DIR, PROJECT_ROOT

# Our code that runs inside the NLU pipeline: a change there changes predictions
# (tests/unit/test_kernel.py checks that every module the components import is listed).
PIPELINE_CODE = (
    PROJECT_ROOT / "bot" / "nlu",
    PROJECT_ROOT / "bot" / "safety.py",
    PROJECT_ROOT / "bot" / "language.py",
    PROJECT_ROOT / "bot" / "text.py",  # the folding the rules and the language cues match on
    PROJECT_ROOT / "bot" / "limits.py",  # the message-length limit of the "too long" rule
    PROJECT_ROOT / "bot" / "vocabulary_terms.py",  # the cancer, drug and symptom phrases of the scope check
    # how the answerability check (bot/nlu/answerability.py) reads a question: FAQ words, and
    # what in it names a trial (cancer types, phases, places...)
    PROJECT_ROOT / "bot" / "faq" / "text.py",
    *(PROJECT_ROOT / "bot" / "trials" / f"{name}.py"
      for name in ("lexicon", "matching", "places", "query", "records", "text", "understand")),
)
KEEP_MODELS = 3


def _files(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml", ".py"})
        elif path.is_file():
            found.append(path)
    return sorted(found)


def training_inputs(root: Path = PROJECT_ROOT) -> tuple[Path, Path, tuple[Path, ...]]:
    """Config, domain folder and data folders of the project at ``root`` (a staging copy of
    the project has the same layout)."""
    return root / CONFIG_FILE.name, root / DOMAIN_DIR.name, tuple(root / d.name for d in DATA_DIRS)


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """Same inputs, same fingerprint, whatever folder they are in (the pipeline code is ours)."""
    import rasa  # here, not at the top: importing Rasa takes seconds, `bot --help` needs none of it

    config, domain, data = training_inputs(root)
    digest = hashlib.sha256(f"rasa {rasa.__version__}\n".encode())
    for base, paths in ((root, [config, domain, *data]), (PROJECT_ROOT, list(PIPELINE_CODE))):
        for path in _files(paths):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(print_: str | None = None) -> Path:
    return MODELS_DIR / f"curie-{print_ or fingerprint()}.tar.gz"


def train_command(root: Path, target: Path) -> list[str]:
    """`rasa train` of the project at ``root`` into the file ``target``."""
    config, domain, data = training_inputs(root)
    return [
        rasa_executable(), "train",
        "--config", str(config),
        "--domain", str(domain),
        "--data", *map(str, data),
        "--out", str(target.parent),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        "--force",
    ]


def rasa_env() -> dict[str, str]:
    """Environment for every Rasa process: no telemetry, our package importable, quiet TF."""
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env


def rasa_executable() -> str:
    return str(Path(sys.executable).with_name("rasa"))


def _prune_old_models(keep: Path) -> None:
    models = sorted(MODELS_DIR.glob("curie-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [m for m in models if m != keep][KEEP_MODELS - 1 :]:
        old.unlink(missing_ok=True)


def ensure_model(force: bool = False) -> Path:
    """Returns the model for the current inputs, training it first if it does not exist.

    The FAQ's generated files are among the inputs: generate them first (bot.faq.service.train
    does both), this only reads what is on disk.
    """
    target = model_path()
    if target.is_file() and not force:
        return target
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Training the model ({target.name}); this takes a few minutes the first time.", flush=True)
    completed = subprocess.run(train_command(PROJECT_ROOT, target), cwd=PROJECT_ROOT, env=rasa_env())
    if completed.returncode != 0 or not target.is_file():
        raise TrainingFailed(f"Training failed (exit code {completed.returncode}); see the output above.")
    _prune_old_models(target)
    return target
