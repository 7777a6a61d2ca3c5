"""Bad input: broken JSON-RPC on the wire, wrong argument types, a huge message."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from typing import Any, Callable

import anyio
import pytest
from mcp.shared.exceptions import MCPError

from harness import TOOLS, Gatehouse, assert_sent

LEAKS = re.compile(r"Swift\.|DecodingError|keyNotFound|typeMismatch|valueNotFound|Fatal error")


class RawServer:
    """`gatehouse serve` driven byte by byte over its stdin/stdout."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.lines: queue.Queue[bytes] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def send(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send_json(self, obj: dict[str, Any]) -> None:
        self.send(json.dumps(obj).encode() + b"\n")

    def wait_for(self, pred: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
        for m in self.seen:
            if pred(m):
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no matching message within {timeout}s; seen: {self.seen}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                raise AssertionError(f"server wrote a non-JSON line on stdout: {line[:200]!r}")
            self.seen.append(msg)
            if pred(msg):
                return msg

    def request(self, id_: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": id_, "method": method}
        if params is not None:
            msg["params"] = params
        self.send_json(msg)
        return self.wait_for(lambda m: m.get("id") == id_ and ("result" in m or "error" in m))

    def close(self) -> int | None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


def test_malformed_json_gets_error_and_server_keeps_answering(gh: Gatehouse) -> None:
    raw = RawServer(gh.popen_serve())
    try:
        init = raw.request(
            1,
            "initialize",
            {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw-e2e", "version": "0"}},
        )
        assert "result" in init, init
        raw.send_json({"jsonrpc": "2.0", "method": "notifications/initialized"})

        raw.send(b'{"jsonrpc":"2.0","id":2,"method":"tools/list"\n')  # truncated object
        err = raw.wait_for(lambda m: "error" in m and "result" not in m)
        assert err["error"]["code"] in (-32700, -32600), err

        raw.send(b"this is not json at all\n")
        raw.send(b"\xff\xfe\xfd\n")
        raw.send(b"[]\n")

        tools = raw.request(3, "tools/list", {})
        assert "result" in tools, tools
        assert len(tools["result"]["tools"]) == len(TOOLS)

        unknown = raw.request(4, "no/such/method", {})
        assert unknown.get("error", {}).get("code") == -32601, unknown

        call = raw.request(5, "tools/call", {"name": "wa_list_recipients", "arguments": {}})
        assert call.get("result", {}).get("isError") is not True, call
        assert call["result"]["structuredContent"]["recipients"], call
    finally:
        code = raw.close()
    assert code is not None, "serve did not exit within 5 s of stdin closing"
    # JSON-RPC 2.0 §5: when the id cannot be read (parse error), the error's id MUST be null.
    assert err.get("id", "missing") is None, f"parse error answered with id {err.get('id')!r}, not null: {err}"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "tool, args, mentions",
    [
        ("wa_send_message", {"recipient": "Alice", "message": 5}, "message"),
        ("wa_send_message", {"recipient": ["Alice"], "message": "hi"}, "recipient"),
        ("wa_send_message", {"message": "hi"}, "recipient"),
        ("wa_send_message", {"recipient": "Alice", "message": "hi", "bogus": True}, "bogus"),
        ("wa_send_file", {"recipient": "Alice", "file_path": {"p": 1}}, "file_path"),
        ("wa_preview", {"recipient": "Alice", "message": "hi", "caption": 3}, "caption"),
        ("wa_audit_tail", {"limit": "ten"}, "limit"),
        ("wa_send_message", {"recipient": "Alice", "message": "hi", "confirm_token": 12345}, "confirm_token"),
    ],
)
async def test_wrong_argument_types_are_tool_errors(gh: Gatehouse, tool: str, args: dict, mentions: str) -> None:
    async with gh.session() as mcp:
        res = await mcp.call(tool, args)  # a JSON-RPC error (e.g. -32603) fails inside call()
        alive = await mcp.recipients()
    assert res.is_error, res
    assert mentions in res.text, f"the error text should name {mentions!r}: {res.text!r}"
    assert not LEAKS.search(res.text), f"implementation details leak into the error: {res.text!r}"
    assert not alive.is_error
    assert gh.outbox_json() == []


@pytest.mark.anyio
async def test_argument_errors_carry_structured_content(gh: Gatehouse) -> None:
    """interface.md: "All results carry structuredContent" -- refusals of bad arguments included."""
    async with gh.session() as mcp:
        res = await mcp.call("wa_send_message", {"recipient": "Alice", "message": 5})
    assert res.is_error, res
    assert res.structured is not None, f"an argument refusal has no structuredContent: {res.text!r}"
    assert res.sc["sent"] is False and res.sc["status"] == "blocked", res


@pytest.mark.anyio
async def test_ten_megabyte_message_refused_cleanly(gh: Gatehouse) -> None:
    """A body far over any valid request is refused at the framing layer: a JSON-RPC error with
    the request's own id (so the call returns at once), bounded memory, and the server goes on."""
    huge = ("All work and no play makes Jack a dull boy. " * 240_000)[: 10 * 1024 * 1024]
    async with gh.session() as mcp:
        t0 = time.monotonic()
        for tool, args in (("wa_send_message", {"recipient": "Alice", "message": huge}),
                           ("wa_preview", {"recipient": "Alice", "message": huge})):
            with anyio.fail_after(15):  # the request itself must be answered
                with pytest.raises(MCPError) as refused:
                    await mcp.session.call_tool(tool, args)
            assert refused.value.error.code == -32600
            assert "too large" in refused.value.error.message
            assert len(refused.value.error.message) < 1_000, "the refusal must not echo the message back"
        elapsed = time.monotonic() - t0
        after = await mcp.send("Alice", "still here")
    assert elapsed < 15, f"refusing a 10 MB message took {elapsed:.1f}s"
    assert_sent(after)
    assert [r["message"] for _, r in gh.outbox_json()] == ["still here"]


@pytest.mark.anyio
async def test_a_message_just_over_the_tool_limit_is_a_tool_refusal(gh: Gatehouse) -> None:
    """Under the framing cap, an over-long message is refused by the tool with a reason."""
    long = "x" * 70_000
    async with gh.session() as mcp:
        res = await mcp.send("Alice", long)
    assert res.is_error
    assert "too long" in res.text
    assert len(res.dump()) < 100_000, "the refusal must not echo the message back"
    assert gh.outbox_json() == []
