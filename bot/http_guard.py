"""Refuses malformed HTTP framing before Sanic 21.12 (pinned by Rasa) acts on it.

Sanic reads ``Content-Length`` with a bare ``int()``: ``-1`` sends its connection handler into
a busy loop that freezes the whole server (every later request times out while the process
stays alive), ``abc`` or ``Transfer-Encoding: gzip`` without a length end in a 500. Here the
request head is checked once Sanic has split it and before any body is read; a bad one gets
a 400 and the connection is closed. nginx does the same in front of the public port; this
guard covers ``make run`` (no nginx) and the action server.
"""
from __future__ import annotations

import re
from typing import Any

_DIGITS = re.compile(r"[0-9]{1,12}")


def framing_problem(content_lengths: list[str], transfer_encodings: list[str]) -> str | None:
    """Why these framing headers are refused (None when they are fine)."""
    if transfer_encodings:
        if content_lengths:
            return "Bad Request: both Content-Length and Transfer-Encoding"
        if [v.strip().lower() for v in transfer_encodings] != ["chunked"]:
            return "Bad Request: the only Transfer-Encoding accepted is 'chunked'"
        return None
    if len(content_lengths) > 1:
        return "Bad Request: more than one Content-Length"
    if content_lengths and not _DIGITS.fullmatch(content_lengths[0].strip()):
        return "Bad Request: Content-Length must be a whole number of bytes"
    return None


def _framing_headers(buffer: bytes | bytearray) -> tuple[list[str], list[str]] | None:
    """The Content-Length and Transfer-Encoding values of a complete request head, else None."""
    end = bytes(buffer[:65536]).find(b"\r\n\r\n")
    if end == -1:
        return None
    lengths: list[str] = []
    encodings: list[str] = []
    for line in bytes(buffer[:end]).decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            lengths.append(value.strip())
        elif name == "transfer-encoding":
            encodings.extend(part for part in value.split(",") if part.strip())
    return lengths, encodings


async def check_head(http: Any) -> None:
    """Reads the whole request head (as Sanic does) and refuses bad framing with a 400."""
    from sanic.exceptions import InvalidUsage

    while _framing_headers(http.recv_buffer) is None and len(http.recv_buffer) < http.HEADER_MAX_SIZE:
        await http._receive_more()
    found = _framing_headers(http.recv_buffer)
    problem = framing_problem(*found) if found else None
    if problem:
        http.keep_alive = False
        http.request_body = None  # nothing to read: no attempt to drain a body
        raise InvalidUsage(problem)


def _wrap(parse_head: Any) -> Any:
    async def guarded(self: Any) -> None:
        await check_head(self)
        await parse_head(self)

    guarded._bot_inner = parse_head  # type: ignore[attr-defined]
    return guarded


def install() -> None:
    """Puts the check in front of Sanic's request-head parser (idempotent).

    Sanic's start-up "touchup" recompiles ``Http.http1_request_header`` from its source, so the
    check is added after it, each time it runs, around the recompiled parser.
    """
    from sanic.http import Http
    from sanic.touchup import TouchUp

    if getattr(TouchUp.run, "_bot_guarded", False):
        return
    touch_up = TouchUp.run.__func__  # type: ignore[attr-defined]

    def run(cls: Any, app: Any) -> None:
        current = Http.http1_request_header
        Http.http1_request_header = getattr(current, "_bot_inner", current)  # type: ignore[method-assign]
        touch_up(cls, app)
        Http.http1_request_header = _wrap(Http.http1_request_header)  # type: ignore[method-assign]

    run._bot_guarded = True  # type: ignore[attr-defined]
    TouchUp.run = classmethod(run)  # type: ignore[method-assign]
