"""`gatehouse demo`: the scripted session a newcomer runs first must show the gate working."""

from __future__ import annotations

import subprocess
from pathlib import Path


def test_demo_shows_delivery_refusals_and_a_verified_audit(gatehouse_bin: Path, tmp_path: Path) -> None:
    r = subprocess.run(
        [str(gatehouse_bin), "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "[content.secret]" in out and "(zero-width)" in out
    assert "[recipient.not_allowlisted]" in out and "[confirmation.required]" in out
    assert "Already sent by the first call with this key" in out
    assert "[request.idempotency_conflict]" in out
    assert "Delivered to the outbox: 2 message(s)" in out
    assert "audit verify: OK" in out
    assert "appears in the audit export: no" in out
    assert "AKIAIOSFODNN7DEMOKEY" not in out
