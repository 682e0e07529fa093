"""A stand-in for Rasa's HTTP API (GET /status, PUT /model), to test what retrain says in
each case without training or running a model. The real API is exercised by the round trip
test (tests/inbox/test_round_trip.py)."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RasaStub:
    token: str
    model_file: str = "models/curie-old.tar.gz"
    put_status: int = 204  # what PUT /model answers
    # (method, path, JSON body, full path with its query)
    requests: list[tuple[str, str, dict[str, Any] | None, str]] = field(default_factory=list)
    port: int = 0


def _handler(stub: RasaStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _reply(self, status: int, body: Any = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            # Like Rasa: the --auth-token is read from the `token` query parameter.
            query = parse_qs(urlsplit(self.path).query)
            if query.get("token") == [stub.token]:
                return True
            self._reply(401, {"status": "failure", "message": "User is not authenticated."})
            return False

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            stub.requests.append(("GET", urlsplit(self.path).path, None, self.path))
            if self._authorised():
                self._reply(200, {"model_file": stub.model_file, "model_id": "x"})

        def do_PUT(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append(("PUT", urlsplit(self.path).path, body, self.path))
            if not self._authorised():
                return
            if stub.put_status == 204:
                stub.model_file = body["model_file"]
                self._reply(204)
            else:
                self._reply(stub.put_status, {"status": "failure", "message": "An unexpected error occurred."})

    return Handler


@contextmanager
def rasa_stub(token: str, **options: Any) -> Iterator[RasaStub]:
    stub = RasaStub(token=token, **options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
