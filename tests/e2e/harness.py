"""Shared helpers for the Gatehouse end-to-end tests (imported by conftest.py and the tests).

Everything talks to the real `gatehouse` binary: MCP over stdio with the official Python client,
and the CLI as a subprocess. Nothing here knows how Gatehouse is implemented; it only knows
docs/interface.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import string
import subprocess
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, Iterable

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

REPO = Path(__file__).resolve().parents[2]

CALL_TIMEOUT = 30.0  # seconds for one tool call (a 10 MB message included)
START_TIMEOUT = 20.0  # seconds for the server to answer initialize
CLI_TIMEOUT = 30.0

TOOLS = {"wa_list_recipients", "wa_preview", "wa_send_message", "wa_send_file", "wa_audit_tail", "wa_inbox", "wa_list_chats"}

# Invented numbers (UK drama range 07700 900xxx); canonical forms per interface.md.
ALICE_PHONE = "+44 7700 900123"
ALICE_DIGITS = "447700900123"
ALICE_JID = "447700900123@s.whatsapp.net"
BOB_PHONE = "+44 7700 900456"
BOB_DIGITS = "447700900456"
BOB_JID = "447700900456@s.whatsapp.net"
CAROL_PHONE = "+44 7700 900789"
CAROL_JID = "447700900789@s.whatsapp.net"
UNLISTED_PHONE = "+44 7700 900999"
FAMILY_GROUP = "120363041234567890@g.us"

DEFAULT_RECIPIENTS: list[dict[str, Any]] = [
    {"name": "Alice", "jid": ALICE_PHONE, "note": "colleague"},
    {"name": "Bob", "jid": BOB_PHONE, "note": "friend"},
    {"name": "Family", "jid": FAMILY_GROUP, "note": "family group"},
]

# A tiny but well-formed PDF.
SMALL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)
# 1x1 PNG.
SMALL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# The start of a Windows executable (DOS header + stub text).
FAKE_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00"
    + b"\x00" * 40
    + b"\x80\x00\x00\x00"
    + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 64
)


def fake_aws_key_id() -> str:
    """A random, syntactically valid AWS access key id (never a real one)."""
    alphabet = string.ascii_uppercase + "234567"
    return "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- YAML


def _yaml_scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, Path):
        v = str(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small block-style YAML emitter for config dicts (strings always double-quoted)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 2))
            elif isinstance(v, list) and v and any(isinstance(x, (dict, list)) for x in v):
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 2))
            elif isinstance(v, list):
                lines.append(f"{pad}{k}: [{', '.join(_yaml_scalar(x) for x in v)}]")
            elif isinstance(v, dict):
                lines.append(f"{pad}{k}: {{}}")
            else:
                lines.append(f"{pad}{k}: {_yaml_scalar(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                sub = to_yaml(item, indent + 2).splitlines()
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    else:
        lines.append(pad + _yaml_scalar(value))
    return "\n".join(lines)


# --------------------------------------------------------------------------- results


@dataclass
class ToolResult:
    """One tools/call result, with the bits the tests look at."""

    tool: str
    is_error: bool
    structured: dict[str, Any] | None
    text: str
    raw: Any

    @property
    def sc(self) -> dict[str, Any]:
        assert self.structured is not None, (
            f"{self.tool}: result has no structuredContent (isError={self.is_error}); text: {self.text[:500]}"
        )
        return self.structured

    @property
    def codes(self) -> list[str]:
        return [r.get("code") for r in (self.sc.get("reasons") or [])]

    def dump(self) -> str:
        """Everything the agent can see, as one string (for 'X never appears' checks)."""
        return self.text + "\n" + json.dumps(self.structured, ensure_ascii=False)

    def __repr__(self) -> str:
        return f"ToolResult({self.tool}, isError={self.is_error}, sc={json.dumps(self.structured)[:1500]}, text={self.text[:300]!r})"


def _from_call_result(tool: str, r: Any) -> ToolResult:
    # mcp 2.x exposes snake_case attributes; mcp 1.x camelCase. Accept both.
    is_error = getattr(r, "is_error", None)
    if is_error is None:
        is_error = getattr(r, "isError", False)
    structured = getattr(r, "structured_content", None)
    if structured is None:
        structured = getattr(r, "structuredContent", None)
    texts = [c.text for c in (r.content or []) if getattr(c, "type", None) == "text"]
    return ToolResult(tool=tool, is_error=bool(is_error), structured=structured, text="\n".join(texts), raw=r)


def assert_blocked(res: ToolResult, code: str | None = None, *, prefix: str | None = None, status: str = "blocked") -> None:
    """A refused send/preview: isError, not sent, and (optionally) the given reason code."""
    assert res.is_error, f"expected isError: {res!r}"
    sc = res.sc
    if res.tool == "wa_preview":
        assert sc.get("ok") is False, res
        assert sc.get("decision") == "block", res
    else:
        assert sc.get("sent") is False, res
        assert sc.get("status") == status, res
    if code is not None:
        assert code in res.codes, f"expected reason {code}, got {res.codes}: {res!r}"
    if prefix is not None:
        assert any(c and c.startswith(prefix) for c in res.codes), f"expected a {prefix}* reason: {res!r}"


def assert_sent(res: ToolResult) -> None:
    assert not res.is_error, f"expected a sent result: {res!r}"
    assert res.sc.get("sent") is True and res.sc.get("status") == "sent", res


def assert_needs_confirmation_preview(res: ToolResult) -> str:
    """A preview that would be allowed but needs confirmation; returns its token."""
    assert not res.is_error, res
    sc = res.sc
    assert sc.get("ok") is True, res
    assert sc.get("decision") == "needs_confirmation", res
    assert sc.get("needs_confirm") is True, res
    token = sc.get("confirm_token")
    assert isinstance(token, str) and token, res
    assert isinstance(sc.get("confirm_expires_at"), str) and sc["confirm_expires_at"], res
    return token


# --------------------------------------------------------------------------- MCP session


class Mcp:
    """A connected MCP session to one `gatehouse serve` process."""

    def __init__(self, session: ClientSession, stderr_path: Path) -> None:
        self.session = session
        self.stderr_path = stderr_path

    async def list_tools(self) -> list[Any]:
        with anyio.fail_after(CALL_TIMEOUT):
            return list((await self.session.list_tools()).tools)

    async def call(
        self, tool: str, args: dict[str, Any] | None = None, *, timeout: float = CALL_TIMEOUT, **kw: Any
    ) -> ToolResult:
        arguments = dict(args or {})
        arguments.update({k: v for k, v in kw.items() if v is not None})
        try:
            with anyio.fail_after(timeout):
                r = await self.session.call_tool(tool, arguments)
        except TimeoutError as e:
            raise AssertionError(
                f"{tool}: no answer to the request within {timeout:.0f}s\nserver stderr:\n{tail(self.stderr_path)}"
            ) from e
        except MCPError as e:
            raise AssertionError(
                f"{tool}: JSON-RPC error {e.code} instead of a tool result: {e.message}\n"
                f"server stderr:\n{tail(self.stderr_path)}"
            ) from e
        except RuntimeError as e:
            # The client re-validates structuredContent against the tool's outputSchema.
            raise AssertionError(f"{tool}: the client rejected the result: {e}") from e
        return _from_call_result(tool, r)

    # conveniences
    async def recipients(self) -> ToolResult:
        return await self.call("wa_list_recipients")

    async def preview(self, recipient: str, message: str | None = None, **kw: Any) -> ToolResult:
        return await self.call("wa_preview", recipient=recipient, message=message, **kw)

    async def send(self, recipient: str, message: str, token: str | None = None, **kw: Any) -> ToolResult:
        return await self.call("wa_send_message", recipient=recipient, message=message, confirm_token=token, **kw)

    async def send_file(self, recipient: str, file_path: str | Path, caption: str | None = None, token: str | None = None) -> ToolResult:
        return await self.call(
            "wa_send_file", recipient=recipient, file_path=str(file_path), caption=caption, confirm_token=token
        )

    async def audit_tail(self, limit: int | None = None) -> ToolResult:
        return await self.call("wa_audit_tail", limit=limit)

    async def confirmed_send(self, recipient: str, message: str) -> ToolResult:
        """Preview (expecting needs_confirmation), then send with the token."""
        token = assert_needs_confirmation_preview(await self.preview(recipient, message))
        return await self.send(recipient, message, token)


def _single_leaf(group: BaseExceptionGroup) -> BaseException | None:
    leaves: list[BaseException] = []

    def walk(e: BaseException) -> None:
        if isinstance(e, BaseExceptionGroup):
            for sub in e.exceptions:
                walk(sub)
        else:
            leaves.append(e)

    walk(group)
    return leaves[0] if len(leaves) == 1 else None


def tail(path: Path, n: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return "(no stderr file)"


# --------------------------------------------------------------------------- the deployment under test


class Gatehouse:
    """One Gatehouse deployment in a temp dir: binary, config file, state dir, files root."""

    def __init__(self, binary: Path, root: Path) -> None:
        self.binary = binary
        self.root = root
        self.home = root / "home"
        self.state_dir = root / "state"
        self.files_root = root / "share"
        self.elsewhere = root / "elsewhere"  # outside every files root
        self.config_path = root / "gatehouse.yaml"
        for d in (self.home, self.files_root, self.elsewhere):
            d.mkdir(parents=True, exist_ok=True)
        self._n_sessions = 0

    # ---- config
    @property
    def outbox_dir(self) -> Path:
        return self.state_dir / "outbox"

    @property
    def db_path(self) -> Path:
        return self.state_dir / "gatehouse.sqlite"

    def base_config(self, **overrides: Any) -> dict[str, Any]:
        """A valid config: outbox transport, no confirmation, generous rate limits, one files root."""
        cfg: dict[str, Any] = {
            "transport": "outbox",
            "allow_unlisted": False,
            "require_confirm_for": [],
            "confirm_token_ttl_seconds": 600,
            "rate_limit": {"per_minute": 1000, "per_hour": 10000},
            "files": {
                "roots": [str(self.files_root)],
                "max_size_mb": 16,
                "allowed_ext": [".pdf", ".png", ".jpg", ".txt"],
            },
            "secrets": {"on_detect": "block"},
            "recipients": [dict(r) for r in DEFAULT_RECIPIENTS],
        }
        cfg.update(overrides)
        return cfg

    def write_config(self, cfg: dict[str, Any] | str | None = None, *, atomic: bool = False, **overrides: Any) -> str:
        text = cfg if isinstance(cfg, str) else to_yaml(cfg if cfg is not None else self.base_config(**overrides)) + "\n"
        if atomic:
            tmp = self.config_path.with_name("." + self.config_path.name + ".tmp")
            tmp.write_text(text)
            os.replace(tmp, self.config_path)
        else:
            with open(self.config_path, "w") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        return text

    # ---- processes
    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
        }

    def serve_args(self) -> list[str]:
        return ["serve", "--config", str(self.config_path), "--state-dir", str(self.state_dir)]

    def cli(self, *args: str, with_paths: bool = True, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess[str]:
        argv = [str(self.binary), *args]
        if with_paths:
            argv += ["--config", str(self.config_path), "--state-dir", str(self.state_dir)]
        return subprocess.run(
            argv, env=self.env(), cwd=self.root, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Mcp]:
        self._n_sessions += 1
        stderr_path = self.root / f"serve-{self._n_sessions}.stderr"
        params = StdioServerParameters(
            command=str(self.binary), args=self.serve_args(), env=self.env(), cwd=str(self.root)
        )
        try:
            with open(stderr_path, "w") as errlog:
                async with stdio_client(params, errlog=errlog) as (read, write):
                    async with ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session:
                        try:
                            with anyio.fail_after(START_TIMEOUT):
                                await session.initialize()
                        except Exception as e:
                            errlog.flush()
                            raise AssertionError(f"initialize failed: {e!r}\nserver stderr:\n{tail(stderr_path)}") from e
                        yield Mcp(session, stderr_path)
        except BaseExceptionGroup as group:
            # The client's task groups wrap whatever the test raised; show the test's own error.
            leaf = _single_leaf(group)
            if leaf is None:
                raise
            raise leaf.with_traceback(leaf.__traceback__) from None

    def popen_serve(self) -> subprocess.Popen[bytes]:
        """A raw `gatehouse serve` process with pipes (for byte-level protocol tests)."""
        return subprocess.Popen(
            [str(self.binary), *self.serve_args()],
            env=self.env(),
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(self.root / "raw-serve.stderr", "wb"),
        )

    # ---- outputs
    def outbox_json(self, outbox: Path | None = None) -> list[tuple[Path, dict[str, Any]]]:
        d = outbox or self.outbox_dir
        if not d.is_dir():
            return []
        out = []
        for p in sorted(d.iterdir()):
            if p.name.startswith(".") or p.suffix != ".json":
                continue
            out.append((p, json.loads(p.read_text())))
        return out

    def state_bytes(self) -> Iterable[tuple[Path, bytes]]:
        """Every regular file under the state dir (sqlite, -wal, -shm, keys, ...)."""
        for p in sorted(self.state_dir.rglob("*")):
            if p.is_file() and not p.is_symlink():
                yield p, p.read_bytes()

    def stderr_logs(self) -> str:
        parts = []
        for p in sorted(self.root.glob("*.stderr")):
            parts.append(f"--- {p.name}\n{tail(p)}")
        return "\n".join(parts)


def find_line(text: str, needle: str) -> int:
    """1-based line number of the first line containing needle."""
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in text")


def mentions_line(output: str, line: int) -> bool:
    """Does a diagnostic name this line (`line 3`, `:3:`, `yaml:3`, `L3`)?"""
    return bool(re.search(rf"(line\s*{line}\b|:{line}(\b|:)|\bL{line}\b)", output, re.IGNORECASE))
