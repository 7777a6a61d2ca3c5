"""Exactly-once sends: `idempotency_key` (and a confirm token as a key), replays, conflicts, and the
`unknown` outcome of a send whose server died mid-transport-call, settled by `audit pending` / `resolve`."""

from __future__ import annotations

import anyio
import pytest

from fake_bridge import FakeBridge
from harness import SMALL_PDF, Gatehouse, ToolResult, assert_blocked, assert_needs_confirmation_preview, assert_sent, fake_aws_key_id
from store_support import (
    StallingBridge,
    assert_verifies,
    cli_ok,
    export,
    outbox_messages,
    pending,
    resolve,
    send_args,
    served,
)

pytestmark = pytest.mark.anyio


def assert_replayed(res: ToolResult, first: ToolResult, status: str = "sent") -> None:
    """A retry answered from the ledger: the first call's outcome, its attempt record, replayed."""
    sc = res.sc
    assert sc["replayed"] is True, res
    assert sc["status"] == status, res
    assert sc["sent"] is (status == "sent"), res
    assert res.is_error is (status != "sent"), res
    assert sc["attempt_seq"] == first.sc["attempt_seq"], (res, first)


def events(gh: Gatehouse, name: str) -> list[dict]:
    return [r for r in export(gh) if r["event"] == name]


async def test_replayed_send_reaches_the_bridge_once(gh: Gatehouse, bridge: FakeBridge) -> None:
    gh.write_config(transport="bridge", bridge_url=bridge.url)
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "Running 10 min late", idempotency_key="late-1")
        assert_sent(first)
        assert first.sc["replayed"] is False, first
        attempt = first.sc["attempt_seq"]
        assert isinstance(attempt, int) and attempt >= 1, first
        again = await mcp.send("Alice", "Running 10 min late", idempotency_key="late-1")
        third = await mcp.send("Alice", "Running 10 min late", idempotency_key="late-1")
    assert_replayed(again, first)
    assert_replayed(third, first)
    assert again.sc["audit_seq"] != first.sc["audit_seq"], "a replay is audited in a record of its own"
    assert len(bridge.sends()) == 1, [s.message for s in bridge.sends()]
    records = export(gh)
    attempts = [r for r in records if r["event"] == "attempt"]
    outcomes = [r for r in records if r["event"] == "outcome"]
    replays = [r for r in records if r["event"] == "replayed"]
    assert len(attempts) == 1 and attempts[0]["seq"] == attempt and attempts[0]["status"] == "attempted"
    assert len(outcomes) == 1 and outcomes[0]["status"] == "sent" and outcomes[0]["attempt_seq"] == attempt
    assert outcomes[0]["seq"] > attempt
    assert [(r["status"], r["attempt_seq"]) for r in replays] == [("sent", attempt), ("sent", attempt)]
    assert_verifies(gh)


async def test_replay_across_a_server_restart(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        first = await mcp.send("Bob", "see you at 7", idempotency_key="dinner")
    assert_sent(first)
    async with gh.session() as mcp:
        again = await mcp.send("Bob", "see you at 7", idempotency_key="dinner")
        other = await mcp.send("Bob", "see you at 7", idempotency_key="dinner-2")
    assert_replayed(again, first)
    assert_sent(other)  # another key is another send
    assert other.sc["replayed"] is False and other.sc["attempt_seq"] != first.sc["attempt_seq"], other
    assert [m["message"] for m in outbox_messages(gh)] == ["see you at 7", "see you at 7"]
    assert_verifies(gh)


async def test_replay_of_a_file_send(gh: Gatehouse) -> None:
    pdf = gh.files_root / "report.pdf"
    pdf.write_bytes(SMALL_PDF)
    async with gh.session() as mcp:
        args = {"recipient": "Alice", "file_path": str(pdf), "caption": "the report", "idempotency_key": "report-1"}
        first = await mcp.call("wa_send_file", args)
        again = await mcp.call("wa_send_file", args)
        other_caption = await mcp.call("wa_send_file", {**args, "caption": "another caption"})
    assert_sent(first)
    assert_replayed(again, first)
    assert_blocked(other_caption, "request.idempotency_conflict")
    sent = outbox_messages(gh)
    assert len(sent) == 1 and sent[0]["kind"] == "file" and sent[0]["caption"] == "the report", sent


async def test_same_key_for_a_different_send_is_a_conflict(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "the code is in the drawer", idempotency_key="k-1")
        other_text = await mcp.send("Alice", "the code is under the mat", idempotency_key="k-1")
        other_recipient = await mcp.send("Bob", "the code is in the drawer", idempotency_key="k-1")
        other_tool = await mcp.call(
            "wa_send_file", recipient="Alice", file_path=str(gh.files_root / "x.pdf"), idempotency_key="k-1"
        )
        still = await mcp.send("Alice", "the code is in the drawer", idempotency_key="k-1")
    assert_sent(first)
    for res in (other_text, other_recipient, other_tool):
        assert_blocked(res, "request.idempotency_conflict")
        assert res.sc["replayed"] is False, res
    # the conflict does not consume or change the key
    assert_replayed(still, first)
    assert [m["message"] for m in outbox_messages(gh)] == ["the code is in the drawer"]
    blocked = events(gh, "blocked")
    assert len(blocked) == 3
    assert all("request.idempotency_conflict" in [c["code"] for c in r["reasons"]] for r in blocked), blocked
    assert_verifies(gh)


async def test_confirm_token_doubles_as_an_idempotency_key(gh: Gatehouse) -> None:
    gh.write_config(require_confirm_for=["messages"])
    async with gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", "lunch at 1?"))
        first = await mcp.send("Alice", "lunch at 1?", token)
        again = await mcp.send("Alice", "lunch at 1?", token)
        misused = await mcp.send("Alice", "lunch at 2?", token)
    assert_sent(first)
    assert first.sc["replayed"] is False
    assert_replayed(again, first)
    assert_blocked(misused)
    assert "request.idempotency_conflict" in misused.codes, misused
    assert [m["message"] for m in outbox_messages(gh)] == ["lunch at 1?"]
    assert_verifies(gh)


async def test_a_refused_call_reserves_nothing_rate_limit(gh: Gatehouse) -> None:
    gh.write_config(rate_limit={"per_minute": 1, "per_hour": 100})
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "one", idempotency_key="a")
        refused = await mcp.send("Alice", "two", idempotency_key="b")
        again = await mcp.send("Alice", "two", idempotency_key="b")
    assert_sent(first)
    for res in (refused, again):
        assert_blocked(res, "rate_limit.global_minute")
        assert res.sc["replayed"] is False, res
    assert [m["message"] for m in outbox_messages(gh)] == ["one"]
    assert [r["status"] for r in events(gh, "replayed")] == []
    assert len(events(gh, "attempt")) == 1
    assert len(pending(gh)[0]) == 0


async def test_a_refused_call_reserves_nothing_secret(gh: Gatehouse) -> None:
    leaky = f"the key is {fake_aws_key_id()}"
    async with gh.session() as mcp:
        refused = await mcp.send("Alice", leaky, idempotency_key="s")
        again = await mcp.send("Alice", leaky, idempotency_key="s")
        # nothing was reserved, so the key is free for the corrected message (no conflict)
        fixed = await mcp.send("Alice", "the key is in the vault", idempotency_key="s")
        replay = await mcp.send("Alice", "the key is in the vault", idempotency_key="s")
    for res in (refused, again):
        assert_blocked(res, "content.secret")
        assert res.sc["replayed"] is False, res
    assert_sent(fixed)
    assert fixed.sc["replayed"] is False
    assert_replayed(replay, fixed)
    assert [m["message"] for m in outbox_messages(gh)] == ["the key is in the vault"]


async def test_idempotency_key_longer_than_128_is_refused(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        ok = await mcp.send("Alice", "fits", idempotency_key="k" * 128)
        long = await mcp.send("Alice", "too long", idempotency_key="k" * 129)
    assert_sent(ok)
    assert_blocked(long, "request.invalid")
    assert [m["message"] for m in outbox_messages(gh)] == ["fits"]


async def test_same_key_from_two_processes_at_once_sends_once(gh: Gatehouse) -> None:
    """Two servers on one state dir race one key: one transport call; the other answers from the ledger."""
    with StallingBridge() as bridge:
        bridge.delay = 0.5  # keep the first call in flight while the second arrives
        gh.write_config(transport="bridge", bridge_url=bridge.url)
        args = send_args("Alice", "meet at the station", "race-key")
        results: dict[str, ToolResult] = {}
        async with gh.session() as a, gh.session() as b:
            go = anyio.Event()

            async def call(name: str, mcp) -> None:  # type: ignore[no-untyped-def]
                await go.wait()
                results[name] = await mcp.call("wa_send_message", args)

            async with anyio.create_task_group() as tg:
                tg.start_soon(call, "a", a)
                tg.start_soon(call, "b", b)
                await anyio.sleep(0.05)
                go.set()
            await anyio.sleep(0.6)
            later = await a.call("wa_send_message", args)
        assert len(bridge.sends()) == 1, [s.message for s in bridge.sends()]
    first = [r for r in results.values() if not r.sc["replayed"]]
    second = [r for r in results.values() if r.sc["replayed"]]
    assert len(first) == 1 and len(second) == 1, results
    assert_sent(first[0])
    assert second[0].sc["status"] in ("sent", "unknown"), second[0]
    assert_replayed(second[0], first[0], second[0].sc["status"])
    assert_replayed(later, first[0])
    assert len(events(gh, "attempt")) == 1
    assert pending(gh)[0] == []
    assert_verifies(gh)


@pytest.mark.parametrize("delivered", [True, False], ids=["resolved-sent", "resolved-failed"])
async def test_unknown_after_the_server_dies_mid_send(gh: Gatehouse, delivered: bool) -> None:
    text = "the parcel is with the neighbour"
    args = send_args("Alice", text, "parcel-1")
    with StallingBridge() as bridge:
        gh.write_config(transport="bridge", bridge_url=bridge.url)
        bridge.hang = True
        async with served(gh) as server:
            lost: list = []

            async def call() -> None:
                lost.append(await server.call_raw("wa_send_message", args))

            async with anyio.create_task_group() as tg:
                tg.start_soon(call)
                await bridge.await_sends(1)  # the transport call is in flight
                server.kill()
            assert lost == [None], lost
        bridge.hang = False
        bridge.release()
        assert len(bridge.sends()) == 1

        # The attempt is recorded, its outcome is not.
        records = export(gh)
        assert [r["event"] for r in records] == ["attempt"], records
        attempt_seq = records[0]["seq"]

        async with served(gh) as server:
            unknown = await server.mcp.call("wa_send_message", args)
            unknown_again = await server.mcp.call("wa_send_message", args)
            # a different send under that key is still a conflict
            conflict = await server.mcp.call("wa_send_message", send_args("Alice", "other text", "parcel-1"))
        for res in (unknown, unknown_again):
            assert res.is_error, res
            assert res.sc["status"] == "unknown" and res.sc["sent"] is False, res
            assert res.sc["replayed"] is True and res.sc["attempt_seq"] == attempt_seq, res
            assert any("no recorded outcome" in w for w in res.sc["warnings"]), res
        assert_blocked(conflict, "request.idempotency_conflict")
        assert len(bridge.sends()) == 1, "the transport must not be called again for an unknown outcome"
        assert [(r["status"], r["attempt_seq"]) for r in events(gh, "replayed")] == [
            ("unknown", attempt_seq), ("unknown", attempt_seq)
        ]

        # The owner sees it ...
        listed, summary = pending(gh)
        assert "1 send(s) with unknown outcome" in summary, summary
        assert len(listed) == 1, listed
        item = listed[0]
        assert set(item) == {
            "attempt_seq", "since", "keyed_by", "tool", "decision_id", "recipient_masked", "body_preview",
            "file_name", "transport",
        }, item
        assert item["attempt_seq"] == attempt_seq and item["keyed_by"] == "idempotency_key", item
        assert item["tool"] == "wa_send_message" and item["transport"] == "bridge", item
        assert item["decision_id"] == records[0]["decision_id"] and item["body_preview"] == text, item
        assert item["recipient_masked"] == records[0]["recipient_masked"] and item["file_name"] is None, item
        assert item["since"] == records[0]["time"], item

        # ... checks the phone, and settles it.
        out = resolve(gh, attempt_seq, delivered, note="checked the phone")
        assert str(attempt_seq) in out.stdout, out.stdout
        resolved = events(gh, "resolved")
        assert len(resolved) == 1, resolved
        assert resolved[0]["status"] == ("sent" if delivered else "failed")
        assert resolved[0]["attempt_seq"] == attempt_seq
        assert "checked the phone" in (resolved[0]["transport_detail"] or ""), resolved[0]
        listed, summary = pending(gh)
        assert listed == [] and "0 send(s)" in summary, (listed, summary)
        # settled once only
        again = gh.cli("audit", "resolve", str(attempt_seq), "--sent")
        assert again.returncode != 0, again.stdout

        async with gh.session() as mcp:
            after = await mcp.call("wa_send_message", args)
        assert after.sc["replayed"] is True and after.sc["attempt_seq"] == attempt_seq, after
        if delivered:
            assert_sent(after)
        else:
            assert after.is_error and after.sc["status"] == "failed" and after.sc["sent"] is False, after
            assert "transport.failed" in after.codes, after
        assert len(bridge.sends()) == 1, "resolving and retrying must not call the transport"
    assert_verifies(gh)


async def test_resolve_refuses_a_record_that_is_not_pending(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "hello", idempotency_key="h")
    assert_sent(first)
    for seq in (first.sc["attempt_seq"], first.sc["audit_seq"], 999):
        r = gh.cli("audit", "resolve", str(seq), "--sent")
        assert r.returncode != 0, (seq, r.stdout)
    r = gh.cli("audit", "resolve", str(first.sc["attempt_seq"]))
    assert r.returncode != 0  # neither --sent nor --failed
    assert [r["event"] for r in export(gh)] == ["attempt", "outcome"]
    cli_ok(gh, "audit", "verify")


async def test_a_failed_first_call_is_replayed_as_failed(gh: Gatehouse, bridge: FakeBridge) -> None:
    gh.write_config(transport="bridge", bridge_url=bridge.url)
    bridge.connected = False
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "are you there?", idempotency_key="f-1")
        bridge.connected = True
        again = await mcp.send("Alice", "are you there?", idempotency_key="f-1")
        fresh = await mcp.send("Alice", "are you there?", idempotency_key="f-2")
    assert first.is_error and first.sc["status"] == "failed" and "transport.failed" in first.codes, first
    assert first.sc["replayed"] is False
    assert_replayed(again, first, "failed")
    assert "transport.failed" in again.codes, again
    assert_sent(fresh)
    assert [r.status for r in bridge.sends()] == [500, 200], "the failed key must not call the transport again"
    assert [r["status"] for r in events(gh, "replayed")] == ["failed"]


async def test_replay_survives_a_policy_change_and_an_exhausted_rate_limit(gh: Gatehouse) -> None:
    gh.write_config(rate_limit={"per_minute": 1, "per_hour": 100})
    async with gh.session() as mcp:
        first = await mcp.send("Alice", "one", idempotency_key="p-1")
        limited = await mcp.send("Alice", "two", idempotency_key="p-2")
        replay_limited = await mcp.send("Alice", "one", idempotency_key="p-1")
    assert_sent(first)
    assert_blocked(limited, "rate_limit.global_minute")
    assert_replayed(replay_limited, first)  # a replay sends nothing, so no limit applies
    # Alice leaves the allowlist: the first call's outcome still stands for its key.
    gh.write_config(recipients=[{"name": "Bob", "jid": "+44 7700 900456"}])
    async with gh.session() as mcp:
        replay_unlisted = await mcp.send("Alice", "one", idempotency_key="p-1")
        new = await mcp.send("Alice", "one", idempotency_key="p-3")
    assert_replayed(replay_unlisted, first)
    assert_blocked(new, "recipient.not_allowlisted")
    assert [m["message"] for m in outbox_messages(gh)] == ["one"]


async def test_a_key_refused_for_confirmation_is_free_for_the_confirmed_send(gh: Gatehouse) -> None:
    gh.write_config(require_confirm_for=["messages"])
    async with gh.session() as mcp:
        unconfirmed = await mcp.send("Alice", "call me", idempotency_key="c-1")
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", "call me"))
        confirmed = await mcp.send("Alice", "call me", token, idempotency_key="c-1")
        again = await mcp.send("Alice", "call me", token, idempotency_key="c-1")
        again_without_token = await mcp.send("Alice", "call me", idempotency_key="c-1")
    assert unconfirmed.is_error and unconfirmed.sc["status"] == "needs_confirmation", unconfirmed
    assert unconfirmed.sc["replayed"] is False
    assert_sent(confirmed)
    assert confirmed.sc["replayed"] is False
    assert_replayed(again, confirmed)
    # The key names the send; the token is not part of what was asked.
    assert again_without_token.sc["replayed"] is True and again_without_token.sc["sent"] is True, again_without_token
    assert [m["message"] for m in outbox_messages(gh)] == ["call me"]


async def test_pending_lists_every_cut_off_send(gh: Gatehouse) -> None:
    """A send cut off mid-transport shows in `audit pending` whether it was keyed by an idempotency key,
    by a confirm token, or not at all; a file send names its file."""
    pdf = gh.files_root / "minutes.pdf"
    pdf.write_bytes(SMALL_PDF)
    with StallingBridge() as bridge:
        gh.write_config(transport="bridge", bridge_url=bridge.url, require_confirm_for=["files"])
        bridge.hang = True

        async def cut_off(call) -> None:  # type: ignore[no-untyped-def]
            seen = len(bridge.sends())
            async with served(gh) as server:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(call, server)
                    await bridge.await_sends(seen + 1)
                    server.kill()

        async def keyed(server) -> None:  # type: ignore[no-untyped-def]
            await server.call_raw("wa_send_message", send_args("Alice", "keyed text", "cut-1"))

        async def unkeyed(server) -> None:  # type: ignore[no-untyped-def]
            await server.call_raw("wa_send_message", send_args("Bob", "unkeyed text"))

        file_args: dict = {"recipient": "Alice", "file_path": str(pdf), "caption": "minutes"}

        async def by_token(server) -> None:  # type: ignore[no-untyped-def]
            token = assert_needs_confirmation_preview(await server.mcp.call("wa_preview", file_args))
            file_args["confirm_token"] = token
            await server.call_raw("wa_send_file", file_args)

        await cut_off(keyed)
        await cut_off(unkeyed)
        await cut_off(by_token)
        bridge.hang = False
        bridge.release()
        assert len(bridge.sends()) == 3

        listed, summary = pending(gh)
        assert "3 send(s) with unknown outcome" in summary, summary
        by_preview = {p["body_preview"]: p for p in listed}
        assert set(by_preview) == {"keyed text", "unkeyed text", "minutes"}, listed
        assert by_preview["keyed text"]["keyed_by"] == "idempotency_key"
        assert by_preview["minutes"]["keyed_by"] == "confirm_token"
        assert by_preview["unkeyed text"]["keyed_by"] not in ("idempotency_key", "confirm_token")
        assert by_preview["minutes"]["tool"] == "wa_send_file" and by_preview["minutes"]["file_name"] == "minutes.pdf"

        async with gh.session() as mcp:
            token_retry = await mcp.call("wa_send_file", file_args)
        assert token_retry.sc["status"] == "unknown" and token_retry.sc["replayed"] is True, token_retry
        assert token_retry.sc["attempt_seq"] == by_preview["minutes"]["attempt_seq"], token_retry
        for p in listed:
            resolve(gh, p["attempt_seq"], True)
        async with gh.session() as mcp:
            token_retry = await mcp.call("wa_send_file", file_args)
        assert_sent(token_retry)
        assert token_retry.sc["replayed"] is True, token_retry
        assert len(bridge.sends()) == 3
    assert pending(gh)[0] == []
    assert_verifies(gh)
