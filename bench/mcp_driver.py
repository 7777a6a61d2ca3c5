"""Drives `gatehouse serve` with the official Python MCP client and prints timings as JSON.

Run by the release benchmark executable (`swift run -c release gatehouse-bench`), which builds the
config and state directory and reads the JSON this prints on its last line.
"""
import argparse
import asyncio
import json
import os
import statistics
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def params(args):
    return StdioServerParameters(
        command=args.bin,
        args=["serve", "--config", args.config, "--state-dir", args.state],
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")},
    )


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def cold_start(args):
    """Process spawn → initialize → tools/list answered, in ms."""
    started = time.perf_counter()
    async with stdio_client(params(args)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            return (time.perf_counter() - started) * 1000


async def sequential(session, tool, arguments, count):
    latencies = []
    began = time.perf_counter()
    for index in range(count):
        call_args = arguments(index)
        t0 = time.perf_counter()
        result = await session.call_tool(tool, call_args)
        latencies.append((time.perf_counter() - t0) * 1000)
        if result.is_error:
            raise SystemExit(f"{tool} refused during the benchmark: {result.content[0].text}")
    elapsed = time.perf_counter() - began
    return {
        "calls": count,
        "calls_per_s": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
    }


async def concurrent(session, tool, arguments, count, in_flight):
    semaphore = asyncio.Semaphore(in_flight)

    async def one(index):
        async with semaphore:
            result = await session.call_tool(tool, arguments(index))
            if result.is_error:
                raise SystemExit(f"{tool} refused during the benchmark: {result.content[0].text}")

    began = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    elapsed = time.perf_counter() - began
    return {"calls": count, "in_flight": in_flight, "calls_per_s": round(count / elapsed, 1)}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()

    starts = [await cold_start(args) for _ in range(args.starts)]
    out = {"cold_start_ms": {"median": round(statistics.median(starts), 1), "min": round(min(starts), 1)}}

    def preview_args(index):
        return {"recipient": "Alice", "message": f"Lunch at 12:{index % 60:02d}?"}

    def send_args(index):
        return {"recipient": "Alice", "message": f"Benchmark message {index}"}

    async with stdio_client(params(args)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            await sequential(session, "wa_preview", preview_args, 100)  # warm-up
            out["wa_preview"] = await sequential(session, "wa_preview", preview_args, args.calls)
            out["wa_preview_concurrent"] = await concurrent(session, "wa_preview", preview_args, args.calls, 16)
            out["wa_send_message"] = await sequential(session, "wa_send_message", send_args, args.calls)
            out["wa_send_message_concurrent"] = await concurrent(session, "wa_send_message", send_args, args.calls, 16)
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
