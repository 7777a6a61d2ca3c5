"""Signed audit checkpoints: `gatehouse audit checkpoint` and `gatehouse audit verify --checkpoint FILE`.

A rollback to an older copy of the state is internally consistent (its chain and seal verify), so only a
checkpoint taken before the rollback and kept elsewhere can show it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing

import pytest

from harness import Gatehouse, assert_sent

pytestmark = pytest.mark.anyio


async def send(gh: Gatehouse, *bodies: str) -> None:
    async with gh.session() as mcp:
        for body in bodies:
            assert_sent(await mcp.send("Alice", body))


def checkpoint(gh: Gatehouse, name: str) -> str:
    out = gh.root / name  # outside the state directory
    r = gh.cli("audit", "checkpoint", "--output", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    return str(out)


def verify(gh: Gatehouse, *extra: str) -> tuple[int, str]:
    r = gh.cli("audit", "verify", *extra)
    return r.returncode, r.stdout + r.stderr


async def test_checkpoint_is_signed_and_extended_by_later_records(gh: Gatehouse) -> None:
    await send(gh, "first", "second")
    path = checkpoint(gh, "cp1.json")
    cp = json.loads(open(path).read())
    assert cp["format"] == "gatehouse.checkpoint.v1" and cp["seq"] == 4 and len(cp["head_hash"]) == 64
    assert set(cp) == {"format", "seq", "head_hash", "time", "public_key", "signature"}
    await send(gh, "third")
    code, out = verify(gh, "--checkpoint", path)
    assert code == 0, out
    assert "6 records" in out and "extends the checkpoint" in out


def database_files(gh: Gatehouse) -> list:
    return [p for p in gh.state_dir.iterdir() if p.name.startswith("gatehouse.sqlite")]


async def test_rollback_to_an_older_copy_is_caught_only_with_the_checkpoint(gh: Gatehouse) -> None:
    await send(gh, "first")
    old = gh.root / "old-db"
    old.mkdir()
    for p in database_files(gh):
        shutil.copy2(p, old / p.name)
    await send(gh, "second", "third")
    path = checkpoint(gh, "cp.json")
    # Roll the store back to the older copy: a consistent log, just shorter.
    for p in database_files(gh):
        p.unlink()
    for p in old.iterdir():
        shutil.copy2(p, gh.state_dir / p.name)
    assert verify(gh)[0] == 0
    code, out = verify(gh, "--checkpoint", path)
    assert code == 1
    assert "truncated or rolled back" in out


async def test_a_rewritten_log_that_still_chains_is_caught(gh: Gatehouse) -> None:
    """Someone with the HMAC key rebuilds the log after the checkpoint: the chain verifies, the checkpoint does not."""
    await send(gh, "first", "second")
    path = checkpoint(gh, "cp.json")
    # The key holder replaces the log with a new one of the same length, chained under the same key.
    for p in database_files(gh):
        p.unlink()
    await send(gh, "other one", "other two")
    assert verify(gh)[0] == 0
    code, out = verify(gh, "--checkpoint", path)
    assert code == 1
    assert "record 4 differs from the checkpoint" in out


async def test_forged_or_edited_checkpoint_is_refused(gh: Gatehouse) -> None:
    await send(gh, "first")
    path = checkpoint(gh, "cp.json")
    cp = json.loads(open(path).read())
    cp["seq"] = 1
    forged = gh.root / "forged.json"
    forged.write_text(json.dumps(cp))
    code, out = verify(gh, "--checkpoint", str(forged))
    assert code == 1 and "signature does not hold" in out
    (gh.root / "junk.json").write_text("{\"format\": 1}")
    code, out = verify(gh, "--checkpoint", str(gh.root / "junk.json"))
    assert code != 0 and "not a Gatehouse checkpoint" in out


async def test_checkpoint_refuses_a_broken_log(gh: Gatehouse) -> None:
    await send(gh, "first", "second")
    with closing(sqlite3.connect(gh.db_path)) as db:
        db.execute("UPDATE audit_log SET record = replace(record, 'attempt', 'attampt') WHERE seq = 1")
        db.commit()
    r = gh.cli("audit", "checkpoint")
    assert r.returncode == 1 and "broken at record 1" in r.stdout
