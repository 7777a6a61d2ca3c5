"""Preview → confirmation token → send, over the outbox transport (interface.md "MCP tools", "Outbox transport")."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import anyio
import pytest

from harness import (
    ALICE_JID,
    Gatehouse,
    assert_needs_confirmation_preview,
    assert_sent,
)

pytestmark = pytest.mark.anyio

BODY = "Running 10 min late, start without me"
TOKEN_FAIL = "confirmation token invalid or expired"
OUTBOX_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{3})-(.+)\.json$")
ISO_MS_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def assert_token_refused(res) -> None:
    assert res.is_error, res
    assert res.sc["sent"] is False, res
    assert res.sc["status"] in ("blocked", "needs_confirmation"), res
    assert "confirmation.invalid" in res.codes, res
    assert TOKEN_FAIL in res.dump(), res


@pytest.fixture
def confirm_gh(gh: Gatehouse) -> Gatehouse:
    gh.write_config(require_confirm_for=["messages"])
    return gh


async def test_preview_needs_confirmation_with_token(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        res = await mcp.preview("Alice", BODY)
    assert_needs_confirmation_preview(res)
    assert res.sc["blocked_reason"] is None, res
    assert res.sc["recipient"]["name"] == "Alice" and res.sc["recipient"]["allowlisted"] is True
    assert isinstance(res.sc["decision_id"], str) and res.sc["decision_id"]
    assert confirm_gh.outbox_json() == [], "a preview must not send"


async def test_send_without_token_refused(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", BODY))
        res = await mcp.send("Alice", BODY)
        audit = await mcp.audit_tail()
    assert res.is_error, res
    assert res.sc["status"] == "needs_confirmation" and res.sc["sent"] is False, res
    assert res.sc["needs_confirm"] is True, res
    assert "confirmation.required" in res.codes, res
    assert "wa_preview" in res.dump(), "the refusal should tell the agent to call wa_preview"
    assert res.sc.get("confirm_token") is None, "a send result never carries a token"
    assert token not in res.dump()
    assert confirm_gh.outbox_json() == []
    blocked = [r for r in audit.sc["records"] if r["decision_id"] == res.sc["decision_id"]]
    assert blocked and all(r["event"] == "blocked" for r in blocked), audit
    assert blocked[-1]["status"] == "needs_confirmation", blocked


async def test_send_with_token_delivered_to_outbox(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        res = await mcp.confirmed_send("Alice", BODY)
        audit = await mcp.audit_tail()
    assert_sent(res)
    assert res.sc["transport"] == "outbox", res
    assert isinstance(res.sc["audit_seq"], int), res
    [(path, rec)] = confirm_gh.outbox_json()
    m = OUTBOX_NAME.match(path.name)
    assert m, f"outbox file name {path.name!r} is not <yyyyMMddTHHmmss.SSS>-<id>.json"
    assert rec["schema"] == "gatehouse.outbox.v1"
    assert rec["id"] == m.group(2)
    assert rec["recipient"] == ALICE_JID
    assert rec["recipient_kind"] == "phone"
    assert rec["kind"] == "text"
    assert rec["message"] == BODY
    assert ISO_MS_Z.match(rec["created_at"]), rec["created_at"]
    name_time = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S.%f").replace(tzinfo=timezone.utc)
    created = datetime.strptime(rec["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert abs((name_time - created).total_seconds()) < 2, (path.name, rec["created_at"])
    assert abs((datetime.now(timezone.utc) - created).total_seconds()) < 120, "created_at is not UTC now"
    assert rec["decision_id"] == res.sc["decision_id"]
    assert [p for p in confirm_gh.outbox_dir.iterdir() if p.name.startswith(".")] == [], "temp files left behind"
    # the audit has an attempt before an outcome `sent` for this decision
    mine = sorted((r for r in audit.sc["records"] if r["decision_id"] == res.sc["decision_id"]), key=lambda r: r["seq"])
    assert [r["event"] for r in mine] == ["attempt", "outcome"], mine
    assert mine[-1]["status"] == "sent"
    # the outbox file is written between the two records, so it names the attempt
    assert rec["audit_seq"] == mine[0]["seq"], (rec["audit_seq"], mine)
    assert res.sc["audit_seq"] in {r["seq"] for r in mine}, (res.sc["audit_seq"], mine)


async def test_token_replay_is_answered_not_resent(confirm_gh: Gatehouse) -> None:
    # A spent token doubles as an idempotency key: repeating the exact call answers with the first
    # outcome (replayed) and never sends again; it cannot carry a different send.
    async with confirm_gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", BODY))
        first = await mcp.send("Alice", BODY, token)
        assert_sent(first)
        again = await mcp.send("Alice", BODY, token)
        other = await mcp.send("Alice", BODY + " (and more)", token)
    assert again.sc["sent"] is True and again.sc["replayed"] is True, again
    assert again.sc["attempt_seq"] == first.sc["attempt_seq"], (again, first)
    assert other.is_error and other.sc["reasons"][0]["code"] == "request.idempotency_conflict", other
    assert len(confirm_gh.outbox_json()) == 1


async def test_token_replay_is_answered_not_resent_across_restart(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", BODY))
        assert_sent(await mcp.send("Alice", BODY, token))
    async with confirm_gh.session() as mcp:
        again = await mcp.send("Alice", BODY, token)
    assert again.sc["replayed"] is True and again.sc["status"] == "sent", again
    assert len(confirm_gh.outbox_json()) == 1


async def test_token_with_changed_body_refused(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", BODY))
        changed = await mcp.send("Alice", BODY + " (and bring the keys)", token)
        other_recipient = await mcp.send("Bob", BODY, token)
    assert_token_refused(changed)
    assert_token_refused(other_recipient)
    assert confirm_gh.outbox_json() == []


async def test_token_after_expiry_refused(gh: Gatehouse) -> None:
    gh.write_config(require_confirm_for=["messages"], confirm_token_ttl_seconds=1)
    async with gh.session() as mcp:
        token = assert_needs_confirmation_preview(await mcp.preview("Alice", BODY))
        await anyio.sleep(2)
        late = await mcp.send("Alice", BODY, token)
    assert_token_refused(late)
    assert gh.outbox_json() == []


async def test_garbage_token_refused(confirm_gh: Gatehouse) -> None:
    async with confirm_gh.session() as mcp:
        res = await mcp.send("Alice", BODY, "not-a-real-token")
    assert_token_refused(res)
    assert confirm_gh.outbox_json() == []
