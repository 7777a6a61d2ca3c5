"""Four servers racing on one store: the global rate limit holds exactly and the audit stays one chain.

sqlite: four `gatehouse serve` processes on one state dir. postgres: four processes, each with its own
state dir (holding copies of the first one's keys) and the same database."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

import anyio
import pytest

from harness import Gatehouse, Mcp, ToolResult, assert_sent
from store_support import postgres_server  # noqa: F401  (fixture)
from store_support import ENGINES, assert_verifies, configure, engine_store, export, outbox_messages, share_keys

pytestmark = pytest.mark.anyio

PROCESSES = 4
SENDS_EACH = 50
PER_MINUTE = 10


def deployments(gh: Gatehouse, engine: str, store: str | None, tmp_path: Path) -> tuple[list[Gatehouse], Path]:
    """One deployment per process (the same one, for sqlite) and the outbox they all write to."""
    outbox = tmp_path / "shared-outbox"
    settings = dict(rate_limit={"per_minute": PER_MINUTE, "per_hour": 1000}, outbox_dir=str(outbox))
    if engine == "sqlite":
        configure(gh, store, **settings)
        return [gh] * PROCESSES, outbox
    instances = [gh] + [Gatehouse(gh.binary, tmp_path / f"instance-{i}") for i in range(1, PROCESSES)]
    for g in instances:
        configure(g, store, **settings)
    return instances, outbox


@pytest.mark.parametrize("engine", ENGINES)
async def test_four_processes_deliver_exactly_the_limit(
    engine: str, gh: Gatehouse, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = engine_store(engine, request)
    instances, outbox = deployments(gh, engine, store, tmp_path)
    results: list[tuple[str, ToolResult]] = []

    async with gh.session() as first:
        # The first instance has made the keys; the others must use the same ones.
        if engine != "sqlite":
            share_keys(gh, instances[1:])
        sessions: list[Mcp] = [first]
        async with AsyncExitStack() as stack:
            for g in instances[1:]:
                sessions.append(await stack.enter_async_context(g.session()))
            go = anyio.Event()

            async def one(p: int, i: int) -> None:
                await go.wait()
                text = f"process {p} message {i}"
                res = await sessions[p].call("wa_send_message", recipient="Alice" if i % 2 else "Bob", message=text)
                results.append((text, res))

            async with anyio.create_task_group() as tg:
                for p in range(PROCESSES):
                    for i in range(SENDS_EACH):
                        tg.start_soon(one, p, i)
                await anyio.sleep(0.1)
                go.set()

    assert len(results) == PROCESSES * SENDS_EACH
    sent = [r for _, r in results if not r.is_error]
    refused = [r for _, r in results if r.is_error]
    for r in sent:
        assert_sent(r)
    assert len(sent) == PER_MINUTE, sorted({c for r in refused for c in r.codes})
    for r in refused:
        assert r.sc["sent"] is False and r.sc["status"] == "blocked", r
        assert any(c.startswith("rate_limit.") for c in r.codes), r
    assert "rate_limit.global_minute" in {c for r in refused for c in r.codes}

    delivered = outbox_messages(gh, outbox)
    assert len(delivered) == PER_MINUTE, [d["message"] for d in delivered]
    assert sorted(d["message"] for d in delivered) == sorted(text for text, r in results if not r.is_error)

    records = export(gh)
    outcomes = [r for r in records if r["event"] == "outcome"]
    assert [r["status"] for r in outcomes] == ["sent"] * PER_MINUTE, outcomes
    assert len([r for r in records if r["event"] == "attempt"]) == PER_MINUTE
    blocked = [r for r in records if r["event"] == "blocked"]
    assert len(blocked) == PROCESSES * SENDS_EACH - PER_MINUTE
    assert all(any(c["code"].startswith("rate_limit.") for c in r["reasons"]) for r in blocked)
    # one linear chain: 1..N, each record naming its predecessor
    assert [r["seq"] for r in records] == list(range(1, len(records) + 1))
    assert len(records) == 2 * PER_MINUTE + len(blocked)
    for before, after in zip(records, records[1:]):
        assert after["prev_hash"] == before["hash"], (before["seq"], after["seq"])
    for g in instances[:1] if engine == "sqlite" else instances:
        out = assert_verifies(g)
        assert f"OK, {len(records)} records" in out, out
