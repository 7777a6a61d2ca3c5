"""The server without the MCP client: one JSON-RPC line at a time over stdio, timing calls/s.

    python3 bench/raw_client.py BIN CONFIG STATE_DIR TOOL CALLS

Used for the "raw client" figures in BENCHMARKS.md, to tell the server's cost from the Python
MCP client's. CONFIG must list a recipient named Alice and not require confirmation for messages.
"""
import json
import subprocess
import sys
import time

binary, config, state, tool, calls = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
server = subprocess.Popen([binary, "serve", "--config", config, "--state-dir", state], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def call(request_id, method, params):
    server.stdin.write((json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n").encode())
    server.stdin.flush()
    return json.loads(server.stdout.readline())


call(0, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}})
began = time.perf_counter()
for index in range(1, calls + 1):
    reply = call(index, "tools/call", {"name": tool, "arguments": {"recipient": "Alice", "message": f"hello {index}"}})
    if reply["result"].get("isError"):
        sys.exit(f"refused: {reply['result']['content'][0]['text']}")
print(f"{tool}: {calls / (time.perf_counter() - began):.0f} calls/s")
server.stdin.close()
server.wait()
