"""The audit chain: wa_audit_tail, `gatehouse audit export`, and tamper detection by `gatehouse audit verify`."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest

from harness import Gatehouse, assert_sent

pytestmark = pytest.mark.anyio

BODIES = [
    "Meeting moved to room four",
    "Lunch is booked for noon",
    "Please bring the blue folder",
    "Train delayed by twenty minutes",
    "See you at the station",
]


async def make_history(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        for i, body in enumerate(BODIES):
            assert_sent(await mcp.send("Alice" if i % 2 == 0 else "Bob", body))


def rows(gh: Gatehouse) -> list[tuple[int, str, str]]:
    with closing(sqlite3.connect(gh.db_path)) as db:
        return list(db.execute("SELECT seq, record, hash FROM audit_log ORDER BY seq"))


def db_write(gh: Gatehouse, sql: str, params: tuple) -> None:
    """Edit the audit table behind Gatehouse's back (the server is not running)."""
    with closing(sqlite3.connect(gh.db_path)) as db:
        assert db.execute(sql, params).rowcount == 1
        db.commit()


def verify(gh: Gatehouse) -> tuple[int, str]:
    r = gh.cli("audit", "verify")
    return r.returncode, r.stdout + r.stderr


async def test_audit_tail_records_chain(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        sent = [await mcp.send("Alice", b) for b in BODIES[:3]]
        tail = await mcp.audit_tail(limit=200)
        small = await mcp.audit_tail(limit=2)
        too_big = await mcp.audit_tail(limit=201)
        zero = await mcp.audit_tail(limit=0)
    for s in sent:
        assert_sent(s)
    records = sorted(tail.sc["records"], key=lambda r: r["seq"])
    assert [r["event"] for r in records] == ["attempt", "outcome"] * 3, records
    assert [r["status"] for r in records if r["event"] == "outcome"] == ["sent"] * 3
    for prev, cur in zip(records, records[1:]):
        assert cur["seq"] == prev["seq"] + 1
        assert cur["prev_hash"] == prev["hash"], (prev, cur)
    for r in records:
        assert r["tool"] == "wa_send_message"
        assert r["body_length"] in {len(b) for b in BODIES[:3]}
        assert re.fullmatch(r"[0-9a-f]{64}", r["body_sha256"] or ""), r
    assert len(small.sc["records"]) == 2
    assert {r["seq"] for r in small.sc["records"]} == {records[-1]["seq"], records[-2]["seq"]}, "tail = the newest"
    assert too_big.is_error and zero.is_error, (too_big, zero)


async def test_audit_export_is_ascii_jsonl(gh: Gatehouse) -> None:
    async with gh.session() as mcp:
        assert_sent(await mcp.send("Alice", "Caf\u00e9 at 5? \u2615 \U0001f600"))
    r = gh.cli("audit", "export")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == len(rows(gh)) == 2
    assert r.stdout.isascii(), "export must be ASCII-only"
    recs = [json.loads(l) for l in lines]
    assert [x["event"] for x in recs] == ["attempt", "outcome"]


async def test_verify_ok_then_edited_record_caught(gh: Gatehouse) -> None:
    await make_history(gh)
    code, out = verify(gh)
    table = rows(gh)
    assert code == 0, out
    m = re.search(r"audit verify: OK, (\d+) records", out)
    assert m and int(m.group(1)) == len(table) >= 2 * len(BODIES), out

    # pick a middle record whose redacted preview carries body text, and change one byte of it
    candidates = []
    for seq, record, _ in table:
        preview = json.loads(record).get("body_preview")
        if isinstance(preview, str) and re.search(r"[a-z]", preview):
            candidates.append((seq, record, preview))
    assert len(candidates) >= 3, "expected body previews in the audit records"
    seq, record, preview = candidates[len(candidates) // 2]
    encoded = json.dumps(preview, ensure_ascii=False)[1:-1]
    at = record.index(encoded)
    letter = at + re.search(r"[a-z]", encoded).start()
    swapped = "x" if record[letter] != "x" else "y"
    tampered = record[:letter] + swapped + record[letter + 1 :]
    assert json.loads(tampered)["body_preview"] != preview and len(tampered) == len(record)
    db_write(gh, "UPDATE audit_log SET record = ? WHERE seq = ?", (tampered, seq))
    code, out = verify(gh)
    assert code == 1, out
    assert re.search(rf"FAILED at record {seq}\b", out), f"verify should name record {seq}:\n{out}"


async def test_deleted_last_record_caught(gh: Gatehouse) -> None:
    await make_history(gh)
    assert verify(gh)[0] == 0
    last = rows(gh)[-1][0]
    db_write(gh, "DELETE FROM audit_log WHERE seq = ?", (last,))
    code, out = verify(gh)
    assert code == 1, f"truncation (last record {last} deleted) not caught:\n{out}"
    assert "FAILED" in out, out


async def test_deleted_middle_record_caught(gh: Gatehouse) -> None:
    await make_history(gh)
    table = rows(gh)
    middle = table[len(table) // 2][0]
    db_write(gh, "DELETE FROM audit_log WHERE seq = ?", (middle,))
    code, out = verify(gh)
    assert code == 1, out
    assert "FAILED" in out, out
