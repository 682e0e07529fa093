"""The page server over plain HTTP (no browser): routes, settings in the pages, headers."""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.web.server import STATIC_DIR

from .servers import free_port


def fetch(
    base_url: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One request, redirects not followed."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read().decode("utf-8")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def test_root_redirects_to_french(base_url: str) -> None:
    status, headers, _ = fetch(base_url, "/")
    assert status == 302 and headers["location"] == "/fr/"
    for path in ("/fr", "/en", "/en/privacy", "/fr/confidentialite"):
        status, headers, _ = fetch(base_url, path)
        assert (status, headers["location"]) == (302, path + "/")


@pytest.mark.parametrize(
    ("path", "lang", "phrases"),
    [
        ("/fr/", "fr", ["premier centre d'immunothérapie des cancers en France", "Sebastian Amigorena", "MC21"]),
        ("/en/", "en", ["first cancer immunotherapy center in France", "Sebastian Amigorena", "MC21"]),
        ("/fr/confidentialite/", "fr", ["supprimée en entier 30 jours après son dernier message", "masqués", "[email], [phone]", "dossier médical", "informations médicales personnelles", "n'invente jamais"]),
        ("/en/privacy/", "en", ["deleted whole 30 days after its last message", "masked", "[email], [phone]", "medical record", "personal medical details", "never makes up"]),
    ],
)
def test_pages_in_each_language(
    base_url: str, web_settings: Settings, path: str, lang: str, phrases: list[str]
) -> None:
    status, headers, body = fetch(base_url, path)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert f'<html lang="{lang}">' in body
    text = " ".join(body.split())  # the templates wrap lines anywhere
    for phrase in phrases:
        assert phrase in text
    other = "en" if lang == "fr" else "fr"
    assert re.search(rf'<a href="/{other}/[^"]*" hreflang="{other}" lang="{other}">', body)
    if path in ("/fr/", "/en/"):
        tag = re.search(r"<script [^>]*curie-chat\.js[^>]*>", body)
        assert tag, "the widget tag is on the page"
        assert f'data-rasa-url="{web_settings.rasa_url}"' in tag.group(0)
        assert f'data-lang="{lang}"' in tag.group(0)
    # Nothing is loaded from another host (no CDN, no web fonts).
    assert not re.search(r'(src|href)="(https?:)?//', body)


def test_unknown_language_is_404(base_url: str) -> None:
    assert fetch(base_url, "/de/")[0] == 404


def test_healthz(base_url: str) -> None:
    status, headers, body = fetch(base_url, "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}


@pytest.mark.parametrize("path", ["/static/curie-chat.js", "/static/curie-chat.css", "/static/site.css"])
def test_static_files_declare_utf8(base_url: str, path: str) -> None:
    status, headers, _ = fetch(base_url, path)
    assert status == 200
    assert headers["content-type"].endswith("; charset=utf-8")


@pytest.mark.parametrize("path", ["/fr/", "/static/curie-chat.js", "/healthz", "/"])
def test_no_cors_headers_and_a_strict_csp(base_url: str, web_settings: Settings, path: str) -> None:
    for method in ("GET", "OPTIONS"):
        _, headers, _ = fetch(
            base_url,
            path,
            method,
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert not [h for h in headers if h.startswith("access-control-")], headers
    _, headers, _ = fetch(base_url, path)
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert f"connect-src 'self' {web_settings.rasa_url};" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"


def test_widget_never_uses_html_sinks() -> None:
    """A cheap guard next to the browser tests: none of the APIs that parse HTML."""
    source = (STATIC_DIR / "curie-chat.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # comments may name them
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code


def _wait_healthy(url: str, proc: subprocess.Popen[str], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {proc.communicate()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not become healthy")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_python_m_bot_web_runs_and_stops_cleanly(sig: signal.Signals, tmp_path: Path) -> None:
    """What the launcher does: start ``python -m bot.web``, then Ctrl-C (or SIGTERM) it."""
    port = free_port()
    env = {
        **os.environ,
        "WEB_PORT": str(port),
        "RASA_PORT": "5999",
        "RETENTION_DAYS": "7",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.web"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        body = urllib.request.urlopen(url + "/en/privacy/", timeout=5).read().decode()
        assert "7 days" in " ".join(body.split())
        assert 'data-rasa-url="http://127.0.0.1:5999"' in urllib.request.urlopen(url + "/en/").read().decode()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"chat page on {url}/fr/" in err
