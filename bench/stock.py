"""The stock Rasa model of the comparison, trained once and cached.

    python -m bench.stock          # train it now if the cache has none for the current inputs

Stock training takes about 14 minutes (DIET and ResponseSelector, 100 epochs each): the bench
trains it once and keeps it in ``var/bench/stock-<fingerprint>/`` with the time the training
took (``training.json``). The fingerprint covers what shapes the model (Rasa's version, the
stock config, the domain and the training data), so a changed FAQ retrains and an unchanged
project reuses the model. The folder is relative to the project root: copying ``var/bench/``
to another checkout of the same inputs reuses it there too.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot.errors import BenchError
from bot.settings import PROJECT_ROOT, VAR_DIR, Settings

if TYPE_CHECKING:
    from bot.runtime.launcher import Service

STOCK_CONFIG = PROJECT_ROOT / "bench" / "stock_config.yml"
CACHE_DIR = VAR_DIR / "bench"
MODEL_NAME = "stock.tar.gz"
RECORD_NAME = "training.json"


@dataclass(frozen=True)
class StockModel:
    path: Path
    training_s: float  # of the training that made the cached model, maybe on another day
    trained_now: bool


def _input_files(root: Path) -> list[Path]:
    from bot.settings import DATA_DIRS, DOMAIN_DIR

    folders = [root / DOMAIN_DIR.name, *(root / d.name for d in DATA_DIRS)]
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml"}]
    return sorted(files)


def fingerprint(root: Path = PROJECT_ROOT, config: Path = STOCK_CONFIG, rasa_version: str | None = None) -> str:
    """Same Rasa, stock config, domain and data: same fingerprint, in whatever folder they are."""
    if rasa_version is None:
        import rasa

        rasa_version = rasa.__version__
    digest = hashlib.sha256(f"rasa {rasa_version}\n".encode())
    digest.update(b"config\0" + config.read_bytes() + b"\0")
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_folder(print_: str, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"stock-{print_}"


def cached(folder: Path) -> StockModel | None:
    model, record = folder / MODEL_NAME, folder / RECORD_NAME
    if not (model.is_file() and record.is_file()):
        return None
    return StockModel(model, float(json.loads(record.read_text())["training_s"]), trained_now=False)


def _train(folder: Path) -> StockModel:
    """Trains into a scratch folder beside the cache, moved in place only when complete."""
    from bot.runtime.model import rasa_env, rasa_executable
    from bot.settings import DATA_DIRS, DOMAIN_DIR

    scratch = folder.with_name(folder.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    command = [
        rasa_executable(), "train", "--config", str(STOCK_CONFIG), "--domain", str(DOMAIN_DIR),
        "--data", *map(str, DATA_DIRS), "--out", str(scratch),
        "--fixed-model-name", MODEL_NAME.removesuffix(".tar.gz"), "--force",
    ]
    # A cache of its own: Rasa's shared one would make the recorded training time a warm one.
    env = {**rasa_env(), "RASA_CACHE_DIRECTORY": str(scratch / "rasa-cache"), "OPENBLAS_NUM_THREADS": "1"}
    log = scratch / "train.log"
    print(f"Training the stock Rasa model into {folder.relative_to(PROJECT_ROOT)} "
          f"(about 14 minutes on a quiet machine; log: {log.relative_to(PROJECT_ROOT)})", flush=True)
    started = time.monotonic()
    with log.open("wb") as out:
        completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    if completed.returncode != 0 or not (scratch / MODEL_NAME).is_file():
        raise BenchError(f"stock training failed (exit code {completed.returncode}); see {log}")
    shutil.rmtree(scratch / "rasa-cache", ignore_errors=True)
    (scratch / RECORD_NAME).write_text(json.dumps({"training_s": round(elapsed, 1), "command": command[1:]}))
    shutil.rmtree(folder, ignore_errors=True)
    scratch.rename(folder)
    return StockModel(folder / MODEL_NAME, elapsed, trained_now=True)


def ensure_stock_model() -> StockModel:
    """The cached stock model of the current inputs, trained first if there is none."""
    from bot.faq.generate import build

    build()  # the FAQ's generated files are inputs: the same ones as our model's
    folder = cache_folder(fingerprint())
    return cached(folder) or _train(folder)


def stock_model_in(folder: Path) -> StockModel:
    """The stock model kept in ``folder`` (relative to the project root, or absolute), whatever
    its inputs: to compare against a model trained before the data changed, without 14 minutes
    of training. Raises ``BenchError`` naming the folder if it holds no complete model."""
    folder = folder if folder.is_absolute() else PROJECT_ROOT / folder
    model = cached(folder)
    if model is None:
        raise BenchError(f"{folder} holds no stock model ({MODEL_NAME} and {RECORD_NAME}): "
                         "run `python -m bench.stock` or drop --stock-model")
    return model


def rasa_service(settings: Settings, model: Path, data_dir: Path) -> Service:
    """Stock Rasa serving the stock model: Rasa's own CLI (none of our fixes, channels or
    stores), Rasa's SQL tracker store in SQLite as ours, the same action server."""
    from bot.runtime.endpoints import ACTION_TOKEN_VARIABLE, action_endpoint_config
    from bot.runtime.launcher import Service, rasa_answers, serving_env
    from bot.runtime.model import rasa_executable

    endpoints = {
        "action_endpoint": action_endpoint_config(settings),
        "tracker_store": {"type": "sql", "dialect": "sqlite", "db": str(data_dir / "stock-conversations.db")},
    }
    (data_dir / "stock-endpoints.yml").write_text(yaml.safe_dump(endpoints))
    (data_dir / "stock-credentials.yml").write_text("rest:\n")
    command = [
        rasa_executable(), "run", "--model", str(model),
        "--endpoints", str(data_dir / "stock-endpoints.yml"),
        "--credentials", str(data_dir / "stock-credentials.yml"),
        "--interface", settings.host, "--port", str(settings.rasa_port),
        "--enable-api", f"--auth-token={settings.rasa_api_token()}",  # a bench's own token
    ]
    env = {**serving_env(), ACTION_TOKEN_VARIABLE: settings.action_token()}
    return Service("rasa-stock", command, ready=lambda: rasa_answers(settings), env=env)


def main() -> None:
    model = ensure_stock_model()
    how = "trained now" if model.trained_now else "cached"
    print(f"stock model ({how}, training took {model.training_s:.0f} s): {model.path.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
