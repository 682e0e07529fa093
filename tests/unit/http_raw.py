"""Raw HTTP over a socket, for requests no client library will send (bad framing)."""
from __future__ import annotations

import socket


def raw_request(port: int, head: str, body: bytes = b"", timeout: float = 5.0) -> tuple[int, bytes]:
    """Sends ``head`` (request line and headers, no final blank line) and ``body``; returns
    (status, reply body). Status 0 when the server closed without answering or timed out."""
    data = head.replace("\n", "\r\n").rstrip("\r\n").encode("latin-1") + b"\r\n\r\n" + body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except TimeoutError:
            pass
    reply = b"".join(chunks)
    if not reply.startswith(b"HTTP/"):
        return 0, reply
    head_part, _, rest = reply.partition(b"\r\n\r\n")
    return int(head_part.split(b" ", 2)[1]), rest


def _complete(reply: bytes) -> bool:
    head, _, rest = reply.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(rest) >= int(value.strip())
    return False


# Framing that Sanic 21.12 mishandles: each must get a 400 and leave the server answering.
BAD_FRAMING = {
    "negative length (froze Sanic for good)": "Content-Length: -1",
    "length not a number (500)": "Content-Length: abc",
    "length with a sign": "Content-Length: +5",
    "two lengths": "Content-Length: 5\nContent-Length: 6",
    "length and chunked (smuggling)": "Content-Length: 5\nTransfer-Encoding: chunked",
    "unknown transfer encoding (500)": "Transfer-Encoding: gzip",
}
