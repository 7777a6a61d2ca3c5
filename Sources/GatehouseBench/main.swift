import Foundation

// Release-mode benchmark: starts the real `gatehouse serve` (built beside this executable) and
// drives it with the official Python MCP client (bench/mcp_driver.py), the same client an agent
// uses. Prints the figures BENCHMARKS.md records.
//
//   swift build -c release && .build/release/gatehouse-bench [--calls N]
//   .build/release/gatehouse-bench scan [CORPUS-DIR]    the content scanner alone (ScanBenchmark.swift)
//   .build/release/gatehouse-bench sends [--clients C] [--processes P] [--store URL]
//                                                       durable sends/s through the gate (SendBenchmark.swift)
//   .build/release/gatehouse-bench ingest [--records N] [--source drop|bridge] [--strangers]
//                                                       inbound records/s into the spool (IngestBenchmark.swift)

let arguments = CommandLine.arguments
if arguments.dropFirst().first == "sends" {
    exit(try await SendBenchmark(arguments: arguments.dropFirst(2)).run())
}
if arguments.dropFirst().first == "ingest" {
    exit(try await IngestBenchmark(arguments: arguments.dropFirst(2)).run())
}
if arguments.dropFirst().first == "scan" {
    exit(runScanBenchmark(corpusDirectory: arguments.dropFirst(2).first ?? "tests/corpus/benign"))
}
let calls = arguments.firstIndex(of: "--calls").flatMap { Int(arguments[$0 + 1]) } ?? 2000
let here = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arguments[0])
let binary = here.deletingLastPathComponent().appendingPathComponent("gatehouse").path
let repository = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let driver = repository.appendingPathComponent("bench/mcp_driver.py").path

guard FileManager.default.isExecutableFile(atPath: binary) else {
    FileHandle.standardError.write(Data("gatehouse not found at \(binary); run `swift build -c release` first\n".utf8))
    exit(2)
}

let work = NSTemporaryDirectory() + "gatehouse-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let config = work + "/gatehouse.yaml"
// Limits high enough that the benchmark measures the gate, not the limiter refusing.
try """
    transport: outbox
    allow_unlisted: false
    require_confirm_for: [files]
    rate_limit: {per_minute: 1000000, per_hour: 1000000}
    recipients:
      - name: Alice
        jid: "+44 7700 900123"
    """.write(toFile: config, atomically: true, encoding: .utf8)

let process = Process()
process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
process.arguments = ["python3", driver, "--bin", binary, "--config", config, "--state", work + "/state", "--calls", String(calls)]
let pipe = Pipe()
process.standardOutput = pipe
try process.run()
let output = pipe.fileHandleForReading.readDataToEndOfFile()
process.waitUntilExit()
guard process.terminationStatus == 0,
    let line = String(decoding: output, as: UTF8.self).split(separator: "\n").last,
    let figures = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String: Any]]
else {
    FileHandle.standardError.write(Data("the driver failed\n".utf8))
    exit(1)
}

func show(_ name: String) -> String {
    let values = figures[name] ?? [:]
    return values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: " ")
}
let outboxFiles = (try? FileManager.default.contentsOfDirectory(atPath: work + "/state/outbox"))?.filter { $0.hasSuffix(".json") }.count ?? 0
print("gatehouse-bench (release, Python mcp client over stdio, \(calls) calls per figure)")
print("cold start to tools/list answered: \(show("cold_start_ms")) (ms)")
print("wa_preview sequential:            \(show("wa_preview"))")
print("wa_preview 16 in flight:          \(show("wa_preview_concurrent"))")
print("wa_send_message sequential:       \(show("wa_send_message")) (outbox, synchronous=FULL audit)")
print("wa_send_message 16 in flight:     \(show("wa_send_message_concurrent"))")
print("outbox files written: \(outboxFiles)")
