"""The content scanner end to end: `gatehouse scan` (single and --jsonl), secrets inside Office files,
obfuscated and split secrets over MCP, and the `secrets:` policy (actions, allow)."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from harness import Gatehouse, assert_blocked, assert_sent, fake_aws_key_id

pytestmark = pytest.mark.anyio


def luhn_card(prefix: str, length: int = 16) -> str:
    body = prefix + "1" * (length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    """A valid IBAN (ISO 13616 mod-97 check digits) for a made-up account."""
    digits = "".join(str(int(c, 36)) for c in (bban + country + "00").upper())
    check = 98 - int(digits) % 97
    return f"{country}{check:02d}{bban}"


def scan(gh: Gatehouse, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(gh.binary), "scan", "--config", str(gh.config_path), *args],
        input=stdin, env=gh.env(), cwd=gh.root, capture_output=True, text=True, timeout=60,
    )


def docx_with(text: str) -> bytes:
    """A minimal Word document whose body holds `text`, split over two runs of one paragraph."""
    half = len(text) // 2
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>Quarterly notes</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>{text[:half]}</w:t></w:r><w:r><w:t>{text[half:]}</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document)
    return out.getvalue()


# ---- gatehouse scan


def test_scan_stdin_reports_masked_findings_and_exit_1(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    r = scan(gh, stdin=f"deploy with {key} please")
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["block"] is True
    (finding,) = out["findings"]
    assert finding["kind"] == "aws-access-key-id"
    assert finding["family"] == "cloud" and finding["category"] == "secret" and finding["action"] == "block"
    assert (finding["start"], finding["end"]) == (12, 12 + len(key))
    assert key not in r.stdout and key[4:] not in finding["masked"]


def test_scan_clean_text_exits_0(gh: Gatehouse) -> None:
    r = scan(gh, stdin="see you at 5, the order is #112-3345-9921")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout) == {"block": False, "findings": [], "source": "stdin"}


def test_scan_jsonl_answers_each_line_in_order(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    lines = [
        json.dumps({"id": 1, "text": "hello there"}),
        json.dumps({"id": "b", "text": f"key {key}"}),
        "not json",
        json.dumps({"id": 3, "text": 42}),
        json.dumps({"id": 4, "text": "ｓｅｅ ｙｏｕ"}),
    ]
    r = scan(gh, "--jsonl", stdin="\n".join(lines) + "\n")
    assert r.returncode == 2  # malformed lines make the batch an error, after every line is answered
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o.get("id") for o in out] == [1, "b", None, 3, 4]
    assert out[0]["block"] is False and out[0]["findings"] == []
    assert out[1]["block"] is True and out[1]["findings"][0]["kind"] == "aws-access-key-id"
    assert "error" in out[2] and "error" in out[3]
    assert out[4]["block"] is False
    assert key not in r.stdout


def test_scan_jsonl_flushes_each_line(gh: Gatehouse) -> None:
    """A caller can write one line and read its answer before writing the next."""
    p = subprocess.Popen(
        [str(gh.binary), "scan", "--jsonl", "--config", str(gh.config_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=gh.env(), cwd=gh.root, text=True,
    )
    try:
        for i in range(3):
            assert p.stdin is not None and p.stdout is not None
            p.stdin.write(json.dumps({"id": i, "text": f"message {i}"}) + "\n")
            p.stdin.flush()
            assert json.loads(p.stdout.readline())["id"] == i
    finally:
        p.stdin.close()  # type: ignore[union-attr]
        assert p.wait(timeout=30) == 0


def test_scan_files_reads_docx_text_and_reports_unscannable(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    (gh.root / "notes.docx").write_bytes(docx_with(f"prod key {key} do not share"))
    (gh.root / "clean.txt").write_text("nothing to see\n")
    (gh.root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    r = scan(gh, str(gh.root / "notes.docx"), str(gh.root / "clean.txt"), str(gh.root / "photo.png"))
    assert r.returncode == 1
    docx, clean, png = (json.loads(line) for line in r.stdout.splitlines())
    assert docx["block"] is True and docx["findings"][0]["kind"] == "aws-access-key-id"
    assert clean["block"] is False
    assert png["block"] is False and "unscannable" in png


def test_scan_list_names_every_family(gh: Gatehouse) -> None:
    r = scan(gh, "--list")
    assert r.returncode == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    families = {row["family"] for row in rows}
    assert families == {"cloud", "code-hosting", "saas", "private-key", "credential", "payment", "national-id"}
    assert len(rows) >= 50


def test_scan_with_a_broken_config_is_an_error(gh: Gatehouse) -> None:
    gh.write_config("secrets:\n  on_detect: maybe\n")
    r = scan(gh, stdin="hello")
    assert r.returncode == 2
    assert "on_detect" in r.stderr


# ---- policy over MCP


async def test_actions_and_allowlist_decide_per_kind(gh: Gatehouse) -> None:
    test_card = luhn_card("4242")
    other_card = luhn_card("4000")
    gh.write_config(secrets={"on_detect": "block", "allow": [test_card], "actions": {"iban": "warn"}})
    async with gh.session() as mcp:
        allowed = await mcp.send("Alice", f"use the test card {test_card} in staging")
        refused = await mcp.send("Alice", f"my card is {other_card}")
        iban_sent = await mcp.send("Alice", f"pay me at {iban('GB', 'MIDL40051512345678')}")
    assert_sent(allowed)
    assert_blocked(refused, "content.secret")
    assert other_card not in refused.dump()
    assert_sent(iban_sent)
    assert any("iban" in w for w in iban_sent.sc.get("warnings", []))


async def test_obfuscated_key_is_refused(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    zero_width = "\u200b".join(key)
    async with gh.session() as mcp:
        res = await mcp.send("Alice", f"here: {zero_width}")
    assert_blocked(res, "content.secret")
    assert gh.outbox_json() == []


async def test_key_split_over_two_messages_is_refused(gh: Gatehouse) -> None:
    key = fake_aws_key_id()
    async with gh.session() as mcp:
        first = await mcp.send("Alice", f"the new key is {key[:8]}")
        second = await mcp.send("Alice", key[8:])
    assert_sent(first)
    assert_blocked(second, "content.secret")
    assert len(gh.outbox_json()) == 1


async def test_docx_holding_a_key_is_refused(gh: Gatehouse) -> None:
    gh.write_config(files={"roots": [str(gh.files_root)], "allowed_ext": [".docx"]})
    key = fake_aws_key_id()
    (gh.files_root / "plan.docx").write_bytes(docx_with(f"access {key}"))
    (gh.files_root / "agenda.docx").write_bytes(docx_with("agenda for monday"))
    async with gh.session() as mcp:
        refused = await mcp.send_file("Alice", gh.files_root / "plan.docx")
        sent = await mcp.send_file("Alice", gh.files_root / "agenda.docx")
    assert_blocked(refused, "content.secret")
    assert key not in refused.dump()
    assert_sent(sent)
