"""A loopback fake of the ClinicalTrials.gov API v2 ``/studies`` endpoint, for sync tests and the bench.

It serves real API v2 study objects (the bundled records) in pages chained by
``nextPageToken``, and honours what the sync sends: ``pageSize``, ``pageToken``,
``countTotal`` (``totalCount`` on the first page), ``fields`` (dotted paths), ``filter.ids`` and
``filter.advanced`` with ``AREA[LastUpdatePostDate]RANGE[date,MAX]``. Query words
(``query.*``) are recorded, not interpreted: the test decides what "matches" by setting
``studies``.

Faults are queued in ``faults`` and served in order, one per request:
``("status", 429, {"Retry-After": "1"})``, ``("status", 500, {})``, ``("delay", seconds)``,
``("truncate",)`` (a page cut short), ``("die",)`` (the server stops answering), ``("ok",)``
(an ordinary answer, to place a later fault).
"""
from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),\s*MAX\]")


def last_update(study: dict[str, Any]) -> str:
    """The record's ``LastUpdatePostDate`` ("" when it has none: never "changed since")."""
    status = study.get("protocolSection", {}).get("statusModule", {})
    return str(status.get("lastUpdatePostDateStruct", {}).get("date", ""))


def nct_of(study: dict[str, Any]) -> str:
    return study["protocolSection"]["identificationModule"]["nctId"]


def select_fields(study: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        keys = path.split(".")
        source: Any = study
        for key in keys:
            if not isinstance(source, dict) or key not in source:
                source = None
                break
            source = source[key]
        if source is None:
            continue
        target = out
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = copy.deepcopy(source)
    return out


class FakeRegistry:
    def __init__(self, studies: list[dict[str, Any]] | None = None) -> None:
        self.studies: list[dict[str, Any]] = list(studies or [])
        self.faults: list[tuple[Any, ...]] = []
        self.requests: list[dict[str, str]] = []  # query parameters of every request
        self.user_agents: list[str] = []
        self.count_extra = 0  # added to totalCount: a listing that cannot be complete
        self._lock = threading.Lock()
        self._tokens: dict[str, int] = {}
        self._dead = False  # after a "die": open keep-alive connections get no answer either
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------- lifecycle
    def start(self, port: int = 0) -> FakeRegistry:
        """Serves on ``port`` (0: any free one; the same port again after a ``die``)."""
        registry = self
        self._dead = False

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                registry._handle(self)

            def log_message(self, *args: Any) -> None:  # quiet tests
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -------------------------------------------------------------- serving
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        if self._dead:
            handler.close_connection = True
            return
        split = urlsplit(handler.path)
        params = {k: v[-1] for k, v in parse_qs(split.query).items()}
        with self._lock:
            self.requests.append(params)
            self.user_agents.append(handler.headers.get("User-Agent", ""))
            fault = self.faults.pop(0) if self.faults else None
        if fault and fault[0] == "die":
            self._dead = True
            self.stop_later()
            handler.close_connection = True
            return
        if fault and fault[0] == "delay":
            time.sleep(fault[1])
        if fault and fault[0] == "status":
            self._send(handler, fault[1], {"message": "fake fault"}, fault[2])
            return
        if split.path.rstrip("/") != "/api/v2/studies":
            self._send(handler, 404, {"message": "not found"})
            return
        try:
            body = self._page(params)
        except ValueError as exc:
            self._send(handler, 400, {"message": str(exc)})
            return
        self._send(handler, 200, body, truncate=bool(fault and fault[0] == "truncate"))

    def stop_later(self) -> None:
        threading.Thread(target=self.stop, daemon=True).start()

    def _page(self, params: dict[str, str]) -> dict[str, Any]:
        matches = list(self.studies)
        advanced = params.get("filter.advanced", "")
        since = RANGE.search(advanced)
        if since:
            matches = [s for s in matches if last_update(s) >= since.group(1)]
        if "filter.ids" in params:
            wanted = set(params["filter.ids"].split(","))
            matches = [s for s in matches if nct_of(s) in wanted]
        size = int(params.get("pageSize", "10"))
        if not 0 < size <= 1000:
            raise ValueError("pageSize must be 1 to 1000")
        start = 0
        if "pageToken" in params:
            with self._lock:
                if params["pageToken"] not in self._tokens:
                    raise ValueError("invalid pageToken")
                start = self._tokens[params["pageToken"]]
        chunk = matches[start:start + size]
        fields = params.get("fields")
        studies = [select_fields(s, fields.split(",")) if fields else s for s in chunk]
        body: dict[str, Any] = {"studies": studies}
        if params.get("countTotal") == "true" and "pageToken" not in params:
            body["totalCount"] = len(matches) + self.count_extra
        if start + size < len(matches):
            token = f"tok{len(self._tokens) + 1}x{start + size}"
            with self._lock:
                self._tokens[token] = start + size
            body["nextPageToken"] = token
        return body

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None, truncate: bool = False) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if truncate:
            handler.wfile.write(data[: len(data) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(data)
