"""Crash safety: a stream of keyed sends with the server SIGKILLed at random moments.

A driver sends MESSAGES distinct texts, each with its own idempotency key, and kills the server at
seeded random moments (some while the transport call is in flight). After each kill it restarts the
server and retries the in-flight key until it answers something final; a send answered `unknown` is
settled by the driver playing the owner (message present in the transport: `audit resolve --sent`,
absent: `--failed`) and retried. Then: every delivered message is in the transport exactly once and has
exactly one `sent` outcome/resolved record, nothing is both sent and failed, every delivery follows its
attempt record, `audit verify` passes and `audit pending` is empty.

Set GATEHOUSE_CRASH_SEED to replay another schedule.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest

from harness import Gatehouse, ToolResult
from store_support import postgres_server  # noqa: F401  (fixture)
from store_support import (
    ENGINES,
    ServerProcess,
    StallingBridge,
    assert_verifies,
    configure,
    engine_store,
    export,
    pending,
    resolve,
    send_args,
    served,
)

pytestmark = pytest.mark.anyio

MESSAGES = 60
KILLS = 10
SEED = int(os.environ.get("GATEHOUSE_CRASH_SEED", "20261129"))
BRIDGE_DELAY = 0.03  # seconds the fake bridge takes to answer (after recording the message)


def text_for(i: int) -> str:
    return f"message {i} of the crash run (key crash-{i})"


def key_for(i: int) -> str:
    return f"crash-{i}"


@dataclass
class Driver:
    gh: Gatehouse
    transport: str
    bridge: StallingBridge | None
    rng: random.Random
    answers: dict[int, str] = field(default_factory=dict)  # final status per message: sent | failed
    unknowns: list[int] = field(default_factory=list)
    killed_mid_call: list[int] = field(default_factory=list)
    kills: int = 0
    log: list[str] = field(default_factory=list)

    # ---- the transport's view
    def deliveries(self) -> list[str]:
        """Texts the transport delivered, in order."""
        if self.bridge is not None:
            return [r.message or "" for r in self.bridge.sends() if r.status == 200]
        return [doc.get("message") or "" for _, doc in self.gh.outbox_json()]

    def delivered(self, i: int) -> bool:
        return text_for(i) in self.deliveries()

    # ---- one send, maybe killed
    async def send(self, server: ServerProcess, i: int, kill: tuple[str, float] | None) -> ToolResult | None:
        args = send_args("Alice" if i % 2 else "Bob", text_for(i), key_for(i))
        if kill is None:
            return await server.mcp.call("wa_send_message", args)
        how, delay = kill
        got: list[ToolResult | None] = []
        seen = len(self.bridge.sends()) if self.bridge is not None else 0

        async def call() -> None:
            got.append(await server.call_raw("wa_send_message", args))

        async with anyio.create_task_group() as tg:
            tg.start_soon(call)
            if how == "on_arrival" and self.bridge is not None:
                await self.bridge.await_sends(seen + 1, timeout=10)
            else:
                await anyio.sleep(delay)
            server.kill()
        self.kills += 1
        self.log.append(f"kill #{self.kills} at message {i} ({how} {delay:.3f}s): {'mid-call' if got == [None] else 'after the answer'}")
        return got[0] if got else None

    def kill_plan(self) -> dict[int, tuple[str, float]]:
        plan: dict[int, tuple[str, float]] = {}
        for i in sorted(self.rng.sample(range(MESSAGES), KILLS)):
            if self.transport == "bridge" and self.rng.random() < 0.4:
                plan[i] = ("on_arrival", 0.0)
            else:
                window = 0.04 if self.transport == "outbox" else 0.03 + 2 * BRIDGE_DELAY
                plan[i] = ("after", self.rng.uniform(0.0, window))
        return plan

    # ---- a final answer for message i
    def settle_answer(self, i: int, res: ToolResult, *, retry: bool) -> str:
        sc = res.sc
        status = sc["status"]
        if status == "sent":
            assert sc["sent"] is True and not res.is_error, res
            if not retry:
                assert sc["replayed"] is False, res
            self.answers[i] = "sent"
            return "sent"
        assert status == "unknown", f"message {i}: unexpected answer {res!r}"
        assert retry and sc["replayed"] is True and sc["sent"] is False and res.is_error, res
        return "unknown"

    async def finish(self, server: ServerProcess, i: int) -> None:
        """Retry message i (its first call was cut off) until it answers something final."""
        args = send_args("Alice" if i % 2 else "Bob", text_for(i), key_for(i))
        for _ in range(5):
            res = await server.mcp.call("wa_send_message", args)
            if self.settle_answer(i, res, retry=True) == "sent":
                return
            # unknown: the owner checks the transport and settles it
            self.unknowns.append(i)
            listed, _ = pending(self.gh)
            mine = [p for p in listed if p["attempt_seq"] == res.sc["attempt_seq"]]
            assert len(mine) == 1, (i, res, listed)
            assert mine[0]["body_preview"] == text_for(i) and mine[0]["keyed_by"] == "idempotency_key", mine
            present = self.delivered(i)
            self.log.append(f"message {i} unknown: {'present' if present else 'absent'} in the transport")
            resolve(self.gh, res.sc["attempt_seq"], present, note=f"driver checked message {i}")
            after = await server.mcp.call("wa_send_message", args)
            assert after.sc["replayed"] is True and after.sc["attempt_seq"] == res.sc["attempt_seq"], after
            if present:
                assert after.sc["status"] == "sent" and after.sc["sent"] is True and not after.is_error, after
                self.answers[i] = "sent"
            else:
                assert after.sc["status"] == "failed" and after.sc["sent"] is False and after.is_error, after
                self.answers[i] = "failed"
            return
        raise AssertionError(f"message {i} never answered anything final")

    async def run(self) -> None:
        plan = self.kill_plan()
        i = 0
        cut_off: int | None = None
        while i < MESSAGES:
            async with served(self.gh) as server:
                if cut_off is not None:
                    await self.finish(server, cut_off)
                    cut_off = None
                while i < MESSAGES:
                    kill = plan.pop(i, None)
                    res = await self.send(server, i, kill)
                    if res is None:
                        self.killed_mid_call.append(i)
                        cut_off = i
                    else:
                        self.settle_answer(i, res, retry=False)
                    i += 1
                    if kill is not None:
                        break  # the server is dead: start another
            if cut_off is not None and i >= MESSAGES:
                async with served(self.gh) as server:
                    await self.finish(server, cut_off)
                cut_off = None


@pytest.mark.parametrize("transport", ["outbox", "bridge"])
@pytest.mark.parametrize("engine", ENGINES)
async def test_sigkill_at_random_moments_never_loses_or_doubles_a_send(
    engine: str, transport: str, gh: Gatehouse, request: pytest.FixtureRequest
) -> None:
    store = engine_store(engine, request)
    rng = random.Random(f"{SEED}-{engine}-{transport}")
    bridge = StallingBridge().start() if transport == "bridge" else None
    try:
        settings: dict[str, Any] = {"rate_limit": {"per_minute": 1000, "per_hour": 10000}}
        if bridge is not None:
            bridge.delay = BRIDGE_DELAY
            settings.update(transport="bridge", bridge_url=bridge.url)
        configure(gh, store, **settings)
        driver = Driver(gh, transport, bridge, rng)
        started = time.monotonic()
        await driver.run()
        schedule = "\n".join(driver.log) + f"\n(seed {SEED}; unknown answers: {driver.unknowns})"
        print(f"\n{engine}/{transport}: {time.monotonic() - started:.1f}s\n{schedule}")
        check_invariants(driver, schedule)
    finally:
        if bridge is not None:
            bridge.stop()


def check_invariants(driver: Driver, schedule: str) -> None:
    gh = driver.gh
    assert driver.kills == KILLS, schedule
    assert sorted(driver.answers) == list(range(MESSAGES)), schedule

    # The transport: nothing twice, nothing the driver was not told was sent.
    deliveries = driver.deliveries()
    texts = {text_for(i): i for i in range(MESSAGES)}
    assert all(t in texts for t in deliveries), deliveries
    doubled = sorted({t for t in deliveries if deliveries.count(t) > 1})
    assert doubled == [], f"delivered more than once: {doubled}\n{schedule}"
    delivered = {texts[t] for t in deliveries}
    told_sent = {i for i, a in driver.answers.items() if a == "sent"}
    assert delivered == told_sent, f"delivered {sorted(delivered ^ told_sent)} vs answers\n{schedule}"

    # The audit: one attempt per transport call, one final record per attempt.
    records = export(gh)
    by_seq = {r["seq"]: r for r in records}
    assert sorted(by_seq) == list(range(1, len(records) + 1))
    attempts = [r for r in records if r["event"] == "attempt"]
    finals = [r for r in records if r["event"] in ("outcome", "resolved")]
    for f in finals:
        a = by_seq.get(f["attempt_seq"])
        assert a is not None and a["event"] == "attempt", f
        assert a["seq"] < f["seq"], (a, f)
        assert a["decision_id"] == f["decision_id"], (a, f)
    final_of: dict[int, list[dict]] = {}
    for f in finals:
        final_of.setdefault(f["attempt_seq"], []).append(f)
    assert all(len(v) == 1 for v in final_of.values()), {k: v for k, v in final_of.items() if len(v) > 1}
    assert {a["seq"] for a in attempts} == set(final_of), "an attempt without an outcome (or the reverse)"

    message_of_attempt = {}
    for a in attempts:
        assert a["body_preview"] in texts, a
        message_of_attempt[a["seq"]] = texts[a["body_preview"]]
    sent_records: dict[int, list[dict]] = {}
    failed_records: dict[int, list[dict]] = {}
    for f in finals:
        target = sent_records if f["status"] == "sent" else failed_records
        assert f["status"] in ("sent", "failed"), f
        target.setdefault(message_of_attempt[f["attempt_seq"]], []).append(f)
    for i in delivered:
        assert len(sent_records.get(i, [])) == 1, (i, sent_records.get(i), schedule)
    assert set(sent_records) == delivered, (sorted(set(sent_records) ^ delivered), schedule)
    assert set(sent_records) & set(failed_records) == set(), "a message both sent and failed"
    # an attempt per transport call: never more attempts for a message than calls that could have sent it
    per_message = {}
    for a in attempts:
        per_message.setdefault(message_of_attempt[a["seq"]], []).append(a)
    assert all(len(v) == 1 for v in per_message.values()), {k: len(v) for k, v in per_message.items() if len(v) > 1}

    # Every delivery was preceded by its attempt record.
    if driver.bridge is not None:
        arrivals = {r.message: r for r in driver.bridge.sends() if r.status == 200}
        for t, req in arrivals.items():
            i = texts[t]
            (a,) = per_message[i]
            assert a["transport"] == "bridge", a
            assert _epoch(a["time"]) <= req.extra["arrived"] + 0.002, (a, req.extra)
    else:
        for path, doc in gh.outbox_json():
            a = by_seq.get(doc["audit_seq"])
            assert a is not None and a["event"] == "attempt", (path, doc)
            assert a["decision_id"] == doc["decision_id"] and a["body_preview"] == doc["message"], (a, doc)

    assert pending(gh)[0] == [], schedule
    assert_verifies(gh)


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
