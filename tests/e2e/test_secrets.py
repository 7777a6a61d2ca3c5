"""A secret in a message is refused and never stored (content.secret)."""

from __future__ import annotations

import pytest

from harness import Gatehouse, assert_blocked, fake_aws_key_id

pytestmark = pytest.mark.anyio


async def test_aws_key_refused_and_absent_from_audit_and_store(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    middle = key[4:16]  # what a mask that keeps a prefix and the last 4 characters must not show
    message = f"here are the creds for the deploy: {key} thanks"
    async with gh.session() as mcp:
        preview = await mcp.preview("Alice", message)
        send = await mcp.send("Alice", message)
        audit = await mcp.audit_tail(limit=200)
    for res in (preview, send):
        assert_blocked(res, "content.secret")
        findings = res.sc["secret_findings"]
        assert findings, res
        assert all(f.get("kind") and f.get("masked") for f in findings), findings
        assert key not in res.dump() and middle not in res.dump(), f"{res.tool} echoes the key"
    assert gh.outbox_json() == []

    # the refusal is audited, without the key
    mine = [r for r in audit.sc["records"] if r["decision_id"] == send.sc["decision_id"]]
    assert mine and mine[-1]["event"] == "blocked", audit
    assert "content.secret" in str(mine[-1]["reasons"])
    assert key not in audit.dump() and middle not in audit.dump(), "wa_audit_tail shows the key"

    # ... nor in `gatehouse audit export` (stdout and --output)
    exported = gh.cli("audit", "export")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip(), "audit export printed nothing"
    assert key not in exported.stdout and middle not in exported.stdout
    out_file = gh.root / "export.jsonl"
    exported = gh.cli("audit", "export", "--output", str(out_file))
    assert exported.returncode == 0, exported.stderr
    data = out_file.read_bytes()
    assert data.strip() and key.encode() not in data and middle.encode() not in data

    # ... nor anywhere in the state dir (sqlite, -wal, -shm, keys, spool)
    files = list(gh.state_bytes())
    assert any(p.name == "gatehouse.sqlite" for p, _ in files), [str(p) for p, _ in files]
    for path, data in files:
        for needle in (key, middle):
            assert needle.encode() not in data, f"{needle} found in {path}"
            assert needle.encode("utf-16-le") not in data, f"{needle} (UTF-16) found in {path}"


async def test_secret_in_file_caption_refused(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    note = gh.files_root / "notes.txt"
    note.write_text("nothing to see\n")
    async with gh.session() as mcp:
        res = await mcp.send_file("Alice", note, caption=f"key {key}")
    assert_blocked(res, "content.secret")
    assert key not in res.dump()
    assert gh.outbox_json() == []
