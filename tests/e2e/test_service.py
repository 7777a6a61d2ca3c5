"""Service conversations (docs/inbound.md "Service conversations", "Approvals", "Agent tools",
"Drop folder", "Running ingest", "The spool").

A service conversation is a direct chat with a business number that is not in `recipients`: the
first contact is held as a draft for a person (`gatehouse approvals`), the provider's replies arrive
in `wa_inbox` as `chat_kind: service` once that draft was sent, and `gatehouse chats` moves a chat
between `draft_first`, `approved_followup`, `paused` and `revoked`.

Inbound messages are fed through the drop folder (`gatehouse.drop/1`, one file per event, written to
a dot-name and renamed) and `gatehouse ingest --once` with the same --config/--state-dir as the CLI.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import subprocess
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import pytest

from harness import SMALL_PDF, Gatehouse, Mcp, ToolResult, assert_blocked, assert_sent
from store_support import postgres_server  # noqa: F401  (fixture)
from store_support import ENGINES, engine_store, share_keys

pytestmark = pytest.mark.anyio

# Invented Spanish toll-free provider numbers (+34 900 …).
PROVIDER = "+34 900 123 456"
PROVIDER_E164 = "+34900123456"
PROVIDER_JID = "34900123456@s.whatsapp.net"
# A group the provider writes in (never a service chat).
OPEN_GROUP = "120363049876543210@g.us"  # in inbound.groups, allow_all_members: true
CLOSED_GROUP = "120363041111111111@g.us"  # not in inbound.groups

SUMMARY = re.compile(
    r"ingest: delivered=(\d+) dropped=(\d+) paired=(\d+) quarantined=(\d+) skipped=(\d+)"
)
DAILY_BUDGET = re.compile(r"daily|per_day|per.day|budget|new_service_chats", re.IGNORECASE)

# Caps high enough not to interfere unless a test lowers one on purpose.
GENEROUS = {
    "max_new_service_chats_per_day": 10,
    "max_auto_sends_per_chat_per_hour": 100,
    "max_consecutive_sends_without_reply": 100,
}


# --------------------------------------------------------------------------- config


def drop_dir(gh: Gatehouse) -> Path:
    return gh.root / "inbound-drop"


def service_config(gh: Gatehouse, *, inbound: dict[str, Any] | None = None, **service: Any) -> dict[str, Any]:
    """The harness's base config plus an enabled `service_conversations:` block and a drop folder."""
    block: dict[str, Any] = {"enabled": True, "approved_chats": [PROVIDER], **GENEROUS}
    block.update(service)
    cfg = gh.base_config()
    cfg["service_conversations"] = block
    cfg["inbound"] = {"drop_dir": str(drop_dir(gh)), **(inbound or {})}
    return cfg


def configure(gh: Gatehouse, **kw: Any) -> Gatehouse:
    gh.write_config(service_config(gh, **kw))
    return gh


# --------------------------------------------------------------------------- CLI


def cli_ok(gh: Gatehouse, *args: str) -> subprocess.CompletedProcess[str]:
    r = gh.cli(*args)
    assert r.returncode == 0, f"gatehouse {' '.join(args)} -> exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


async def acli(gh: Gatehouse, *args: str) -> subprocess.CompletedProcess[str]:
    """gh.cli in a worker thread, so an open MCP session keeps being served meanwhile."""
    return await anyio.to_thread.run_sync(lambda: gh.cli(*args))


async def acli_ok(gh: Gatehouse, *args: str) -> subprocess.CompletedProcess[str]:
    r = await acli(gh, *args)
    assert r.returncode == 0, f"gatehouse {' '.join(args)} -> exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r


def export(gh: Gatehouse) -> list[dict[str, Any]]:
    r = cli_ok(gh, "audit", "export")
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def events(gh: Gatehouse, event: str) -> list[dict[str, Any]]:
    return [r for r in export(gh) if r.get("event") == event]


def assert_verifies(gh: Gatehouse) -> None:
    r = gh.cli("audit", "verify")
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "OK" in out, out


def listed_approvals(gh: Gatehouse) -> tuple[list[Any], str]:
    """`approvals list --json` as a list of entries (a JSON array, an object holding one, or JSON lines)."""
    r = cli_ok(gh, "approvals", "list", "--json")
    text = r.stdout.strip()
    if not text:
        return [], r.stdout
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        doc = None
    if isinstance(doc, list):
        return doc, r.stdout
    if isinstance(doc, dict) and isinstance(doc.get("approvals"), list):
        return doc["approvals"], r.stdout
    # JSON lines: one held send per line
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(isinstance(e, dict) for e in entries), text
    return entries, r.stdout


# --------------------------------------------------------------------------- drop folder and ingest

_drop_seq = itertools.count()


def drop(
    gh: Gatehouse,
    text: str,
    *,
    chat: str = PROVIDER_JID,
    sender: str = PROVIDER_JID,
    msg_id: str | None = None,
    **extra: Any,
) -> str:
    """One `gatehouse.drop/1` event, written atomically (dot-name, then rename to *.json)."""
    d = drop_dir(gh)
    d.mkdir(parents=True, exist_ok=True)
    msg_id = msg_id or "3EB0" + secrets.token_hex(8).upper()
    doc = {
        "schema": "gatehouse.drop/1",
        "id": msg_id,
        "chat": chat,
        "sender": sender,
        "timestamp": int(time.time()),
        "text": text,
        "from_me": False,
        **extra,
    }
    name = f"{time.time_ns():020d}-{next(_drop_seq):05d}"
    tmp = d / f".{name}.tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, d / f"{name}.json")
    return msg_id


def parse_summary(r: subprocess.CompletedProcess[str]) -> dict[str, int]:
    found = SUMMARY.findall(r.stdout + "\n" + r.stderr)
    assert found, f"no ingest summary line in the output:\n{r.stdout}\n{r.stderr}"
    keys = ("delivered", "dropped", "paired", "quarantined", "skipped")
    return dict(zip(keys, map(int, found[-1])))


async def ingest(gh: Gatehouse) -> dict[str, int]:
    r = await acli(gh, "ingest", "--once")
    assert r.returncode == 0, f"ingest --once -> exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    left = [p.name for p in drop_dir(gh).glob("*.json")] if drop_dir(gh).is_dir() else []
    assert left == [], f"ingest left handled drop files behind: {left}"
    return parse_summary(r)


# --------------------------------------------------------------------------- agent tools


async def inbox(mcp: Mcp) -> list[dict[str, Any]]:
    res = await mcp.call("wa_inbox", limit=100)
    assert not res.is_error, res
    assert res.sc.get("untrusted") is True, res
    records = res.sc["records"]
    assert isinstance(records, list), res
    return records


async def list_chats(mcp: Mcp) -> list[dict[str, Any]]:
    res = await mcp.call("wa_list_chats")
    assert not res.is_error, res
    sc = res.sc
    if isinstance(sc.get("chats"), list):
        return sc["chats"]
    lists = [v for v in sc.values() if isinstance(v, list)]
    assert len(lists) == 1, f"cannot find the chats in {sc}"
    return lists[0]


def with_text(records: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("text") == text]


def reason_text(res: ToolResult) -> str:
    sc = res.sc
    return json.dumps([sc.get("reasons"), sc.get("blocked_reason")], ensure_ascii=False)


def assert_held(res: ToolResult) -> str:
    """A send held for a person: not sent, `status: needs_approval`, an `approval_id`."""
    sc = res.sc
    assert sc.get("sent") is False, res
    assert sc.get("status") == "needs_approval", res
    aid = sc.get("approval_id")
    assert isinstance(aid, str) and aid, res
    return aid


def assert_refused(res: ToolResult) -> None:
    """Refused outright (not held): isError, not sent, status blocked, no approval."""
    assert res.is_error, res
    assert res.sc.get("sent") is False, res
    assert res.sc.get("status") == "blocked", res
    assert not res.sc.get("approval_id"), res


def outbox_to(gh: Gatehouse, jid: str = PROVIDER_JID) -> list[dict[str, Any]]:
    return [rec for _, rec in gh.outbox_json() if rec.get("recipient") == jid]


async def first_contact(gh: Gatehouse, mcp: Mcp, text: str = "Hello, I'd like to book a repair") -> str:
    """The agent's first message to the provider is held; a person approves it; it is sent once."""
    aid = assert_held(await mcp.send(PROVIDER, text))
    assert outbox_to(gh) == []
    await acli_ok(gh, "approvals", "approve", aid)
    assert [r["message"] for r in outbox_to(gh)] == [text]
    return aid


# =========================================================================== 1. off by default


@pytest.mark.parametrize("block", ["absent", "disabled"])
async def test_service_conversations_off_by_default(gh: Gatehouse, block: str) -> None:
    cfg = gh.base_config()
    if block == "disabled":
        cfg["service_conversations"] = {"enabled": False, "approved_chats": [PROVIDER]}
    gh.write_config(cfg)
    async with gh.session() as mcp:
        res = await mcp.send(PROVIDER, "Hello, I'd like to book a repair")
    assert_blocked(res, "recipient.not_allowlisted")
    assert not res.sc.get("approval_id"), res
    assert gh.outbox_json() == []
    entries, out = listed_approvals(gh)
    assert entries == [], out
    assert events(gh, "held") == []


async def test_pattern_needs_allow_agent_initiated(gh: Gatehouse) -> None:
    # approved_patterns open chats only with allow_agent_initiated_service_chats: true.
    configure(gh, approved_chats=[], approved_patterns=["+34900*"], allow_agent_initiated_service_chats=False)
    async with gh.session() as mcp:
        res = await mcp.send(PROVIDER, "Hello, I'd like to book a repair")
    assert_blocked(res, "recipient.not_allowlisted")
    assert not res.sc.get("approval_id"), res
    entries, out = listed_approvals(gh)
    assert entries == [], out
    assert gh.outbox_json() == []


# =========================================================================== 2. first contact


async def test_first_contact_is_held_then_approved_and_sent_once(gh: Gatehouse) -> None:
    configure(gh)
    text = "Hello, I'd like to book a boiler repair"
    async with gh.session() as mcp:
        res = await mcp.send(PROVIDER, text)
    aid = assert_held(res)
    assert gh.outbox_json() == [], "a held draft must not be sent"

    listed = cli_ok(gh, "approvals", "list")
    assert aid in listed.stdout, listed.stdout
    entries, out = listed_approvals(gh)
    assert len(entries) == 1 and aid in out, out
    shown = cli_ok(gh, "approvals", "show", aid)
    assert text in shown.stdout, f"approvals show should show the held text:\n{shown.stdout}"
    assert gh.outbox_json() == [], "list/show must not send"

    cli_ok(gh, "approvals", "approve", aid)
    recs = [rec for _, rec in gh.outbox_json()]
    assert len(recs) == 1, recs
    [rec] = recs
    assert rec["recipient"] == PROVIDER_JID and rec["kind"] == "text" and rec["message"] == text, rec

    records = export(gh)
    held = [r for r in records if r["event"] == "held"]
    approvals = [r for r in records if r["event"] == "approval"]
    assert len(held) == 1, held
    assert [r["status"] for r in approvals] == ["approved"], approvals
    attempts = [r for r in records if r["event"] == "attempt"]
    outcomes = [r for r in records if r["event"] == "outcome"]
    assert len(attempts) == 1 and [r["status"] for r in outcomes] == ["sent"], (attempts, outcomes)
    assert rec["audit_seq"] == attempts[0]["seq"], (rec, attempts)
    assert held[0]["seq"] < approvals[0]["seq"] < attempts[0]["seq"] < outcomes[0]["seq"]
    assert_verifies(gh)


# =========================================================================== 3. replies


async def test_provider_reply_after_contact_arrives_as_service(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        # Before any contact: the provider is an unknown sender.
        drop(gh, "Special offer, reply YES")
        before = await ingest(gh)
        assert before["delivered"] == 0 and before["dropped"] == 1, before

        # Held but not yet approved: still not contacted.
        aid = assert_held(await mcp.send(PROVIDER, "Hello, I'd like to book a repair"))
        drop(gh, "Did you write to us?")
        held = await ingest(gh)
        assert held["delivered"] == 0 and held["dropped"] == 1, held
        assert await inbox(mcp) == []

        await acli_ok(gh, "approvals", "approve", aid)
        assert len(outbox_to(gh)) == 1

        drop(gh, "Sure, Tuesday 10:00 works", sender_name="Repair Co", chat_name="Repair Co")
        after = await ingest(gh)
        assert after["delivered"] == 1, after

        records = await inbox(mcp)
        chats = await list_chats(mcp)

    assert [r["text"] for r in records] == ["Sure, Tuesday 10:00 works"], records
    [reply] = records
    assert reply["chat_kind"] == "service", reply
    assert reply["provenance"] == "untrusted" and reply["source"] == "drop", reply
    assert reply["is_command"] is False, reply
    assert re.fullmatch(r"c_[0-9a-f]{16}", reply["chat_id"]), reply
    service = [c for c in chats if c.get("kind") == "service"]
    assert len(service) == 1, chats
    assert service[0]["chat_id"] == reply["chat_id"], (service, reply)
    assert "34900123456" not in json.dumps(chats), "wa_list_chats shows numbers masked"
    inbound = events(gh, "inbound")
    assert [r["status"] for r in inbound] == ["dropped", "dropped", "delivered"], inbound
    for r in inbound[:2]:
        assert "inbound.unknown_sender" in json.dumps(r), r
    dumped = json.dumps(inbound, ensure_ascii=False)
    for secret in ("34900123456", "Special offer", "Did you write", "Tuesday 10:00"):
        assert secret not in dumped, f"inbound audit records hold no number and no text: {secret!r}"


async def test_provider_in_a_group_is_not_a_service_chat(gh: Gatehouse) -> None:
    configure(
        gh,
        inbound={"groups": [{"jid": OPEN_GROUP, "name": "Repair forum", "allow_all_members": True}]},
    )
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "posted in the open group", chat=OPEN_GROUP, sender=PROVIDER_JID, chat_name="Repair forum")
        drop(gh, "posted in a closed group", chat=CLOSED_GROUP, sender=PROVIDER_JID)
        drop(gh, "direct reply")
        summary = await ingest(gh)
        records = await inbox(mcp)
    assert summary["delivered"] == 2 and summary["dropped"] == 1, summary
    [direct] = with_text(records, "direct reply")
    [in_group] = with_text(records, "posted in the open group")
    assert with_text(records, "posted in a closed group") == [], records
    assert direct["chat_kind"] == "service", direct
    assert in_group["chat_kind"] == "group", in_group
    assert in_group["chat_id"] != direct["chat_id"], records
    assert [r for r in records if r["chat_kind"] == "service"] == [direct], records


# =========================================================================== 4. promotion and caps


async def test_reply_auto_promotes_chat(gh: Gatehouse) -> None:
    configure(gh, auto_promote_replied_to_chats=True)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "Yes, what do you need?")
        assert (await ingest(gh))["delivered"] == 1
        [reply] = await inbox(mcp)
        by_number = await mcp.send(PROVIDER, "A boiler repair, please")
        by_chat_id = await mcp.send(reply["chat_id"], "Is Tuesday possible?")
    assert_sent(by_number)
    assert_sent(by_chat_id)
    assert [r["message"] for r in outbox_to(gh)] == [
        "Hello, I'd like to book a repair",
        "A boiler repair, please",
        "Is Tuesday possible?",
    ]
    assert len(events(gh, "held")) == 1


async def test_reply_without_auto_promote_keeps_drafts(gh: Gatehouse) -> None:
    configure(gh, auto_promote_replied_to_chats=False)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "Yes, what do you need?")
        assert (await ingest(gh))["delivered"] == 1
        assert len(await inbox(mcp)) == 1
        res = await mcp.send(PROVIDER, "A boiler repair, please")
    assert_held(res)
    assert len(outbox_to(gh)) == 1, "only the approved first contact"
    assert len(events(gh, "held")) == 2


async def test_chats_promote_lets_sends_through(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        before = len(events(gh, "chat"))
        await acli_ok(gh, "chats", "promote", PROVIDER_E164)
        assert len(events(gh, "chat")) == before + 1
        res = await mcp.send(PROVIDER, "Following up on my request")
    assert_sent(res)
    assert [r["message"] for r in outbox_to(gh)][-1] == "Following up on my request"
    assert len(outbox_to(gh)) == 2


async def test_consecutive_sends_without_reply_capped_and_reset_by_reply(gh: Gatehouse) -> None:
    configure(gh, auto_promote_replied_to_chats=True, max_consecutive_sends_without_reply=2)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "Yes?")
        assert (await ingest(gh))["delivered"] == 1  # promotes, and resets the count
        one = await mcp.send(PROVIDER, "followup 1")
        two = await mcp.send(PROVIDER, "followup 2")
        three = await mcp.send(PROVIDER, "followup 3")
        drop(gh, "Got them")
        assert (await ingest(gh))["delivered"] == 1
        four = await mcp.send(PROVIDER, "followup 4")
    assert_sent(one)
    assert_sent(two)
    assert_refused(three)
    assert_sent(four)
    assert [r["message"] for r in outbox_to(gh)][1:] == ["followup 1", "followup 2", "followup 4"]


async def test_hourly_cap_per_chat(gh: Gatehouse) -> None:
    cap = 3
    configure(gh, auto_promote_replied_to_chats=True, max_auto_sends_per_chat_per_hour=cap)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "Yes?")
        assert (await ingest(gh))["delivered"] == 1
        results = [await mcp.send(PROVIDER, f"auto {i}") for i in range(cap + 2)]
        # A reply resets the consecutive count, not the hourly budget.
        drop(gh, "ok")
        assert (await ingest(gh))["delivered"] == 1
        after_reply = await mcp.send(PROVIDER, "after the reply")
    sent = [r for r in results if not r.is_error]
    # The person-approved first contact is not an auto send: the cap is the agent's own sends.
    assert len(sent) == cap, results
    assert results[: len(sent)] == sent, "sends go through until the cap, then all are refused"
    for r in sent:
        assert_sent(r)
    for r in results[len(sent):]:
        assert_refused(r)
    assert_refused(after_reply)
    assert [r["message"] for r in outbox_to(gh)][1:] == [f"auto {i}" for i in range(len(sent))]


async def test_default_mode_approved_followup_still_holds_first_contact(gh: Gatehouse) -> None:
    configure(gh, default_mode="approved_followup")
    async with gh.session() as mcp:
        await first_contact(gh, mcp)  # held although the mode lets followups through
        res = await mcp.send(PROVIDER, "followup without any reply")
    assert_sent(res)
    assert [r["message"] for r in outbox_to(gh)][1:] == ["followup without any reply"]
    assert len(events(gh, "held")) == 1


# =========================================================================== 5. pause, resume, revoke


async def test_pause_resume_revoke(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)

        async def chats(action: str) -> None:
            before = len(events(gh, "chat"))
            await acli_ok(gh, "chats", action, PROVIDER_E164)
            after = len(events(gh, "chat"))
            assert after == before + 1, f"`chats {action}` should leave one audit record with event chat"

        await chats("promote")
        assert_sent(await mcp.send(PROVIDER, "promoted"))

        await chats("pause")
        paused = await mcp.send(PROVIDER, "while paused")
        assert_refused(paused)
        assert "paused" in reason_text(paused).lower(), paused
        drop(gh, "reply while paused")
        assert (await ingest(gh))["delivered"] == 1
        [during_pause] = with_text(await inbox(mcp), "reply while paused")
        assert during_pause["chat_kind"] == "service", during_pause

        await chats("resume")
        assert_sent(await mcp.send(PROVIDER, "resumed"))  # it had been promoted

        await chats("revoke")
        revoked = await mcp.send(PROVIDER, "after revoke")
        assert_refused(revoked)
        drop(gh, "reply after revoke")
        summary = await ingest(gh)
        assert summary["delivered"] == 0 and summary["dropped"] == 1, summary
        records = await inbox(mcp)

    assert with_text(records, "reply after revoke") == [], records
    assert [r["message"] for r in outbox_to(gh)] == ["Hello, I'd like to book a repair", "promoted", "resumed"]
    dropped = [r for r in events(gh, "inbound") if r.get("status") == "dropped"]
    assert "inbound.service_revoked" in json.dumps(dropped[-1]), dropped[-1]
    assert_verifies(gh)


async def test_resume_of_unpromoted_chat_returns_to_drafts(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        await acli_ok(gh, "chats", "pause", PROVIDER_E164)
        assert_refused(await mcp.send(PROVIDER, "while paused"))
        await acli_ok(gh, "chats", "resume", PROVIDER_E164)
        res = await mcp.send(PROVIDER, "after resume")
    assert_held(res)
    assert len(outbox_to(gh)) == 1


# =========================================================================== 6. daily budget, two processes


@pytest.mark.parametrize("engine", ENGINES)
async def test_daily_new_chat_budget_across_two_processes(
    engine: str, gh: Gatehouse, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """sqlite: two servers on one state dir. postgres: two servers, each with its own state dir
    (holding the first one's keys), sharing one database."""
    budget = 2
    settings: dict[str, Any] = dict(
        approved_chats=[],
        approved_patterns=["+34900*"],
        allow_agent_initiated_service_chats=True,
        max_new_service_chats_per_day=budget,
    )
    store = engine_store(engine, request)
    other = gh if engine == "sqlite" else Gatehouse(gh.binary, tmp_path / "instance-2")
    for g in {id(gh): gh, id(other): other}.values():
        cfg = service_config(g, **settings)
        if store is not None:
            cfg["store"] = store
        g.write_config(cfg)
    numbers = [[f"+34 900 10{p}{i:03d}" for i in range(3)] for p in range(2)]
    results: list[tuple[str, ToolResult]] = []
    async with gh.session() as first:
        if other is not gh:
            share_keys(gh, [other])
        async with AsyncExitStack() as stack:
            second = await stack.enter_async_context(other.session())
            sessions = [first, second]
            go = anyio.Event()

            async def one(p: int, number: str) -> None:
                await go.wait()
                res = await sessions[p].send(number, "Hello, do you repair boilers?")
                results.append((number, res))

            async with anyio.create_task_group() as tg:
                for p in range(2):
                    for number in numbers[p]:
                        tg.start_soon(one, p, number)
                await anyio.sleep(0.1)
                go.set()

    assert len(results) == 6
    held = [(n, r) for n, r in results if r.sc.get("status") == "needs_approval"]
    refused = [(n, r) for n, r in results if r.sc.get("status") != "needs_approval"]
    assert len(held) == budget, results
    ids = {assert_held(r) for _, r in held}
    assert len(ids) == budget
    for _, r in refused:
        assert_refused(r)
        assert DAILY_BUDGET.search(reason_text(r)), f"the refusal should name the daily budget: {r!r}"
    assert gh.outbox_json() == []
    entries, out = listed_approvals(gh)
    assert len(entries) == budget and all(i in out for i in ids), out
    assert len(events(gh, "held")) == budget
    assert_verifies(gh)


# =========================================================================== 7. reject, approve twice


async def test_reject_sends_nothing_and_cannot_be_approved(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        aid = assert_held(await mcp.send(PROVIDER, "Hello, I'd like to book a repair"))
    cli_ok(gh, "approvals", "reject", aid, "--note", "not this provider")
    assert gh.outbox_json() == []
    late = gh.cli("approvals", "approve", aid)
    assert late.returncode != 0, f"approving a rejected draft must fail:\n{late.stdout}\n{late.stderr}"
    assert gh.outbox_json() == []
    records = export(gh)
    assert [r["status"] for r in records if r["event"] == "approval"] == ["rejected"], records
    assert [r for r in records if r["event"] in ("attempt", "outcome")] == []
    assert_verifies(gh)


async def test_approving_twice_sends_once(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        aid = assert_held(await mcp.send(PROVIDER, "Hello, I'd like to book a repair"))
    cli_ok(gh, "approvals", "approve", aid)
    gh.cli("approvals", "approve", aid)
    assert len(gh.outbox_json()) == 1
    records = export(gh)
    assert [r["status"] for r in records if r["event"] == "outcome"] == ["sent"], records
    assert len([r for r in records if r["event"] == "attempt"]) == 1
    assert_verifies(gh)


async def test_approval_rechecks_the_gate(gh: Gatehouse) -> None:
    # "approving it runs every check again": a draft whose chat was revoked meanwhile is not sent.
    configure(gh)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        aid = assert_held(await mcp.send(PROVIDER, "second draft"))
    cli_ok(gh, "chats", "revoke", PROVIDER_E164)
    gh.cli("approvals", "approve", aid)
    assert [r["message"] for r in outbox_to(gh)] == ["Hello, I'd like to book a repair"]
    assert [r["status"] for r in events(gh, "outcome")] == ["sent"]
    assert_verifies(gh)


# =========================================================================== 8. media


@pytest.mark.parametrize("allow_media", [False, True])
async def test_files_to_service_chat_need_allow_media(gh: Gatehouse, allow_media: bool) -> None:
    configure(gh, allow_media=allow_media)
    pdf = gh.files_root / "photo-of-boiler.pdf"
    pdf.write_bytes(SMALL_PDF)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        await acli_ok(gh, "chats", "promote", PROVIDER_E164)
        text_ok = await mcp.send(PROVIDER, "Sending a photo")
        res = await mcp.send_file(PROVIDER, pdf, caption="the boiler")
        alice = await mcp.send_file("Alice", pdf, caption="for comparison")
    assert_sent(text_ok)
    assert_sent(alice), "allow_media concerns service chats only"
    files = [r for r in outbox_to(gh) if r["kind"] == "file"]
    if allow_media:
        assert_sent(res)
        assert len(files) == 1 and files[0]["caption"] == "the boiler", files
    else:
        assert_refused(res)
        assert files == []


async def test_file_as_first_contact_without_allow_media_is_refused_not_held(gh: Gatehouse) -> None:
    configure(gh, allow_media=False)
    pdf = gh.files_root / "photo-of-boiler.pdf"
    pdf.write_bytes(SMALL_PDF)
    async with gh.session() as mcp:
        res = await mcp.send_file(PROVIDER, pdf, caption="the boiler")
    assert_refused(res)
    assert gh.outbox_json() == []
    entries, out = listed_approvals(gh)
    assert entries == [], out


# =========================================================================== 9. no operator commands


async def test_service_replies_are_never_commands(gh: Gatehouse) -> None:
    configure(gh)
    async with gh.session() as mcp:
        await first_contact(gh, mcp)
        drop(gh, "/stop sending")
        drop(gh, "!approve all")
        assert (await ingest(gh))["delivered"] == 2
        records = await inbox(mcp)
    assert sorted(r["text"] for r in records) == ["!approve all", "/stop sending"], records
    for r in records:
        assert r["chat_kind"] == "service", r
        assert r["is_command"] is False, r
