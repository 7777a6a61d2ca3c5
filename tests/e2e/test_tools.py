"""tools/list and wa_list_recipients (interface.md "MCP tools")."""

from __future__ import annotations

import json

import pytest

from harness import (
    ALICE_DIGITS,
    ALICE_PHONE,
    BOB_DIGITS,
    BOB_PHONE,
    TOOLS,
    Gatehouse,
)

pytestmark = pytest.mark.anyio

READ_ONLY = {"wa_list_recipients", "wa_preview", "wa_audit_tail", "wa_inbox", "wa_list_chats"}
SENDS = {"wa_send_message", "wa_send_file"}


async def test_tools_list_has_the_tools_with_schemas_and_annotations(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        tools = {t.name: t for t in await mcp.list_tools()}
    assert set(tools) == TOOLS
    for name, tool in tools.items():
        assert tool.description, f"{name} has no description"
        schema = tool.output_schema
        assert isinstance(schema, dict) and schema.get("type") == "object", f"{name}: outputSchema {schema!r}"
        assert schema.get("properties"), f"{name}: outputSchema has no properties"
        assert tool.input_schema.get("type") == "object", f"{name}: inputSchema {tool.input_schema!r}"
        ann = tool.annotations
        assert ann is not None, f"{name} has no annotations"
        if name in READ_ONLY:
            assert ann.read_only_hint is True, f"{name}: readOnlyHint {ann.read_only_hint!r}"
        else:
            assert ann.read_only_hint is not True, f"{name} must not claim readOnlyHint"
            assert ann.destructive_hint is True, f"{name}: destructiveHint {ann.destructive_hint!r}"
            assert ann.open_world_hint is True, f"{name}: openWorldHint {ann.open_world_hint!r}"

    def required(name: str) -> set[str]:
        return set(tools[name].input_schema.get("required") or [])

    def props(name: str) -> set[str]:
        return set((tools[name].input_schema.get("properties") or {}).keys())

    assert required("wa_send_message") >= {"recipient", "message"}
    assert props("wa_send_message") >= {"recipient", "message", "confirm_token"}
    assert required("wa_send_file") >= {"recipient", "file_path"}
    assert props("wa_send_file") >= {"recipient", "file_path", "caption", "confirm_token"}
    assert required("wa_preview") >= {"recipient"}
    assert props("wa_preview") >= {"recipient", "message", "file_path", "caption"}
    assert "confirm_token" not in props("wa_preview")
    assert props("wa_audit_tail") >= {"limit"}
    # the send result schema names the documented fields
    send_props = set(tools["wa_send_message"].output_schema["properties"])
    assert send_props >= {"sent", "status", "decision_id", "reasons", "transport", "audit_seq"}
    preview_props = set(tools["wa_preview"].output_schema["properties"])
    assert preview_props >= {"ok", "decision", "confirm_token", "confirm_expires_at", "reasons"}


async def test_list_recipients_masks_numbers(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        res = await mcp.recipients()
    assert not res.is_error, res
    sc = res.sc
    assert sc["config_valid"] is True and sc["config_error"] is None, res
    assert sc["allow_unlisted"] is False
    assert sc["require_confirm_for"] == []
    by_name = {r["name"]: r for r in sc["recipients"]}
    assert set(by_name) == {"Alice", "Bob", "Family"}
    assert by_name["Alice"]["kind"] == "phone"
    assert by_name["Family"]["kind"] == "group"
    assert by_name["Alice"]["note"] == "colleague"
    assert by_name["Alice"]["jid_masked"] and by_name["Alice"]["jid_masked"] != by_name["Bob"]["jid_masked"]
    everything = res.dump()
    for full in (ALICE_DIGITS, BOB_DIGITS, ALICE_PHONE, BOB_PHONE, "7700900123", "7700 900123", "7700900456"):
        assert full not in everything, f"full number {full!r} visible in wa_list_recipients: {everything}"


async def test_full_number_absent_from_preview_send_and_audit(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        preview = await mcp.preview("Alice", "Running 10 min late")
        sent = await mcp.send("Alice", "Running 10 min late")
        audit = await mcp.audit_tail()
    assert not preview.is_error and preview.sc["decision"] == "allow", preview
    assert preview.sc["recipient"]["name"] == "Alice" and preview.sc["recipient"]["allowlisted"] is True
    for res in (preview, sent, audit):
        dump = res.dump()
        assert ALICE_DIGITS not in dump and "7700900123" not in dump, f"{res.tool} shows the full number: {dump}"
    assert audit.sc["records"], audit
    rec = max(audit.sc["records"], key=lambda r: r["seq"])
    assert rec["recipient_masked"] and rec["recipient_hash"], json.dumps(rec)
