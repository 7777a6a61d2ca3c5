"""The process that reads untrusted messages holds no tool: `gatehouse ingest` runs the separate
`gatehouse-ingest` executable, which links no MCP server (docs/inbound.md)."""

from __future__ import annotations

from pathlib import Path

from harness import Gatehouse

# Names the MCP side would bring in: the tool names, and the Swift module prefix of the MCP SDK.
MCP_MARKERS = [b"wa_send_message", b"wa_inbox", b"tools/call", b"3MCP"]


def test_the_ingest_executable_links_no_mcp_and_no_tool(gh: Gatehouse) -> None:
    ingest = Path(gh.binary).with_name("gatehouse-ingest")
    assert ingest.is_file(), "gatehouse-ingest is built beside gatehouse"
    data = ingest.read_bytes()
    for marker in MCP_MARKERS:
        assert marker not in data, f"gatehouse-ingest contains {marker!r}"
    # The marker test can fail: the server binary has them all.
    served = Path(gh.binary).read_bytes()
    assert all(marker in served for marker in MCP_MARKERS)


def test_gatehouse_ingest_runs_the_separate_process(gh: Gatehouse) -> None:
    gh.write_config()
    res = gh.cli("ingest", "--once")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ingest: delivered=0 dropped=0"), res.stdout
    assert "was not built" not in res.stderr
