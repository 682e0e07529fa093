"""Children's output as JSON lines in rotated files: ``var/logs/<service>.log`` (10 MB × 5).

Each child writes to a pipe; a thread of ``bot run`` turns every line into one JSON object
(time, service, pid, line) for the hospital's log collector, and rotates the file, which a
child writing to it directly could not do.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import threading
import time
from pathlib import Path
from typing import IO

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5


class _JsonLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                + f".{int(record.msecs):03d}Z",
                "service": record.name.removeprefix("bot.service."),
                "pid": getattr(record, "child_pid", None),
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


def service_logger(name: str, path: Path) -> logging.Logger:
    logger = logging.getLogger(f"bot.service.{name}")
    if not logger.handlers:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(_JsonLine())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def pump(stream: IO[bytes], logger: logging.Logger, pid: int) -> threading.Thread:
    """Copies ``stream`` line by line into ``logger`` until the child closes it."""

    def copy() -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip()
                if line:
                    logger.info(line, extra={"child_pid": pid})

    thread = threading.Thread(target=copy, name=f"log-{logger.name}", daemon=True)
    thread.start()
    return thread
