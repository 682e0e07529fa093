"""Small pieces of the production stack: nginx missing is one clear line; children's logs
are JSON lines, rotated."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime import logs, nginx
from bot.runtime.launcher import free_port
from bot.runtime.preflight import StartupError, check_all
from bot.settings import load_settings


def test_nginx_missing_is_one_line_saying_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nginx.shutil, "which", lambda name: None)
    monkeypatch.setattr(nginx, "CANDIDATES", ())
    settings = replace(
        load_settings(), host="127.0.0.1", rasa_instances=2, rasa_port=free_port(), action_port=free_port(),
        web_port=free_port(), public_port=free_port(), metrics_port=free_port(),
        tracker_store_url="postgresql://postgres@127.0.0.1:5432/test", lock_store_url="redis://127.0.0.1:6379/0",
    )
    with pytest.raises(StartupError) as raised:
        check_all(settings)
    message = str(raised.value)
    assert "\n" not in message and "apt-get install nginx" in message and "RASA_INSTANCES=1" in message


def test_children_output_becomes_rotated_json_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    path = tmp_path / "child.log"
    logger = logs.service_logger(f"child-{tmp_path.name}", path)
    output = io.BytesIO("".join(f"ligne {n} : réponse\n" for n in range(100)).encode())
    logs.pump(output, logger, pid=4242).join(timeout=10)
    for handler in logger.handlers:
        handler.flush()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["message"] == "ligne 99 : réponse" and records[-1]["pid"] == 4242
    assert records[-1]["service"] == f"child-{tmp_path.name}" and records[-1]["time"].endswith("Z")
    assert (tmp_path / "child.log.1").is_file()  # rotated
    assert path.stat().st_size <= 2000
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_behind_nginx_the_rate_limit_reads_the_client_address_nginx_sets() -> None:
    from bot.runtime.launcher import rasa_services

    base = replace(load_settings(), rasa_instances=2, trusted_proxy_header=None)
    envs = [service.env for service in rasa_services(base, Path("model.tar.gz"), Path("endpoints.yml"))]
    assert [env.get("TRUSTED_PROXY_HEADER") for env in envs] == ["X-Forwarded-For"] * 2
    # One instance, no nginx: the peer's own address, unless the hospital configured a header.
    alone = rasa_services(replace(base, rasa_instances=1), Path("m"), Path("e"))
    assert "TRUSTED_PROXY_HEADER" not in alone[0].env


def test_every_serving_process_gets_one_blas_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second OpenBLAS thread spins in sched_yield beside every request: the launcher gives
    each child one (what `bot run` and its supervisor start and restart)."""
    from bot.runtime.launcher import build_services

    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")  # whatever the shell says
    settings = replace(load_settings(), rasa_instances=2)
    services = build_services(settings, tmp_path / "model.tar.gz", tmp_path / "endpoints.yml")
    assert {s.name for s in services} == {"actions", "rasa-1", "rasa-2", "web", "nginx"}
    assert {s.name: s.env.get("OPENBLAS_NUM_THREADS") for s in services} == dict.fromkeys(
        (s.name for s in services), "1"
    )
