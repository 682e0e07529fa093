"""The staging assistant: the approved changes tried before they go live.

``Staging.start`` copies the project's training inputs (config, domain, data, faq) into
``staging_dir``, writes the approved versions into that copy, trains a model there in a
background process (never in models/, which the live assistant uses) and then runs a second
Rasa process with it on a free localhost port. Its conversations stay in memory. A model
already trained for the same inputs is reused, so the same set is trained once.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bot.console.entries import Version, apply, copy_faq
from bot.console.settings import ConsoleSettings
from bot.errors import ConsoleError, FaqBuildError, ServiceFailed, TrainingFailed
from bot.faq import service as faq_service
from bot.faq.model import LANGUAGES, all_entries, read_topics
from bot.faq.paths import FaqPaths
from bot.runtime.endpoints import ACTION_TOKEN_VARIABLE, action_endpoint_config
from bot.runtime.launcher import free_port, rasa_command, serving_env
from bot.runtime.model import fingerprint, rasa_env, train_command
from bot.runtime.rasa_server import TOKEN_VARIABLE
from bot.settings import PROJECT_ROOT, Settings

TRAIN_TIMEOUT_S = 900.0
START_TIMEOUT_S = 300.0
INPUTS = ("config.yml", "domain", "nlu_data", "dialogue")


@dataclass
class StagingState:
    status: str = "idle"  # idle | training | starting | ready | failed
    message: str = "No preview yet."
    progress: int = 0
    version_ids: list[int] = field(default_factory=list)
    fingerprint: str | None = None
    model: Path | None = None
    port: int | None = None
    started_at: float | None = None
    data: dict[str, dict[str, Any]] = field(default_factory=dict)  # staged entries by id

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "message": self.message, "progress": self.progress,
            "version_ids": self.version_ids, "model": self.model.name if self.model else None,
            "elapsed_s": round(time.time() - self.started_at) if self.started_at else None,
        }


class Staging:
    """One staging assistant per console (a new preview replaces the previous one)."""

    def __init__(self, console: ConsoleSettings, settings: Settings) -> None:
        self.console, self.settings = console, settings
        self.state = StagingState()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> Path:
        return self.console.staging_dir / "project"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.state.port}"

    def start(self, versions: list[Version]) -> StagingState:
        with self._lock:
            if self.state.status in ("training", "starting"):
                raise ConsoleError("a preview is already being prepared; wait until it is ready.", 409)
            ids = [v.id for v in versions]
            if self.state.status == "ready" and ids == self.state.version_ids:
                return self.state
            self.stop_server()
            self.state = StagingState("training", "Preparing the copy of the assistant's data...", 0,
                                      ids, started_at=time.time())
            self._prepare([v.data for v in versions])
            self._thread = threading.Thread(target=self._run, name="staging", daemon=True)
            self._thread.start()
            return self.state

    def _prepare(self, changes: list[dict[str, Any]]) -> None:
        project = self.console.project
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        for name in INPUTS:
            source = project.root / name
            if source.is_dir():
                shutil.copytree(source, self.root / name)
            else:
                shutil.copy2(source, self.root / name)
        faq_dir = copy_faq(project.faq_dir, self.root / "faq")
        try:
            apply(faq_dir, changes)
        except Exception as exc:
            self._fail(f"the changes could not be written into the preview copy ({exc}).")
            raise ConsoleError(self.state.message, 500) from exc
        try:
            faq_service.build(FaqPaths(faq_dir=faq_dir, root=self.root))
        except FaqBuildError as exc:
            self._fail("the approved changes have errors: " + exc.report.render())
            raise ConsoleError(self.state.message, 422) from exc
        topics, _ = read_topics(faq_dir)
        self.state.data = {e.id: {"answer": dict(e.answer)} for e in all_entries(topics)}
        self.state.fingerprint = fingerprint(self.root)
        self.state.model = self.console.staging_dir / "models" / f"curie-{self.state.fingerprint}.tar.gz"

    def _fail(self, message: str) -> None:
        self.state.status, self.state.message = "failed", message

    def _run(self) -> None:
        try:
            model = self.state.model
            assert model is not None
            if not model.is_file():
                self._train(model)
            self.state.status, self.state.progress = "starting", 90
            self.state.message = "Model trained; starting the preview assistant..."
            self._serve(model)
            self.state.status, self.state.progress = "ready", 100
            self.state.message = "The preview assistant answers with the approved changes."
        except Exception as exc:  # reported to staff, not lost in a thread
            self._fail(f"the preview failed: {exc}")

    def _train(self, model: Path) -> None:
        model.parent.mkdir(parents=True, exist_ok=True)
        log_path = self.console.staging_dir / "train.log"
        self.state.message = "Training the preview model (about a minute)..."
        with log_path.open("wb") as log:
            process = subprocess.Popen(train_command(self.root, model), cwd=self.root, env=rasa_env(),
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + TRAIN_TIMEOUT_S
            while process.poll() is None:
                if time.monotonic() > deadline:
                    process.kill()
                    raise TrainingFailed(f"training took longer than {TRAIN_TIMEOUT_S:.0f} s")
                time.sleep(1)
                self.state.progress = max(self.state.progress, self._progress(log_path))
        if process.returncode != 0 or not model.is_file():
            raise TrainingFailed(f"training stopped with exit code {process.returncode} (see {log_path})")

    @staticmethod
    def _progress(log_path: Path) -> int:
        """Milestones of `rasa train`'s log: validation, then each component started and
        finished (components whose inputs did not change come from Rasa's cache, quickly)."""
        text = log_path.read_bytes()
        progress = 10 if b"Started validating" in text else 2
        progress += 6 * text.count(b"Starting to train component") + 3 * text.count(b"Finished training component")
        return min(85, progress)

    def _serve(self, model: Path) -> None:
        self.state.port = free_port()
        endpoints = self.console.staging_dir / "endpoints.yml"
        # The live action server, an in-memory tracker store: previews never reach the inbox.
        endpoints.write_text(yaml.safe_dump({"action_endpoint": action_endpoint_config(self.settings)}), encoding="utf-8")
        # Started as `bot run` starts Rasa; no CORS: the console calls it from its own server.
        own = replace(self.settings, host="127.0.0.1", rasa_port=self.state.port, cors_origins=[])
        command = rasa_command(own, model, endpoints)
        env = {**serving_env(), TOKEN_VARIABLE: self.settings.rasa_api_token(),
               ACTION_TOKEN_VARIABLE: self.settings.action_token()}  # the action server's secret
        log = (self.console.staging_dir / "rasa.log").open("ab")
        self._process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServiceFailed(f"the preview assistant stopped at start-up (see {self.console.staging_dir / 'rasa.log'})")
            try:
                self.parse("bonjour")
                return
            except (urllib.error.URLError, OSError):
                time.sleep(1)
        raise ServiceFailed(f"the preview assistant did not answer within {START_TIMEOUT_S:.0f} s")

    def stop_server(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def stop(self) -> None:
        self.stop_server()
        if self.state.status in ("ready",):
            self.state = StagingState()

    # -- talking to it -----------------------------------------------------------------------

    def _post(self, url: str, body: Any, timeout: float = 30) -> Any:
        request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (localhost)
            return json.loads(reply.read())

    def parse(self, text: str) -> dict[str, Any]:
        token = urllib.parse.quote(self.settings.rasa_api_token())
        return dict(self._post(f"{self.url}/model/parse?token={token}", {"text": text}))

    def ready(self) -> None:
        if self.state.status != "ready":
            raise ConsoleError("the preview assistant is not ready: start a preview first.", 409)

    def chat(self, sender: str, text: str, lang: str) -> list[str]:
        self.ready()
        replies = self._post(f"{self.url}/webhooks/rest/webhook",
                             {"sender": sender, "message": text, "metadata": {"lang": lang}})
        return [str(r.get("text")) for r in replies if r.get("text")]


def _answer_of(parse: dict[str, Any], entries: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    """What an assistant answers to a message, from its parse (FAQ answers only)."""
    intent = (parse.get("intent") or {}).get("name")
    selector = ((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = str(selector.get("intent_response_key") or "")
    if intent == "faq" and key.startswith("faq/"):
        entry_id = key.split("/", 1)[1]
        text = (entries.get(entry_id) or {}).get("answer", {}).get(lang, "")
        return {"entry": entry_id, "answer": text, "confidence": selector.get("confidence")}
    return {"entry": None, "answer": f"(not an FAQ answer: {intent})", "confidence": (parse.get("intent") or {}).get("confidence")}


def live_parse(settings: Settings, text: str) -> dict[str, Any] | None:
    request = urllib.request.Request(settings.rasa_api_url("/model/parse"), data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 (our Rasa)
            return dict(json.loads(reply.read()))
    except (urllib.error.URLError, OSError, ValueError):
        return None


def compare(staging: Staging, live_entries: dict[str, dict[str, Any]], versions: list[Version],
            inbox_questions: dict[str, list[tuple[str, str]]]) -> list[dict[str, Any]]:
    """For each staged entry: its example questions and the inbox questions near it, answered
    by the live assistant and by the preview, side by side."""
    staging.ready()
    rows = []
    for version in versions:
        questions = [(lang, q) for lang in LANGUAGES for q in version.data["examples"][lang][:3]]
        questions += inbox_questions.get(version.entry_id, [])[:5]
        answers = []
        for lang, question in questions:
            live = live_parse(staging.settings, question)
            answers.append({
                "lang": lang, "question": question,
                "live": _answer_of(live, live_entries, lang) if live else {"entry": None, "answer": "(the live assistant is not running)"},
                "preview": _answer_of(staging.parse(question), staging.state.data, lang),
            })
        rows.append({"entry_id": version.entry_id, "version": version.id, "questions": answers})
    return rows
