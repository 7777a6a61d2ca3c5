"""Config edits are picked up by a running `gatehouse serve` without a restart."""

from __future__ import annotations

import anyio
import pytest

from harness import (
    CAROL_JID,
    CAROL_PHONE,
    DEFAULT_RECIPIENTS,
    Gatehouse,
    assert_blocked,
    assert_sent,
    to_yaml,
)

pytestmark = pytest.mark.anyio

# A person edits a file, then the agent calls: allow a short moment between the two.
SETTLE = 0.3


async def test_added_recipient_seen_by_next_call(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        before = await mcp.send(CAROL_PHONE, "hi Carol")
        assert_blocked(before, "recipient.not_allowlisted")

        # an in-place edit (as `echo >>` or most editors' "save" do)
        recipients = DEFAULT_RECIPIENTS + [{"name": "Carol", "jid": CAROL_PHONE, "note": "new"}]
        gh.write_config(recipients=recipients)
        await anyio.sleep(SETTLE)
        listing = await mcp.recipients()
        assert "Carol" in {r["name"] for r in listing.sc["recipients"]}, listing
        by_name = await mcp.send("carol", "hi Carol")
        assert_sent(by_name)

        # an atomic replace (write a temp file, rename over): drop Carol again
        gh.write_config(atomic=True)
        await anyio.sleep(SETTLE)
        gone = await mcp.send(CAROL_PHONE, "hi again")
        assert_blocked(gone, "recipient.not_allowlisted")
    assert [r["recipient"] for _, r in gh.outbox_json()] == [CAROL_JID]


async def test_broken_config_refuses_next_send_then_recovers(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        assert_sent(await mcp.send("Alice", "one"))

        broken = to_yaml(gh.base_config()).replace("allow_unlisted: false", 'allow_unlisted: "false"') + "\n"
        gh.write_config(broken, atomic=True)
        await anyio.sleep(SETTLE)
        refused = await mcp.send("Alice", "two")
        assert_blocked(refused, "config.invalid")
        listing = await mcp.recipients()
        assert listing.sc["config_valid"] is False and "allow_unlisted" in (listing.sc["config_error"] or ""), listing

        # a YAML syntax error is refused the same way (the last good config is NOT silently kept)
        gh.write_config("transport: outbox\nrecipients: [\n")
        await anyio.sleep(SETTLE)
        assert_blocked(await mcp.send("Alice", "three"), "config.invalid")

        gh.write_config()
        await anyio.sleep(SETTLE)
        assert_sent(await mcp.send("Alice", "four"))
    assert sorted(r["message"] for _, r in gh.outbox_json()) == ["four", "one"]
