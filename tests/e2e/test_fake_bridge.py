"""The fake bridge itself reproduces CONTRACTS.md §1 (no gatehouse binary needed)."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from fake_bridge import FakeBridge


def request(fake: FakeBridge, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.getheader("Content-Type"), r.read()
    finally:
        conn.close()


def post(fake: FakeBridge, obj) -> tuple[int, str, bytes]:
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return request(fake, "POST", "/api/send", body, {"Content-Type": "application/json"})


def test_get_is_405_text(bridge: FakeBridge) -> None:
    assert request(bridge, "GET", "/api/send") == (405, "text/plain; charset=utf-8", b"Method not allowed\n")


def test_other_path_is_404(bridge: FakeBridge) -> None:
    assert request(bridge, "POST", "/api/nope", b"{}") == (404, "text/plain; charset=utf-8", b"404 page not found\n")
    assert request(bridge, "GET", "/") [0] == 404


@pytest.mark.parametrize(
    "body, text",
    [
        (b"{not json", b"Invalid request format\n"),
        (b"", b"Invalid request format\n"),
        (b"[1,2]", b"Invalid request format\n"),
        (b'{"recipient": 5, "message": "x"}', b"Invalid request format\n"),
        (b'{"message": "hi"}', b"Recipient is required\n"),
        (b"null", b"Recipient is required\n"),
        (b'{"recipient": "447700900123"}', b"Message or media path is required\n"),
        (b'{"recipient": "447700900123", "message": "", "media_path": ""}', b"Message or media path is required\n"),
    ],
)
def test_400_bodies(bridge: FakeBridge, body: bytes, text: bytes) -> None:
    assert post(bridge, body) == (400, "text/plain; charset=utf-8", text)


def test_send_ok_and_recorded(bridge: FakeBridge) -> None:
    status, ctype, body = post(bridge, {"recipient": "447700900123@s.whatsapp.net", "message": "hi <3", "extra": 1})
    assert (status, ctype) == (200, "application/json")
    assert body == b'{"success":true,"message":"Message sent to 447700900123@s.whatsapp.net"}\n'
    [r] = bridge.sends()
    assert (r.recipient, r.message, r.media_path, r.media_bytes) == ("447700900123@s.whatsapp.net", "hi <3", "", None)
    assert r.status == 200


def test_go_style_field_matching(bridge: FakeBridge) -> None:
    # encoding/json matches field names case-insensitively and ignores trailing data
    status, _, body = post(bridge, b'{"Recipient": "447700900123", "MESSAGE": "x"} trailing')
    assert status == 200 and json.loads(body)["message"] == "Message sent to 447700900123"


def test_html_escaped_like_go(bridge: FakeBridge) -> None:
    status, _, body = post(bridge, {"recipient": "a<b>&c@g.us", "message": "x"})
    assert status == 200
    assert body == b'{"success":true,"message":"Message sent to a\\u003cb\\u003e\\u0026c@g.us"}\n'


def test_media_read_at_request_time(bridge: FakeBridge, tmp_path: Path) -> None:
    f = tmp_path / "r.pdf"
    f.write_bytes(b"%PDF-1.4 one")
    assert post(bridge, {"recipient": "447700900123", "message": "cap", "media_path": str(f)})[0] == 200
    f.write_bytes(b"%PDF-1.4 two")
    assert post(bridge, {"recipient": "447700900123", "media_path": str(f)})[0] == 200
    assert [r.media_bytes for r in bridge.sends()] == [b"%PDF-1.4 one", b"%PDF-1.4 two"]


def test_unreadable_media_is_500(bridge: FakeBridge, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    status, ctype, body = post(bridge, {"recipient": "447700900123", "media_path": str(missing)})
    assert (status, ctype) == (500, "application/json")
    assert json.loads(body) == {
        "success": False,
        "message": f"Error reading media file: open {missing}: no such file or directory",
    }


def test_not_connected_mode(bridge: FakeBridge) -> None:
    bridge.connected = False
    status, ctype, body = post(bridge, {"recipient": "447700900123", "message": "x"})
    assert (status, ctype, body) == (500, "application/json", b'{"success":false,"message":"Not connected to WhatsApp"}\n')
    # validation still comes first, as in the Go handler
    assert post(bridge, {"message": "x"})[0] == 400


def test_chunked_body(bridge: FakeBridge) -> None:
    payload = json.dumps({"recipient": "447700900123", "message": "chunky"}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
    status, _, _ = request(bridge, "POST", "/api/send", chunked, {"Transfer-Encoding": "chunked"})
    assert status == 200
    assert bridge.sends()[-1].message == "chunky"
