"""Strict config: `gatehouse check` findings and exit codes, and `serve` with a broken config."""

from __future__ import annotations

import re

import pytest

from harness import Gatehouse, assert_blocked, find_line, mentions_line, to_yaml

GOOD_LINE = "allow_unlisted: false"


def config_with(gh: Gatehouse, old: str, new: str) -> str:
    text = to_yaml(gh.base_config()) + "\n"
    assert old in text
    text = text.replace(old, new, 1)
    gh.write_config(text)
    return text


def error_lines(output: str) -> list[str]:
    return [l for l in output.splitlines() if re.match(r"^\s*error\b", l, re.IGNORECASE)]


def test_check_valid_config(gh: Gatehouse) -> None:
    r = gh.cli("check")
    out = r.stdout + r.stderr
    assert r.returncode in (0, 1), out
    assert error_lines(out) == [], out


def test_check_string_boolean_is_an_error_naming_key_and_line(gh: Gatehouse) -> None:
    text = config_with(gh, GOOD_LINE, 'allow_unlisted: "false"')
    line = find_line(text, "allow_unlisted")
    r = gh.cli("check")
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    errors = error_lines(out)
    assert errors, f"no `error code: message` line in:\n{out}"
    assert any("allow_unlisted" in l for l in errors), out
    assert any(mentions_line(l, line) for l in errors), f"no error names line {line}:\n{out}"


def test_check_unknown_key_did_you_mean(gh: Gatehouse) -> None:
    text = config_with(gh, GOOD_LINE, "alow_unlisted: false")
    line = find_line(text, "alow_unlisted")
    r = gh.cli("check")
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    errors = [l for l in error_lines(out) if "alow_unlisted" in l]
    assert errors, out
    assert any("allow_unlisted" in l and re.search(r"did you mean", l, re.IGNORECASE) for l in errors), out
    assert any(mentions_line(l, line) for l in errors), f"no error names line {line}:\n{out}"


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("per_minute: 1000", "per_minute: -5", "per_minute"),
        ('transport: "outbox"', 'transport: "carrier-pigeon"', "transport"),
        ('on_detect: "block"', 'on_detect: "shrug"', "on_detect"),
        ("require_confirm_for: []", 'require_confirm_for: ["sometimes"]', "require_confirm_for"),
        ("confirm_token_ttl_seconds: 600", "confirm_token_ttl_seconds: soon", "confirm_token_ttl_seconds"),
    ],
)
def test_check_impossible_values(gh: Gatehouse, old: str, new: str, key: str) -> None:
    text = config_with(gh, old, new)
    line = find_line(text, new)
    r = gh.cli("check")
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    errors = [l for l in error_lines(out) if key in l]
    assert errors, out
    assert any(mentions_line(l, line) for l in errors), f"no error names line {line}:\n{out}"


def test_check_yaml_syntax_error(gh: Gatehouse) -> None:
    gh.write_config("transport: outbox\nrecipients: [\n  - name: Alice\n")
    r = gh.cli("check")
    assert r.returncode == 2, r.stdout + r.stderr
    assert error_lines(r.stdout + r.stderr)


def test_init_writes_a_valid_example_and_refuses_to_overwrite(gh: Gatehouse) -> None:
    path = gh.root / "example.yaml"
    r = gh.cli("init", "--path", str(path), with_paths=False)
    assert r.returncode == 0, r.stdout + r.stderr
    text = path.read_text()
    assert "#" in text, "the example config should be commented"
    r2 = gh.cli("init", "--path", str(path), with_paths=False)
    assert r2.returncode != 0, "init must refuse to overwrite without --force"
    assert path.read_text() == text
    path.write_text("# mine\n")
    r3 = gh.cli("init", "--path", str(path), "--force", with_paths=False)
    assert r3.returncode == 0 and path.read_text() == text
    chk = gh.cli("check", "--config", str(path), "--state-dir", str(gh.state_dir), with_paths=False)
    assert chk.returncode in (0, 1), chk.stdout + chk.stderr
    assert error_lines(chk.stdout + chk.stderr) == []


@pytest.mark.anyio
async def test_serve_with_invalid_config_refuses_every_send(gh: Gatehouse) -> None:
    config_with(gh, GOOD_LINE, 'allow_unlisted: "false"')
    pdf = gh.files_root / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    async with gh.session() as mcp:
        listing = await mcp.recipients()
        results = [
            await mcp.send("Alice", "hello"),
            await mcp.preview("Alice", "hello"),
            await mcp.send_file("Alice", pdf),
            await mcp.send("+44 7700 900999", "hello"),
        ]
    assert listing.sc["config_valid"] is False, listing
    assert "allow_unlisted" in (listing.sc["config_error"] or ""), listing
    for res in results:
        assert_blocked(res, "config.invalid")
        detail = " ".join(r.get("detail") or "" for r in res.sc["reasons"]) + (res.sc.get("blocked_reason") or "")
        assert "allow_unlisted" in detail, f"the reason should name the config error: {res!r}"
    assert gh.outbox_json() == []
