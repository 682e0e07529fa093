"""Fixtures of the staff console: a copy of the project to publish into, its database, users.

The console never touches the real faq/ or models/ in tests: ``project`` is a copy of the
training inputs in a temporary folder.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from sqlalchemy.engine import Engine

from bot.console.auth import Staff, add_user
from bot.console.settings import ConsoleSettings, Project
from bot.console.store import open_store
from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT, Settings
from bot.web.server import create_app
from tests.browser.servers import ServerThread

PASSWORD = "correct horse battery"
INPUTS = ("config.yml", "domain", "nlu_data", "dialogue", "faq")


def copy_project(into: Path) -> Project:
    into.mkdir(parents=True)
    for name in INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        else:
            shutil.copy2(source, into / name)
    (into / "models").mkdir()
    return Project(root=into, models_dir=into / "models")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture
def console_settings(tmp_path: Path, project: Project) -> ConsoleSettings:
    return ConsoleSettings(
        database_url=f"sqlite:///{tmp_path / 'staff.db'}", idle_minutes=30, lockout_attempts=3,
        lockout_minutes=15, staging_dir=tmp_path / "staging", project=project,
    )


@pytest.fixture
def engine(console_settings: ConsoleSettings) -> Engine:
    return open_store(console_settings.database_url)


@pytest.fixture
def staff(engine: Engine) -> dict[str, Staff]:
    return {
        "editor": add_user(engine, "eve", "editor", PASSWORD),
        "reviewer": add_user(engine, "rita", "reviewer", PASSWORD),
        "reviewer2": add_user(engine, "remy", "reviewer", PASSWORD),
        "admin": add_user(engine, "adam", "admin", PASSWORD),
    }


def page_settings(tmp_path: Path, rasa_port: int | None = None) -> Settings:
    port = free_port()
    return Settings(
        host="127.0.0.1", rasa_port=rasa_port or free_port(), action_port=free_port(), web_port=port,
        database_url="sqlite://", tracker_store_url=f"sqlite:///{tmp_path / 'conversations.db'}",
        lock_store_url=None, cors_origins=[f"http://127.0.0.1:{port}"],
    )


@pytest.fixture
def server(tmp_path: Path, console_settings: ConsoleSettings, staff: dict[str, Staff]) -> Iterator[ServerThread]:
    """The page server with the console, on a free port (no Rasa behind it)."""
    settings = page_settings(tmp_path)
    thread = ServerThread(create_app(settings, console_settings), settings.web_port)
    thread.start()
    yield thread
    thread.close()


class Client:
    """A staff member's browser session, over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.csrf = ""

    def login(self, name: str, password: str = PASSWORD) -> requests.Response:
        reply = self.http.post(f"{self.base}/staff/api/login", json={"name": name, "password": password}, timeout=30)
        if reply.ok:
            self.csrf = reply.json()["csrf"]
        return reply

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.base}/staff/api{path}", timeout=60)

    def post(self, path: str, body: object = None, csrf: bool = True) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf else {}
        return self.http.post(f"{self.base}/staff/api{path}", json=body if body is not None else {},
                              headers=headers, timeout=120)


@pytest.fixture
def client(server: ServerThread) -> Client:
    return Client(server.url)


def other(settings: ConsoleSettings, **changes: object) -> ConsoleSettings:
    return replace(settings, **changes)
