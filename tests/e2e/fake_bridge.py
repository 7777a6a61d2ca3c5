"""A loopback fake of the lharries/whatsapp-mcp Go bridge (whatsmeow) REST API.

Reproduces `POST /api/send` as described in shared/CONTRACTS.md §1 (main.go @ a45960f):

* any method other than POST on /api/send: 405, text/plain, body ``Method not allowed\\n``
* a body that does not decode as a JSON object: 400 ``Invalid request format\\n``
* empty recipient: 400 ``Recipient is required\\n``
* no message and no media_path: 400 ``Message or media path is required\\n``
* sent: 200, application/json, ``{"success":true,"message":"Message sent to <recipient>"}\\n``
  (``<recipient>`` is the string as received, like the Go code)
* not connected: 500, application/json, ``{"success":false,"message":"Not connected to WhatsApp"}\\n``
* media_path that cannot be read: 500 ``{"success":false,"message":"Error reading media file: ..."}\\n``
* any other path: 404, text/plain, ``404 page not found\\n``

The 4xx/404 bodies are what Go's ``http.Error`` writes (text/plain; charset=utf-8, trailing newline);
the JSON bodies are what ``json.NewEncoder(w).Encode`` writes (HTML characters escaped, trailing newline).

Every request is recorded (method, path, headers, raw body, decoded recipient / message / media_path,
and the bytes of ``media_path`` read at request time, as the bridge's ``os.ReadFile`` would).

Use as a context manager or with ``start()`` / ``stop()``; run standalone with
``python fake_bridge.py [--port 8080] [--not-connected]``.
"""

from __future__ import annotations

import argparse
import errno as errno_mod
import json
import os
import threading
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEND_PATH = "/api/send"


@dataclass
class BridgeRequest:
    """One request as the fake saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    response_body: bytes = b""
    # Decoded fields of a POST /api/send body (None when the body did not decode).
    recipient: str | None = None
    message: str | None = None
    media_path: str | None = None
    json_body: Any = None
    # Bytes of media_path read at request time (None when no media_path or unreadable).
    media_bytes: bytes | None = None
    media_error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _go_json(obj: dict[str, Any]) -> bytes:
    """Encode like Go's json.Encoder: compact, HTML-escaped, trailing newline."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return (text + "\n").encode("utf-8")


def _go_errno_text(err: OSError) -> str:
    msg = os.strerror(err.errno) if err.errno else str(err)
    return msg[:1].lower() + msg[1:]


class _DecodeError(Exception):
    pass


def _decode_send_request(body: bytes) -> dict[str, str]:
    """Mimic json.NewDecoder(r.Body).Decode(&SendMessageRequest{}).

    Decodes the first JSON value only (trailing data is ignored), matches field names
    case-insensitively (exact match preferred), ignores unknown fields, treats null as
    "leave the zero value", and refuses non-string values for the three string fields.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:  # Go would also fail on most invalid UTF-8 in strings
        raise _DecodeError(str(e)) from e
    text = text.lstrip(" \t\r\n")
    if not text:
        raise _DecodeError("EOF")
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as e:
        raise _DecodeError(str(e)) from e
    fields = {"recipient": "", "message": "", "media_path": ""}
    if value is None:
        return fields
    if not isinstance(value, dict):
        raise _DecodeError("cannot unmarshal non-object into SendMessageRequest")
    exact = {k for k in value if k in fields}
    for key, v in value.items():
        name = key if key in fields else key.lower()
        if name not in fields:
            continue
        if key not in fields and name in exact:
            continue  # an exact match wins over a case-insensitive one
        if v is None:
            continue
        if not isinstance(v, str):
            raise _DecodeError(f"cannot unmarshal {type(v).__name__} into field {name}")
        fields[name] = v
    return fields


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    # Go's net/http sends no Server header; keep the response headers close to Go's.
    def _start(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Date", formatdate(usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _http_error(self, req: BridgeRequest, status: int, text: str) -> None:
        """What Go's http.Error writes."""
        req.status = status
        req.response_body = (text + "\n").encode("utf-8")
        req.extra["content_type"] = "text/plain; charset=utf-8"
        req.extra["headers"] = {"X-Content-Type-Options": "nosniff"}

    def _json(self, req: BridgeRequest, status: int, obj: dict[str, Any]) -> None:
        """What json.NewEncoder(w).Encode writes after Content-Type: application/json."""
        req.status = status
        req.response_body = _go_json(obj)
        req.extra["content_type"] = "application/json"

    def _read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline()
                if not line:
                    break
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # trailers until an empty line
                    while True:
                        t = self.rfile.readline()
                        if not t or t in (b"\r\n", b"\n"):
                            break
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after the chunk
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        body = self._read_body()
        path = self.path.split("?", 1)[0]
        req = BridgeRequest(method=self.command, path=self.path, headers=dict(self.headers.items()), body=body)
        fake: FakeBridge = self.server.fake
        self._decide(fake, req, path, body)
        # Record before answering, so a client that got its answer always finds its request recorded.
        fake._record(req)
        self._start(req.status, req.extra["content_type"], req.response_body, req.extra.get("headers"))

    def _decide(self, fake: "FakeBridge", req: BridgeRequest, path: str, body: bytes) -> None:
        if path != SEND_PATH:
            return self._http_error(req, 404, "404 page not found")
        if self.command != "POST":
            return self._http_error(req, 405, "Method not allowed")
        try:
            fields = _decode_send_request(body)
        except _DecodeError as e:
            req.extra["decode_error"] = str(e)
            return self._http_error(req, 400, "Invalid request format")
        try:
            req.json_body = json.loads(body)
        except ValueError:
            req.json_body = None
        req.recipient, req.message, req.media_path = fields["recipient"], fields["message"], fields["media_path"]
        if req.media_path:
            try:
                with open(req.media_path, "rb") as f:  # like os.ReadFile: follows symlinks, reads now
                    req.media_bytes = f.read()
            except OSError as e:
                op = "read" if e.errno == errno_mod.EISDIR else "open"
                req.media_error = f"{op} {req.media_path}: {_go_errno_text(e)}"
        if not req.recipient:
            return self._http_error(req, 400, "Recipient is required")
        if not req.message and not req.media_path:
            return self._http_error(req, 400, "Message or media path is required")
        # sendWhatsAppMessage: connection check first, then the media read, then upload/analyse/send.
        if not fake.connected:
            return self._json(req, 500, {"success": False, "message": "Not connected to WhatsApp"})
        if req.media_path and req.media_error is not None:
            return self._json(req, 500, {"success": False, "message": f"Error reading media file: {req.media_error}"})
        if (
            req.media_path
            and req.media_path.lower().rsplit(".", 1)[-1] == "ogg"
            and not (req.media_bytes or b"").startswith(b"OggS")
        ):
            return self._json(
                req, 500, {"success": False, "message": "Failed to analyze Ogg Opus file: not a valid Ogg file"}
            )
        if fake.send_error is not None:
            return self._json(req, 500, {"success": False, "message": fake.send_error})
        return self._json(req, 200, {"success": True, "message": f"Message sent to {req.recipient}"})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        if self.server.fake.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FakeBridge"


class FakeBridge:
    """The fake bridge. ``url`` is the base to put in Gatehouse's ``bridge_url`` (``http://127.0.0.1:<port>/api``)."""

    def __init__(self, *, connected: bool = True, port: int = 0, verbose: bool = False) -> None:
        self.connected = connected
        self.send_error: str | None = None  # when set (and connected), every valid send gets a 500 with it
        self.verbose = verbose
        self._port = port
        self._lock = threading.Lock()
        self._requests: list[BridgeRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> "FakeBridge":
        server = _Server(("127.0.0.1", self._port), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-bridge", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeBridge":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses
    @property
    def port(self) -> int:
        assert self._server is not None, "fake bridge not started"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/api"

    # recording
    def _record(self, req: BridgeRequest) -> None:
        with self._lock:
            self._requests.append(req)

    @property
    def requests(self) -> list[BridgeRequest]:
        with self._lock:
            return list(self._requests)

    def sends(self) -> list[BridgeRequest]:
        """POST /api/send requests only."""
        return [r for r in self.requests if r.method == "POST" and r.path.split("?", 1)[0] == SEND_PATH]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--not-connected", action="store_true")
    args = ap.parse_args()
    fake = FakeBridge(connected=not args.not_connected, port=args.port, verbose=True).start()
    print(f"fake bridge on {fake.url} (connected={fake.connected}); Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
