"""Test servers run in background threads: the fake Rasa REST channel and our page server.

Both are reusable by tests that start the real stack: :func:`launch_chromium` and
:class:`ServerThread` don't depend on the fake.
"""
from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web
from playwright.sync_api import BrowserContext, Playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch_chromium(
    playwright: Playwright, user_data_dir: Path, **options: Any
) -> BrowserContext:
    """Debian's Chromium with a fresh profile; Playwright never downloads a browser of its own."""
    if not Path(CHROMIUM).exists():
        # A missing browser must not turn into green: `make test` installs it.
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (or scripts/bootstrap.sh --browser)")
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **options,
    )


class ServerThread:
    """Runs an aiohttp application on its own event loop; the site can be stopped and
    started again on the same port (to play "Rasa is down" and "Rasa is back")."""

    def __init__(self, app: web.Application, port: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        self._site: web.TCPSite | None = None
        self._call(self._runner.setup())

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=10)

    def start(self) -> None:
        if self._site is None:
            self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
            self._call(self._site.start())

    def stop(self) -> None:
        if self._site is not None:
            self._call(self._site.stop())
            self._site = None

    def close(self) -> None:
        self.stop()
        self._call(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def call_soon(self, func: Callable[[], None]) -> None:
        self._loop.call_soon_threadsafe(func)
