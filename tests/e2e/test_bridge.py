"""The bridge transport against the fake whatsmeow bridge (interface.md "Bridge transport", CONTRACTS.md §1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_bridge import FakeBridge
from harness import (
    ALICE_JID,
    SMALL_PDF,
    Gatehouse,
    assert_needs_confirmation_preview,
    assert_sent,
)

pytestmark = pytest.mark.anyio

BODY = "Table booked for 8pm"


@pytest.fixture
def bridge_gh(gh: Gatehouse, bridge: FakeBridge) -> Gatehouse:
    gh.write_config(transport="bridge", bridge_url=bridge.url, require_confirm_for=["messages", "files"])
    return gh


def decision_records(audit, decision_id: str) -> list[dict]:
    return sorted((r for r in audit.sc["records"] if r["decision_id"] == decision_id), key=lambda r: r["seq"])


async def test_bridge_receives_exactly_one_post(bridge_gh: Gatehouse, bridge: FakeBridge) -> None:
    async with bridge_gh.session() as mcp:
        preview = await mcp.preview("Alice", BODY)
        assert_needs_confirmation_preview(preview)
        assert bridge.requests == [], "a preview must not call the bridge"
        res = await mcp.send("Alice", BODY, preview.sc["confirm_token"])
        audit = await mcp.audit_tail()
    assert_sent(res)
    assert res.sc["transport"] == "bridge", res
    assert "Message sent to" in (res.sc["transport_message"] or ""), res
    sends = bridge.sends()
    assert len(sends) == 1, [(r.method, r.path, r.body) for r in bridge.requests]
    [req] = sends
    assert req.status == 200
    assert req.path == "/api/send"
    assert "application/json" in (req.headers.get("Content-Type") or req.headers.get("content-type") or "")
    body = req.json_body
    assert isinstance(body, dict), req.body
    assert set(body) <= {"recipient", "message", "media_path"}, body
    assert body["recipient"] == ALICE_JID
    assert body["message"] == BODY
    assert body.get("media_path") in (None, ""), body
    assert bridge_gh.outbox_json() == [], "the bridge transport must not also write the outbox"
    mine = decision_records(audit, res.sc["decision_id"])
    assert [r["event"] for r in mine] == ["attempt", "outcome"], mine
    assert mine[-1]["status"] == "sent"


async def test_bridge_not_connected_gives_failed(bridge_gh: Gatehouse, bridge: FakeBridge) -> None:
    bridge.connected = False
    async with bridge_gh.session() as mcp:
        res = await mcp.confirmed_send("Alice", BODY)
        audit = await mcp.audit_tail()
    assert res.is_error, res
    assert res.sc["sent"] is False and res.sc["status"] == "failed", res
    assert "transport.failed" in res.codes, res
    shown = (res.sc.get("transport_message") or "") + " " + (res.sc.get("blocked_reason") or "")
    assert "Not connected to WhatsApp" in shown, res
    assert len(bridge.sends()) >= 1
    assert all(r.status == 500 for r in bridge.sends())
    mine = decision_records(audit, res.sc["decision_id"])
    assert [r["event"] for r in mine][:1] == ["attempt"], mine
    assert mine[-1]["event"] == "outcome" and mine[-1]["status"] == "failed", mine


async def test_bridge_file_send_posts_spool_copy(bridge_gh: Gatehouse, bridge: FakeBridge) -> None:
    pdf = bridge_gh.files_root / "report.pdf"
    pdf.write_bytes(SMALL_PDF)
    async with bridge_gh.session() as mcp:
        preview = await mcp.preview("Alice", file_path=str(pdf), caption="Q3 report")
        token = assert_needs_confirmation_preview(preview)
        res = await mcp.send_file("Alice", pdf, caption="Q3 report", token=token)
    assert_sent(res)
    [req] = bridge.sends()
    body = req.json_body
    assert body["recipient"] == ALICE_JID
    assert body["message"] == "Q3 report"
    media = Path(body["media_path"])
    assert media.is_absolute(), body
    assert media.resolve() != pdf.resolve(), "the bridge must get a spool copy, not the agent's path"
    assert media.resolve().is_relative_to((bridge_gh.state_dir / "spool").resolve()), body
    assert media.suffix == ".pdf", "the bridge picks the media type from the extension"
    assert req.media_bytes == SMALL_PDF, "the spool copy must exist with the same bytes when the bridge reads it"
