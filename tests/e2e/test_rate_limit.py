"""The global rate limit holds across two `gatehouse serve` processes sharing one state dir."""

from __future__ import annotations

import anyio
import pytest

from harness import Gatehouse, ToolResult, assert_sent

pytestmark = pytest.mark.anyio

PER_MINUTE = 10
SENDS_PER_PROCESS = 15


async def test_two_processes_racing_deliver_exactly_the_limit(gh: Gatehouse) -> None:
    gh.write_config(rate_limit={"per_minute": PER_MINUTE, "per_hour": 1000}, require_confirm_for=[])
    results: list[ToolResult] = []

    async def one_process(tag: str) -> None:
        async with gh.session() as mcp:
            ready.append(tag)
            while len(ready) < 2:  # start both bursts together
                await anyio.sleep(0.005)

            async def one(i: int) -> None:
                results.append(await mcp.send("Alice" if i % 2 else "Bob", f"{tag} message {i}"))

            async with anyio.create_task_group() as tg:
                for i in range(SENDS_PER_PROCESS):
                    tg.start_soon(one, i)

    ready: list[str] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(one_process, "A")
        tg.start_soon(one_process, "B")

    assert len(results) == 2 * SENDS_PER_PROCESS
    sent = [r for r in results if not r.is_error]
    refused = [r for r in results if r.is_error]
    for r in sent:
        assert_sent(r)
    assert len(sent) == PER_MINUTE, [r.codes for r in refused]
    for r in refused:
        assert r.sc["sent"] is False and r.sc["status"] == "blocked", r
        assert any(c.startswith("rate_limit.") for c in r.codes), r
    assert "rate_limit.global_minute" in {c for r in refused for c in r.codes}
    assert len(gh.outbox_json()) == PER_MINUTE
    # both processes shared the same audit chain
    verify = gh.cli("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


async def test_per_recipient_limit(gh: Gatehouse) -> None:
    recipients = [
        {"name": "Alice", "jid": "+44 7700 900123", "rate_limit": {"per_minute": 2, "per_hour": 10}},
        {"name": "Bob", "jid": "+44 7700 900456"},
    ]
    gh.write_config(recipients=recipients)
    async with gh.session() as mcp:
        alice = [await mcp.send("Alice", f"a{i}") for i in range(3)]
        bob = await mcp.send("Bob", "b")
    assert [r.is_error for r in alice] == [False, False, True]
    assert "rate_limit.recipient_minute" in alice[2].codes, alice[2]
    assert_sent(bob)
