"""`gatehouse audit prune --before DATE [--output FILE]`: drop a prefix of the audit under a signed
checkpoint, which `audit verify` then starts from.

Records only get their time from the server's clock, so "everything so far" is pruned with a date in
the future (tomorrow), and a date in the past prunes nothing."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone

import anyio
import pytest

from harness import Gatehouse, assert_sent
from store_support import StallingBridge, assert_verifies, cli_ok, export, pending, resolve, send_args, served, verify

pytestmark = pytest.mark.anyio

TOMORROW = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d")


async def send(gh: Gatehouse, *bodies: str) -> None:
    async with gh.session() as mcp:
        for body in bodies:
            assert_sent(await mcp.send("Alice", body))


def prune(gh: Gatehouse, before: str, *extra: str) -> str:
    r = gh.cli("audit", "prune", "--before", before, *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def db(gh: Gatehouse, sql: str, *params: object) -> list[tuple]:
    with closing(sqlite3.connect(gh.db_path)) as conn:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows


async def cutoff() -> str:
    """An ISO 8601 time strictly between the records written before and after this call."""
    await anyio.sleep(0.3)
    text = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    await anyio.sleep(0.3)
    return text


async def test_prune_everything_so_far_then_keep_going(gh: Gatehouse) -> None:
    await send(gh, "first", "second", "third")
    before = export(gh)
    assert [r["seq"] for r in before] == [1, 2, 3, 4, 5, 6]

    kept_outside = gh.root / "pruned.json"
    out = prune(gh, TOMORROW, "--output", str(kept_outside))
    assert "dropped 6 records" in out, out
    kept = gh.state_dir / "checkpoints" / "pruned-6.json"
    assert kept.is_file() and kept_outside.is_file(), out
    assert kept.read_text() == kept_outside.read_text()
    cp = json.loads(kept.read_text())
    assert cp["format"] == "gatehouse.checkpoint.v1" and cp["seq"] == 6, cp
    assert cp["head_hash"] == before[-1]["hash"], cp
    assert db(gh, "SELECT seq, hash FROM audit_anchor") == [(6, before[-1]["hash"])]
    assert export(gh) == []
    out = assert_verifies(gh)
    assert "records 1-6 were pruned under a signed checkpoint" in out, out

    # The log goes on from the dropped head: records 7.., chained to record 6.
    await send(gh, "fourth", "fifth")
    after = export(gh)
    assert [r["seq"] for r in after] == [7, 8, 9, 10], [(r["seq"], r["prev_hash"][:12]) for r in after]
    assert after[0]["prev_hash"] == before[-1]["hash"], "the chain continues from the dropped head"
    out = assert_verifies(gh)
    assert "records 1-6 were pruned under a signed checkpoint" in out, out
    async with gh.session() as mcp:
        tail = await mcp.audit_tail(50)
    assert [r["seq"] for r in tail.sc["records"]] == [7, 8, 9, 10], tail
    code, out = verify(gh, "--checkpoint", str(kept_outside))
    assert code == 0, out

    # A second prune of everything extends the first.
    out = prune(gh, TOMORROW)
    assert "dropped 4 records" in out, out
    assert (gh.state_dir / "checkpoints" / "pruned-10.json").is_file()
    out = assert_verifies(gh)
    assert "records 1-10 were pruned" in out, out


async def test_checkpoints_around_a_prune(gh: Gatehouse) -> None:
    await send(gh, "first", "second")
    old = gh.root / "old-checkpoint.json"
    cli_ok(gh, "audit", "checkpoint", "--output", str(old))  # at record 4
    await send(gh, "third")
    when = await cutoff()
    await send(gh, "fourth")
    by_prune = gh.root / "pruned.json"
    out = prune(gh, when, "--output", str(by_prune))
    assert "dropped 6 records" in out, out
    assert [r["seq"] for r in export(gh)] == [7, 8]
    out = assert_verifies(gh)
    assert "records 1-6 were pruned under a signed checkpoint" in out, out

    # The checkpoint the prune wrote still proves the log; one older than the prune cannot.
    code, out = verify(gh, "--checkpoint", str(by_prune))
    assert code == 0, out
    code, out = verify(gh, "--checkpoint", str(old))
    assert code == 1, out
    assert "older than the prune" in out, out
    fresh = gh.root / "fresh.json"
    cli_ok(gh, "audit", "checkpoint", "--output", str(fresh))
    await send(gh, "fifth")
    code, out = verify(gh, "--checkpoint", str(fresh))
    assert code == 0 and "extends the checkpoint" in out, out


@pytest.mark.parametrize("before", ["2000-01-01", "2000-01-01T00:00:00Z", "yesterday"])
async def test_a_date_in_the_past_prunes_nothing(gh: Gatehouse, before: str) -> None:
    if before == "yesterday":
        before = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
    await send(gh, "first", "second")
    records = export(gh)
    out = prune(gh, before)
    assert "nothing to prune" in out, out
    assert export(gh) == records
    assert db(gh, "SELECT count(*) FROM audit_anchor") == [(0,)]
    assert list((gh.state_dir / "checkpoints").glob("*")) == []
    out = assert_verifies(gh)
    assert "pruned" not in out, out


async def test_prune_at_an_iso_time_drops_only_the_older_records(gh: Gatehouse) -> None:
    await send(gh, "old one", "old two")
    when = await cutoff()
    await send(gh, "new one")
    out = prune(gh, when)
    assert "dropped 4 records" in out, out
    remaining = export(gh)
    assert [(r["seq"], r["body_preview"]) for r in remaining] == [(5, "new one"), (6, "new one")]
    out = assert_verifies(gh)
    assert "records 1-4 were pruned" in out, out


async def test_bad_dates_are_refused(gh: Gatehouse) -> None:
    await send(gh, "first")
    for bad in ("tomorrow", "2026-13-45", "29/11/2026", ""):
        r = gh.cli("audit", "prune", "--before", bad)
        assert r.returncode != 0, (bad, r.stdout)
    assert len(export(gh)) == 2


async def test_prune_refuses_a_broken_log(gh: Gatehouse) -> None:
    await send(gh, "first", "second")
    db(gh, "UPDATE audit_log SET record = replace(record, 'first', 'frist') WHERE seq = 1")
    r = gh.cli("audit", "prune", "--before", TOMORROW)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "broken at record 1" in r.stdout, r.stdout
    assert db(gh, "SELECT count(*) FROM audit_log") == [(4,)]
    assert db(gh, "SELECT count(*) FROM audit_anchor") == [(0,)]
    assert list((gh.state_dir / "checkpoints").glob("*")) == []


def _edit_record(gh: Gatehouse) -> None:
    db(gh, "UPDATE audit_log SET record = replace(record, 'fourth', 'FOURTH') WHERE seq = 7")


def _drop_first_remaining(gh: Gatehouse) -> None:
    db(gh, "DELETE FROM audit_log WHERE seq = 7")


def _anchor_hash(gh: Gatehouse) -> None:
    db(gh, "UPDATE audit_anchor SET hash = ?", "0" * 64)


def _anchor_seq(gh: Gatehouse) -> None:
    db(gh, "UPDATE audit_anchor SET seq = 5")


def _anchor_checkpoint_garbled(gh: Gatehouse) -> None:
    (cp,) = db(gh, "SELECT checkpoint FROM audit_anchor")[0]
    doc = json.loads(cp)
    doc["signature"] = doc["signature"][::-1]
    db(gh, "UPDATE audit_anchor SET checkpoint = ?", json.dumps(doc))


def _anchor_checkpoint_of_another_record(gh: Gatehouse) -> None:
    # A genuine, signed checkpoint, but of the log's current head, not of the anchor.
    cp = cli_ok(gh, "audit", "checkpoint").stdout.strip().splitlines()[-1]
    db(gh, "UPDATE audit_anchor SET checkpoint = ?", cp)


def _anchor_deleted(gh: Gatehouse) -> None:
    db(gh, "DELETE FROM audit_anchor")


def _truncate_further(gh: Gatehouse) -> None:
    # Drop record 7 too and move the anchor onto it, as if the prune had gone further.
    (h7,) = db(gh, "SELECT hash FROM audit_log WHERE seq = 7")[0]
    db(gh, "DELETE FROM audit_log WHERE seq = 7")
    db(gh, "UPDATE audit_anchor SET seq = 7, hash = ?", h7)


def _anchor_from_another_deployment(gh: Gatehouse) -> None:
    # A checkpoint signed with a different key, naming the anchor exactly.
    (cp,) = db(gh, "SELECT checkpoint FROM audit_anchor")[0]
    doc = json.loads(cp)
    doc["public_key"] = doc["public_key"][::-1]
    db(gh, "UPDATE audit_anchor SET checkpoint = ?", json.dumps(doc))


TAMPERING = {
    "edited-record": _edit_record,
    "first-remaining-record-dropped": _drop_first_remaining,
    "anchor-hash": _anchor_hash,
    "anchor-seq": _anchor_seq,
    "anchor-signature": _anchor_checkpoint_garbled,
    "anchor-other-checkpoint": _anchor_checkpoint_of_another_record,
    "anchor-foreign-key": _anchor_from_another_deployment,
    "anchor-deleted": _anchor_deleted,
    "truncated-further": _truncate_further,
}


@pytest.mark.parametrize("how", list(TAMPERING))
async def test_tampering_after_a_prune_is_caught(gh: Gatehouse, how: str) -> None:
    await send(gh, "first", "second", "third")
    when = await cutoff()
    await send(gh, "fourth", "fifth")
    assert "dropped 6 records" in prune(gh, when)
    assert_verifies(gh)
    TAMPERING[how](gh)
    code, out = verify(gh)
    assert code == 1, f"{how}: {out}"
    assert "FAILED" in out, out


async def test_rolling_the_anchor_back_to_an_earlier_prune_is_caught(gh: Gatehouse) -> None:
    await send(gh, "first", "second")
    first = await cutoff()
    await send(gh, "third", "fourth")
    assert "dropped 4 records" in prune(gh, first)
    first_anchor = db(gh, "SELECT seq, hash, checkpoint FROM audit_anchor")[0]
    second = await cutoff()
    await send(gh, "fifth")
    assert "dropped 4 records" in prune(gh, second)
    assert [r["seq"] for r in export(gh)] == [9, 10]
    assert_verifies(gh)
    # Both checkpoints are genuine; but records 5-8 are gone, so the older anchor cannot start the log.
    db(gh, "UPDATE audit_anchor SET seq = ?, hash = ?, checkpoint = ?", *first_anchor)
    code, out = verify(gh)
    assert code == 1 and "FAILED" in out, out


async def test_prune_keeps_a_send_still_pending_and_everything_after(gh: Gatehouse) -> None:
    args = send_args("Alice", "did this arrive?", "pending-1")
    with StallingBridge() as bridge:
        gh.write_config(transport="bridge", bridge_url=bridge.url)
        async with served(gh) as server:
            assert_sent(await server.mcp.send("Alice", "before one"))
            assert_sent(await server.mcp.send("Alice", "before two"))
            bridge.hang = True
            async with anyio.create_task_group() as tg:
                tg.start_soon(server.call_raw, "wa_send_message", args)
                await bridge.await_sends(3)
                server.kill()
        bridge.hang = False
        bridge.release()
        listed, _ = pending(gh)
        assert [p["attempt_seq"] for p in listed] == [5], listed
        async with gh.session() as mcp:
            assert_sent(await mcp.send("Alice", "after one"))

        out = prune(gh, TOMORROW)
        assert "dropped 4 records" in out, out  # 1-4; the pending attempt (5) and all after it stay
        assert [r["seq"] for r in export(gh)] == [5, 6, 7]
        assert [p["attempt_seq"] for p in pending(gh)[0]] == [5]
        out = assert_verifies(gh)
        assert "records 1-4 were pruned" in out, out

        # Once settled, the rest can go; the key still answers from the ledger afterwards.
        resolve(gh, 5, True)
        out = prune(gh, TOMORROW)
        assert "dropped 4 records" in out, out  # 5, 6, 7 and the resolution (8)
        assert export(gh) == []
        assert_verifies(gh)
        async with gh.session() as mcp:
            again = await mcp.call("wa_send_message", args)
        assert again.sc["replayed"] is True and again.sc["status"] == "sent", again
        assert len(bridge.sends()) == 4  # before one, before two, the pending one, after one
    out = assert_verifies(gh)
    assert "records 1-8 were pruned" in out, out
