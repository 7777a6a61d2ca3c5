"""Shared helpers for the store tests (idempotency, crash, race, prune).

- `StallingBridge`: the fake bridge (fake_bridge.py, CONTRACTS.md §1) that records each send when it
  arrives and can then hold its answer (`hang`) or answer after a delay (`delay`), so a test can kill
  the server while a transport call is in flight. A request recorded here counts as delivered.
- `ServerProcess` / `served()`: an MCP session whose server's pid is known, so a test can SIGKILL it.
- CLI wrappers for `audit export / pending / resolve / verify / prune`.
- Engines: `engine_store(engine, ...)` gives the `store:` value for a test ("sqlite" uses the state
  dir's file; "postgres" a fresh database in a private PostgreSQL 15 cluster started once per session
  by the `postgres_server` fixture, or $GATEHOUSE_TEST_POSTGRES_URL when set). Missing PostgreSQL
  binaries fail the postgres cases; they are never skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import anyio
import pytest

from fake_bridge import FakeBridge, _Handler, _Server, BridgeRequest
from harness import CALL_TIMEOUT, Gatehouse, Mcp, ToolResult, _from_call_result

ENGINES = ["sqlite", "postgres"]

# --------------------------------------------------------------------------- a bridge that can stall


class _StallingHandler(_Handler):
    def _handle(self) -> None:
        body = self._read_body()
        path = self.path.split("?", 1)[0]
        req = BridgeRequest(method=self.command, path=self.path, headers=dict(self.headers.items()), body=body)
        fake: StallingBridge = self.server.fake  # type: ignore[assignment]
        self._decide(fake, req, path, body)
        # Recorded on arrival: from here on the message counts as delivered, whatever happens next.
        req.extra["arrived"] = time.time()
        fake._record(req)
        fake._stall(req)
        try:
            self._start(req.status, req.extra["content_type"], req.response_body, req.extra.get("headers"))
        except OSError:
            pass  # the client (a killed server) is gone

    # The base class bound its own _handle to these names; bind ours.
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle


class StallingBridge(FakeBridge):
    """FakeBridge whose sends are recorded on arrival, then answered after `delay` seconds, or held
    while `hang` is set (until `release()` or `stop()`)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.hang = False
        self.delay = 0.0
        self._release = threading.Event()
        self._arrived = threading.Condition()

    def start(self) -> "StallingBridge":
        server = _Server(("127.0.0.1", self._port), _StallingHandler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="stalling-bridge", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        super().stop()

    def release(self) -> None:
        self._release.set()

    def _record(self, req: BridgeRequest) -> None:
        super()._record(req)
        with self._arrived:
            self._arrived.notify_all()

    def _stall(self, req: BridgeRequest) -> None:
        if req.method != "POST":
            return
        if self.hang:
            self._release.wait(timeout=120)
        elif self.delay > 0:
            time.sleep(self.delay)

    def wait_for_sends(self, n: int, timeout: float = 10.0) -> list[BridgeRequest]:
        """Blocks (in a thread) until at least n sends have arrived."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.sends()) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the bridge saw {len(self.sends())} sends, expected {n} within {timeout}s")
                self._arrived.wait(left)
        return self.sends()

    async def await_sends(self, n: int, timeout: float = 10.0) -> list[BridgeRequest]:
        return await anyio.to_thread.run_sync(self.wait_for_sends, n, timeout)


# --------------------------------------------------------------------------- a server we can kill


def _children_serving(gh: Gatehouse) -> set[int]:
    """Pids of our own child processes running `gatehouse serve` for this deployment."""
    me = os.getpid()
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != me:
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if b"serve" in argv and str(gh.config_path).encode() in argv:
            found.add(int(entry))
    return found


@dataclass
class ServerProcess:
    """One `gatehouse serve` with its MCP session and pid."""

    mcp: Mcp
    pid: int
    killed: bool = False

    def kill(self) -> None:
        """SIGKILL, at once: no chance to record anything more."""
        if not self.killed:
            self.killed = True
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def alive(self) -> bool:
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    async def call_raw(self, tool: str, args: dict[str, Any], timeout: float = CALL_TIMEOUT) -> ToolResult | None:
        """A tools/call that returns None instead of raising when we killed the server under it
        (a server that dies by itself still fails the test)."""
        try:
            with anyio.fail_after(timeout):
                r = await self.mcp.session.call_tool(tool, args)
        except Exception:
            if self.killed:
                return None
            raise
        return _from_call_result(tool, r)


@asynccontextmanager
async def served(gh: Gatehouse) -> AsyncIterator[ServerProcess]:
    """`gh.session()` plus the server's pid, to SIGKILL it. Open sessions of one deployment one at a
    time (each finds its server by looking for the new child process)."""
    before = _children_serving(gh)
    proc: ServerProcess | None = None
    body_done = False
    try:
        async with gh.session() as mcp:
            new = _children_serving(gh) - before
            assert len(new) == 1, f"cannot tell which process is the new server: {new}"
            proc = ServerProcess(mcp, new.pop())
            yield proc
            body_done = True
    except Exception:
        # Closing a session whose server we killed may complain about the closed connection.
        if not (body_done and proc is not None and proc.killed):
            raise


# --------------------------------------------------------------------------- CLI helpers


def cli_ok(gh: Gatehouse, *args: str) -> subprocess.CompletedProcess[str]:
    r = gh.cli(*args)
    assert r.returncode == 0, f"gatehouse {' '.join(args)} -> exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def export(gh: Gatehouse) -> list[dict[str, Any]]:
    r = cli_ok(gh, "audit", "export")
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def pending(gh: Gatehouse) -> tuple[list[dict[str, Any]], str]:
    r = cli_ok(gh, "audit", "pending")
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()], r.stderr


def resolve(gh: Gatehouse, seq: int, sent: bool, note: str | None = None) -> subprocess.CompletedProcess[str]:
    args = ["audit", "resolve", str(seq), "--sent" if sent else "--failed"]
    if note is not None:
        args += ["--note", note]
    return cli_ok(gh, *args)


def verify(gh: Gatehouse, *extra: str) -> tuple[int, str]:
    r = gh.cli("audit", "verify", *extra)
    return r.returncode, r.stdout + r.stderr


def assert_verifies(gh: Gatehouse) -> str:
    code, out = verify(gh)
    assert code == 0 and "OK" in out, out
    return out


def send_args(recipient: str, message: str, key: str | None = None, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"recipient": recipient, "message": message}
    if key is not None:
        args["idempotency_key"] = key
    args.update({k: v for k, v in kw.items() if v is not None})
    return args


# --------------------------------------------------------------------------- engines

PG_BIN = Path(os.environ.get("GATEHOUSE_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class PostgresServer:
    """A private PostgreSQL cluster (or the one named by $GATEHOUSE_TEST_POSTGRES_URL)."""

    def __init__(self) -> None:
        self.url: str | None = os.environ.get("GATEHOUSE_TEST_POSTGRES_URL") or None
        self.dir: Path | None = None
        self.port = 0
        self.started = False

    def start(self) -> None:
        if self.url:
            return
        for tool in ("initdb", "pg_ctl", "psql"):
            if not (PG_BIN / tool).is_file():
                pytest.fail(f"PostgreSQL 15 binaries not found: {PG_BIN / tool} is missing (install postgresql-15, "
                            f"or set GATEHOUSE_TEST_POSTGRES_URL)")
        self.dir = Path(tempfile.mkdtemp(prefix="gh-e2e-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)
        data = self.dir / "data"
        self._run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        self.port = _free_port()
        self._run([
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"),
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start",
        ])
        self.started = True
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, argv: list[str]) -> None:
        r = subprocess.run(_as_postgres(argv), capture_output=True, text=True, timeout=120, cwd="/")
        if r.returncode != 0:
            pytest.fail(f"{' '.join(argv)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")

    def stop(self) -> None:
        if self.started and self.dir is not None:
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop"]),
                capture_output=True, timeout=60, cwd="/",
            )
            self.started = False
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, sql: str, database: str | None = None) -> str:
        assert self.url
        parts = urlsplit(self.url)
        argv = [
            str(PG_BIN / "psql") if (PG_BIN / "psql").is_file() else "psql",
            "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres",
            "-d", database or parts.path.lstrip("/") or "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql,
        ]
        env = dict(os.environ)
        if parts.password:
            env["PGPASSWORD"] = parts.password
        r = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)
        assert r.returncode == 0, f"psql {sql!r} failed: {r.stderr}"
        return r.stdout

    def fresh_database(self) -> str:
        assert self.url
        name = "gh_" + uuid.uuid4().hex[:16]
        self.psql(f'CREATE DATABASE "{name}"')
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


_POSTGRES: PostgresServer | None = None


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> PostgresServer:
    """One private cluster for the whole session, however many test modules import this fixture."""
    global _POSTGRES
    if _POSTGRES is None:
        server = PostgresServer()
        request.config.add_cleanup(server.stop)
        server.start()
        _POSTGRES = server
    return _POSTGRES


def engine_store(engine: str, request: pytest.FixtureRequest) -> str | None:
    """The `store:` value for the engine: None for sqlite (the default), a fresh database URL for postgres."""
    if engine == "sqlite":
        return None
    assert engine == "postgres", engine
    server: PostgresServer = request.getfixturevalue("postgres_server")  # the test module imports it
    return server.fresh_database()


def configure(gh: Gatehouse, store: str | None, **overrides: Any) -> None:
    cfg = gh.base_config(**overrides)
    if store is not None:
        cfg["store"] = store
    gh.write_config(cfg)


def share_keys(first: Gatehouse, others: list[Gatehouse]) -> None:
    """Instances sharing one database must share the audit (and confirmation) keys."""
    keys = first.state_dir / "keys"
    assert keys.is_dir(), f"no keys folder in {first.state_dir}"
    for g in others:
        g.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = g.state_dir / "keys"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(keys, target)


def outbox_messages(gh: Gatehouse, outbox: Path | None = None) -> list[dict[str, Any]]:
    return [doc for _, doc in gh.outbox_json(outbox)]
