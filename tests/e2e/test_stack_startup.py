"""`bot run`'s start-up checks: each problem is one line naming the setting, never a traceback;
and the nginx configuration we generate is one nginx accepts."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime import nginx
from bot.runtime.launcher import free_port
from bot.settings import PROJECT_ROOT, load_settings


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "BOT_HOST": "127.0.0.1", "RASA_PORT": str(free_port()),
            "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()),
            "PUBLIC_PORT": str(free_port()), "METRICS_PORT": str(free_port()),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'trials.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'conversations.db'}", **env}
    return subprocess.run([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT, env=full,
                          capture_output=True, text=True, timeout=120)


def _one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "Chat at" not in run.stdout
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_an_unreachable_conversation_store_is_one_line(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there
    line = _one_line_error(_run(tmp_path, TRACKER_STORE_URL=f"postgresql://bot:secret@127.0.0.1:{closed}/conv"))
    assert line.startswith(f"error: TRACKER_STORE_URL=postgresql://bot:***@127.0.0.1:{closed}/conv is unreachable")
    assert "secret" not in line and "correct TRACKER_STORE_URL" in line


@pytest.mark.redis
def test_an_unreachable_lock_store_is_one_line(tmp_path: Path) -> None:
    closed = free_port()
    line = _one_line_error(_run(tmp_path, LOCK_STORE_URL=f"redis://127.0.0.1:{closed}/0"))
    assert line.startswith(f"error: LOCK_STORE_URL=redis://127.0.0.1:{closed}/0 is unreachable")


def test_several_instances_without_redis_are_refused(tmp_path: Path) -> None:
    line = _one_line_error(_run(
        tmp_path, RASA_INSTANCES="2", TRACKER_STORE_URL="postgresql://postgres@127.0.0.1:5432/test",
        LOCK_STORE_URL="",
    ))
    assert line.startswith("error: RASA_INSTANCES=2 needs LOCK_STORE_URL=redis://")


def test_several_instances_on_sqlite_are_refused(tmp_path: Path) -> None:
    line = _one_line_error(_run(tmp_path, RASA_INSTANCES="3", LOCK_STORE_URL="redis://127.0.0.1:6379/0"))
    assert line.startswith("error: RASA_INSTANCES=3 needs TRACKER_STORE_URL on PostgreSQL (it is sqlite)")


def test_the_command_line_option_sets_the_instances(tmp_path: Path) -> None:
    full = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'trials.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'c.db'}", "RASA_PORT": str(free_port())}
    run = subprocess.run([sys.executable, "-m", "bot", "run", "--rasa-instances", "2"], cwd=PROJECT_ROOT,
                         env=full, capture_output=True, text=True, timeout=120)
    assert "RASA_INSTANCES=2 needs TRACKER_STORE_URL on PostgreSQL" in run.stderr


def test_the_generated_nginx_configuration_is_valid(tmp_path: Path) -> None:
    settings = replace(load_settings(), rasa_instances=3, public_port=free_port(), trusted_proxies=["10.0.0.0/8"])
    config = nginx.write_config(settings, tmp_path)
    text = config.read_text()
    assert text.count("max_fails=1") == 3
    assert "proxy_next_upstream error timeout;" in text and "non_idempotent" not in text
    assert "set_real_ip_from 10.0.0.0/8;" in text
    check = subprocess.run([nginx.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config),
                            "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
