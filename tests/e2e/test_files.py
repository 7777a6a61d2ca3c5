"""File sends: roots, symlinks, content sniffing, and a real delivery to the outbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import (
    ALICE_JID,
    FAKE_EXE,
    SMALL_PDF,
    SMALL_PNG,
    Gatehouse,
    assert_blocked,
    assert_needs_confirmation_preview,
    assert_sent,
    sha256_hex,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def files_gh(gh: Gatehouse) -> Gatehouse:
    gh.write_config(require_confirm_for=["files"])
    return gh


async def refused_both_ways(gh: Gatehouse, path: Path | str, code: str) -> None:
    """Preview and send of this file are both refused with `code`, and nothing reaches the outbox."""
    async with gh.session() as mcp:
        preview = await mcp.preview("Alice", file_path=str(path), caption="look")
        send = await mcp.send_file("Alice", path, caption="look")
    assert_blocked(preview, code)
    assert_blocked(send, code)
    assert gh.outbox_json() == []


async def test_symlink_to_outside_file_refused(files_gh: Gatehouse) -> None:
    target = files_gh.elsewhere / "id_rsa.png"
    target.write_bytes(SMALL_PNG)
    link = files_gh.files_root / "holiday.png"
    os.symlink(target, link)
    await refused_both_ways(files_gh, link, "file.symlink")


async def test_file_outside_roots_refused(files_gh: Gatehouse) -> None:
    outside = files_gh.elsewhere / "report.pdf"
    outside.write_bytes(SMALL_PDF)
    await refused_both_ways(files_gh, outside, "file.outside_roots")


async def test_dotdot_escape_refused(files_gh: Gatehouse) -> None:
    outside = files_gh.elsewhere / "report.pdf"
    outside.write_bytes(SMALL_PDF)
    sneaky = f"{files_gh.files_root}/../elsewhere/report.pdf"
    async with files_gh.session() as mcp:
        res = await mcp.send_file("Alice", sneaky)
    assert_blocked(res, prefix="file.")
    assert set(res.codes) & {"file.outside_roots", "file.path_invalid"}, res
    assert files_gh.outbox_json() == []


async def test_exe_renamed_pdf_refused(files_gh: Gatehouse) -> None:
    fake = files_gh.files_root / "invoice.pdf"
    fake.write_bytes(FAKE_EXE)
    await refused_both_ways(files_gh, fake, "file.content_mismatch")


async def test_missing_file_and_bad_extension_refused(files_gh: Gatehouse) -> None:
    (files_gh.files_root / "tool.sh").write_text("#!/bin/sh\necho hi\n")
    async with files_gh.session() as mcp:
        missing = await mcp.send_file("Alice", files_gh.files_root / "nope.pdf")
        bad_ext = await mcp.send_file("Alice", files_gh.files_root / "tool.sh")
        a_dir = await mcp.send_file("Alice", files_gh.files_root)
    assert_blocked(missing, "file.not_found")
    assert_blocked(bad_ext, "file.extension_not_allowed")
    assert_blocked(a_dir, prefix="file.")
    assert files_gh.outbox_json() == []


async def test_real_pdf_sent_with_token_to_outbox(files_gh: Gatehouse) -> None:
    pdf = files_gh.files_root / "report.pdf"
    pdf.write_bytes(SMALL_PDF)
    digest = sha256_hex(SMALL_PDF)
    async with files_gh.session() as mcp:
        no_token = await mcp.send_file("Alice", pdf, caption="Q3 report")
        preview = await mcp.preview("Alice", file_path=str(pdf), caption="Q3 report")
        token = assert_needs_confirmation_preview(preview)
        res = await mcp.send_file("Alice", pdf, caption="Q3 report", token=token)
    assert no_token.is_error and no_token.sc["status"] == "needs_confirmation", no_token
    assert preview.sc["display_filename"] == "report.pdf", preview
    assert preview.sc["file_sha256"] == digest, preview
    assert_sent(res)
    assert res.sc["file_sha256"] == digest and res.sc["display_filename"] == "report.pdf", res
    [(json_path, rec)] = files_gh.outbox_json()
    assert rec["kind"] == "file"
    assert rec["recipient"] == ALICE_JID
    assert rec["caption"] == "Q3 report"
    f = rec["file"]
    assert f["name"] == "report.pdf"
    assert f["sha256"] == digest
    assert f["size"] == len(SMALL_PDF)
    assert not Path(f["path"]).is_absolute() and ".." not in Path(f["path"]).parts, f
    assert f["path"] == f"{rec['id']}-report.pdf", f
    copy = json_path.parent / f["path"]
    assert copy.is_file() and not copy.is_symlink()
    assert sha256_hex(copy.read_bytes()) == digest
    assert pdf.read_bytes() == SMALL_PDF, "the original must be left alone"
