"""Publishing a model to every Rasa instance, from one place: ``publish_model(settings, path)``.

The model folder (``models/``) is shared by all instances (on several hosts: a shared folder
at the same path). Publishing (1) records the model as the current one in
``var/current-model``, which every instance (re)started later loads, then (2) has each
running instance load it through its HTTP API (bot/runtime/deploy.py), one after the other so
the others keep answering, and (3) checks that every instance reports it. When it returns
successfully, no instance answers with the previous model.

Used by ``bot faq retrain`` and the staff console.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.runtime.deploy import LoadResult, Outcome, load_model, running_model
from bot.settings import CURRENT_MODEL_FILE, RUNNING_INSTANCES_FILE, Settings

# Written by `bot run`: how many instances run now (`--rasa-instances` may differ from .env).
# An instance that is restarting while we publish: wait for it (it may load the old model).
RESTARTING_WAIT_S = 300.0


def current_model(default: Path) -> Path:
    """The model published last, if it is still there; else ``default``."""
    try:
        published = Path(CURRENT_MODEL_FILE.read_text(encoding="utf-8").strip())
    except OSError:
        return default
    return published if published.is_file() else default


def set_current_model(model: Path) -> None:
    CURRENT_MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    scratch = CURRENT_MODEL_FILE.with_suffix(".tmp")
    scratch.write_text(str(model.resolve()), encoding="utf-8")
    scratch.replace(CURRENT_MODEL_FILE)  # atomic: a starting instance reads old or new


def record_running_instances(count: int | None) -> None:
    """``bot run`` says how many instances it runs (None: it stopped)."""
    if count is None:
        RUNNING_INSTANCES_FILE.unlink(missing_ok=True)
        return
    RUNNING_INSTANCES_FILE.parent.mkdir(parents=True, exist_ok=True)
    RUNNING_INSTANCES_FILE.write_text(str(count), encoding="utf-8")


def instance_count(settings: Settings) -> int:
    try:
        running = int(RUNNING_INSTANCES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        running = 0
    return max(settings.rasa_instances, running)


@dataclass(frozen=True)
class PublishResult:
    outcome: Outcome
    message: str  # for staff, one or two sentences
    instances: dict[str, LoadResult] = field(default_factory=dict)  # by instance URL

    @property
    def ok(self) -> bool:
        return self.outcome is not Outcome.FAILED


def _wait_until_up(settings: Settings, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            if running_model(settings) is not None:
                return True
        except (PermissionError, ConnectionError):
            return True  # it answers: load_model will say what is wrong
        time.sleep(1)
    return False


def publish_model(settings: Settings, model: Path) -> PublishResult:
    """Makes every Rasa instance of ``settings`` answer with ``model`` (see the module doc)."""
    set_current_model(model)
    settings = replace(settings, rasa_instances=instance_count(settings))
    instances = [settings.instance(i) for i in range(settings.rasa_instances)]
    results = {own.rasa_url: load_model(own, model) for own in instances}
    if len(instances) == 1:
        only = next(iter(results.values()))
        return PublishResult(only.outcome, only.message, results)
    if all(r.outcome is Outcome.NOT_RUNNING for r in results.values()):
        return PublishResult(Outcome.NOT_RUNNING, next(iter(results.values())).message, results)
    # The stack runs: an instance that did not answer is being restarted by `bot run`.
    deadline = time.monotonic() + RESTARTING_WAIT_S
    for own in instances:
        if results[own.rasa_url].outcome is Outcome.NOT_RUNNING and _wait_until_up(own, deadline):
            results[own.rasa_url] = load_model(own, model)
    failed = {url: r for url, r in results.items() if r.outcome is not Outcome.LOADED
              and r.outcome is not Outcome.ALREADY_CURRENT}
    if failed:
        details = " ".join(f"{url}: {r.message}" for url, r in failed.items())
        return PublishResult(
            Outcome.FAILED,
            f"{len(failed)} of {len(instances)} assistant instances did not take the new model. {details}",
            results,
        )
    if all(r.outcome is Outcome.ALREADY_CURRENT for r in results.values()):
        return PublishResult(Outcome.ALREADY_CURRENT, "The running assistant already uses this model: nothing to do.", results)
    who = f"All {len(instances)} instances of the running assistant now answer" if len(instances) > 1 \
        else "The running assistant now answers"
    return PublishResult(
        Outcome.LOADED,
        f"{who} with the new model (no restart was needed; ongoing conversations continue).",
        results,
    )
