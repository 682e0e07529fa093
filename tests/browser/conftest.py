"""Fixtures for the website chat: a fake Rasa, our real page server, and Chromium.

The page server is the real ``create_app``; only Rasa is faked. Tests against the trained
assistant can reuse :func:`servers.launch_chromium`, :class:`chat.ChatPage` and a page
server pointed at the real Rasa.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from bot.settings import PROJECT_ROOT, Settings
from bot.web.server import create_app

from .chat import ChatPage
from .fake_rasa import FakeRasa
from .servers import ServerThread, free_port, launch_chromium

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
RETENTION_DAYS = 30  # not the default (90), so the pages are seen to use the setting

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa(free_port())
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def web_settings(fake_rasa: FakeRasa, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    web_port = free_port()
    origins = [f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"]
    fake_rasa.allowed_origins.update(origins)
    # The fake stores its turns where the page server reads them for the feedback votes.
    tracker_url = f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'conversations.db'}"
    fake_rasa.store_turns_in(tracker_url)
    return Settings(
        host="127.0.0.1",
        rasa_port=fake_rasa.server.port,
        action_port=free_port(),
        web_port=web_port,
        database_url="sqlite://",
        tracker_store_url=tracker_url,
        lock_store_url=None,
        cors_origins=origins,
        retention_days=RETENTION_DAYS,
    )


@pytest.fixture(scope="session")
def web_server(web_settings: Settings) -> Iterator[ServerThread]:
    server = ServerThread(create_app(web_settings), web_settings.web_port)
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def base_url(web_server: ServerThread) -> str:
    return web_server.url


@pytest.fixture(autouse=True)
def _fresh_fake(request: pytest.FixtureRequest) -> None:
    """Every test starts with Rasa up and no recorded messages."""
    if "fake_rasa" in request.fixturenames:
        request.getfixturevalue("fake_rasa").reset()


# Package scope, not session: Playwright's sync API keeps an asyncio loop marked as running in
# this thread while it is alive, which would break every later test that calls asyncio.run().
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture
def context(playwright: Playwright, tmp_path: Path) -> Iterator[BrowserContext]:
    """A fresh Chromium profile per test: no storage leaks from one test to the next."""
    ctx = launch_chromium(playwright, tmp_path / "profile", viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def chat(page: Page, base_url: str) -> Iterator[ChatPage]:
    chat = ChatPage(page, base_url, retry_delay_ms=100)
    yield chat
    chat.assert_no_page_errors()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
