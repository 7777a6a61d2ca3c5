"""Fixtures for the Gatehouse end-to-end suite.

- `gatehouse_bin`: the built binary ($GATEHOUSE_BIN, else <repo>/.build/debug/gatehouse).
- `gh`: a fresh deployment (temp state dir, temp files root, a valid config already written).
- `bridge`: a started FakeBridge (see fake_bridge.py), stopped after the test.
- `anyio_backend`: the async tests run on asyncio via anyio's pytest plugin (`@pytest.mark.anyio`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fake_bridge import FakeBridge
from harness import REPO, Gatehouse


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def gatehouse_bin() -> Path:
    env = os.environ.get("GATEHOUSE_BIN")
    path = Path(env) if env else REPO / ".build" / "debug" / "gatehouse"
    if not (path.is_file() and os.access(path, os.X_OK)):
        msg = f"gatehouse binary not found at {path} (build it, or set GATEHOUSE_BIN)"
        if os.environ.get("GATEHOUSE_E2E_SKIP_MISSING"):
            pytest.skip(msg)
        pytest.fail(msg)
    return path.resolve()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture
def gh(request: pytest.FixtureRequest, gatehouse_bin: Path, tmp_path: Path) -> Gatehouse:
    g = Gatehouse(gatehouse_bin, tmp_path)
    g.write_config()
    yield g
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print("\n==== gatehouse stderr ====\n" + g.stderr_logs())


@pytest.fixture
def bridge() -> FakeBridge:
    fake = FakeBridge().start()
    yield fake
    fake.stop()
