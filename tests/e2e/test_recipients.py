"""Recipient allow-listing and name matching."""

from __future__ import annotations

import pytest

from harness import (
    ALICE_DIGITS,
    ALICE_JID,
    FAMILY_GROUP,
    UNLISTED_PHONE,
    Gatehouse,
    assert_blocked,
    assert_needs_confirmation_preview,
    assert_sent,
)

pytestmark = pytest.mark.anyio


async def test_unlisted_number_refused(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        preview = await mcp.preview(UNLISTED_PHONE, "hello")
        send = await mcp.send(UNLISTED_PHONE, "hello")
        audit = await mcp.audit_tail()
    assert_blocked(preview, "recipient.not_allowlisted")
    assert_blocked(send, "recipient.not_allowlisted")
    assert send.sc["recipient"]["allowlisted"] is False, send
    assert send.sc["blocked_reason"], send
    assert "447700900999" not in send.dump(), "the refusal must not echo the full number"
    assert gh.outbox_json() == []
    mine = [r for r in audit.sc["records"] if r["decision_id"] == send.sc["decision_id"]]
    assert [(r["event"], r["status"]) for r in mine] == [("blocked", "blocked")], mine
    assert "recipient.not_allowlisted" in str(mine[0]["reasons"])


async def test_name_matches_exactly_and_case_insensitively(gh: Gatehouse) -> None:
    names = ["Alice", "alice", "ALICE", "aLiCe"]
    async with gh.session() as mcp:
        results = [await mcp.send(n, f"hi {i}") for i, n in enumerate(names)]
    for res in results:
        assert_sent(res)
        assert res.sc["recipient"]["name"] == "Alice", res
    recs = [r for _, r in gh.outbox_json()]
    assert len(recs) == len(names)
    assert {r["recipient"] for r in recs} == {ALICE_JID}


@pytest.mark.parametrize("almost", ["Ali", "lice", "Alic", "Alice Smith", "Al ice", "Bo", "Fam"])
async def test_name_never_matched_by_substring(gh: Gatehouse, almost: str) -> None:
    async with gh.session() as mcp:
        res = await mcp.send(almost, "hello")
    assert_blocked(res, prefix="recipient.")
    assert gh.outbox_json() == []


async def test_phone_and_jid_forms_match_the_listed_entry(gh: Gatehouse) -> None:
    forms = ["+447700900123", "+44 7700 900123", "+44-7700-900-123", ALICE_JID, f"{ALICE_DIGITS}@c.us"]
    async with gh.session() as mcp:
        results = [await mcp.send(f, f"form {i}") for i, f in enumerate(forms)]
        group = await mcp.send("Family", "dinner at 7")
    for res in results:
        assert_sent(res)
    assert_sent(group)
    recs = {r["message"]: r for _, r in gh.outbox_json()}
    assert {recs[f"form {i}"]["recipient"] for i in range(len(forms))} == {ALICE_JID}
    assert recs["dinner at 7"]["recipient"] == FAMILY_GROUP
    assert recs["dinner at 7"]["recipient_kind"] == "group"


async def test_invalid_recipient_refused(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        results = [await mcp.send(r, "hello") for r in ("+44 7700 900123 7777 8888", "x@whatever", "status@broadcast")]
    for res in results:
        assert_blocked(res, prefix="recipient.")
    assert gh.outbox_json() == []


async def test_allow_unlisted_requires_confirmation(gh: Gatehouse) -> None:
    gh.write_config(allow_unlisted=True, require_confirm_for=["unlisted"])
    async with gh.session() as mcp:
        listed = await mcp.send("Alice", "hello")
        unconfirmed = await mcp.send(UNLISTED_PHONE, "hello")
        preview = await mcp.preview(UNLISTED_PHONE, "hello")
        token = assert_needs_confirmation_preview(preview)
        confirmed = await mcp.send(UNLISTED_PHONE, "hello", token)
    assert_sent(listed)
    assert unconfirmed.is_error and unconfirmed.sc["status"] == "needs_confirmation", unconfirmed
    assert preview.sc["recipient"]["allowlisted"] is False
    assert_sent(confirmed)
    assert sorted(r["recipient"] for _, r in gh.outbox_json()) == sorted([ALICE_JID, "447700900999@s.whatsapp.net"])
