import Foundation
import GatehouseCore
import GatehouseService
import Logging

// Durable sends per second through the whole gate in process: config, recipient, content scan,
// one store transaction deciding and recording the attempt, the outbox transport (fsync + rename),
// then the outcome committed. Nothing is mocked; only MCP framing is left out (the default
// benchmark measures that).
//
//   gatehouse-bench sends [--sends N] [--clients C] [--processes P] [--store URL] [--transport none]
//
// --transport none: a transport that accepts every send and writes nothing, to measure the gate and
// the store apart from the outbox's file creation (which costs the kernel more than the rest).
// --clients: concurrent callers inside one process (they share commits: group commit);
// --processes: separate processes sharing the store (state dir, or the PostgreSQL database).

struct SendBenchmark {
    var sends = 2000
    var clients = 1
    var processes = 1
    var storeURL: String?
    var work: String?
    var worker = false
    var nullTransport = false

    init(arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sends": sends = iterator.next().flatMap(Int.init) ?? sends
            case "--clients": clients = iterator.next().flatMap(Int.init) ?? clients
            case "--processes": processes = iterator.next().flatMap(Int.init) ?? processes
            case "--store": storeURL = iterator.next()
            case "--work": work = iterator.next()
            case "--worker": worker = true
            case "--transport": nullTransport = iterator.next() == "none"
            default: break
            }
        }
    }

    static let config = """
        transport: outbox
        allow_unlisted: false
        require_confirm_for: []
        rate_limit: {per_minute: 1000000, per_hour: 1000000}
        recipients:
          - name: Alice
            jid: "+44 7700 900123"
        """

    func run() async throws -> Int32 {
        let work = self.work ?? NSTemporaryDirectory() + "gatehouse-sends-\(getpid())"
        if !worker {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            try Self.config.write(toFile: work + "/gatehouse.yaml", atomically: true, encoding: .utf8)
        }
        defer { if !worker { try? FileManager.default.removeItem(atPath: work) } }
        var environment = ProcessInfo.processInfo.environment
        if let storeURL { environment["GATEHOUSE_STORE_URL"] = storeURL }
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let state = try StateDirectory(path: work + "/state")
        let config = ConfigSource(path: work + "/gatehouse.yaml", environment: environment)
        let service: GatehouseService
        if nullTransport {
            let choice = try StoreOpener.choice(config: config, environment: environment).get()
            let store = try await StoreOpener.open(choice, state: state, key: try state.auditKey())
            service = try GatehouseService(config: config, state: state, logger: logger, store: store, transport: NullTransport())
        } else {
            service = try await GatehouseService.start(config: config, state: state, logger: logger)
        }
        // Warm up (opens the store, creates the outbox, fills caches); not counted.
        for index in 0..<20 {
            let report = await service.send(message(index, client: -1 - Int(getpid())))
            guard report.status == .sent else {
                FileHandle.standardError.write(Data("a warm-up send was not sent: \(report.status) \(report.reasons.map(\.detail))\n".utf8))
                return 1
            }
        }

        if processes > 1 && !worker { return try runProcesses(work: work) }
        let perClient = sends / clients
        let clock = ContinuousClock()
        let started = clock.now
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var failures = 0
                    for index in 0..<perClient where await service.send(message(index, client: client)).status != .sent {
                        failures += 1
                    }
                    return failures
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = Self.seconds(clock.now - started)
        let total = perClient * clients
        if worker {
            print("\(total) \(failures) \(seconds)")
        } else {
            print(String(format: "%@, %@, %d client(s) in one process: %d sends in %.2f s = %.0f sends/s (%d not sent)",
                storeURL == nil ? "sqlite" : "postgres", nullTransport ? "no-op transport" : "outbox", clients, total, seconds, Double(total) / seconds, failures))
        }
        return failures == 0 ? 0 : 1
    }

    func message(_ index: Int, client: Int) -> SendRequest {
        SendRequest(tool: "wa_send_message", recipient: "Alice", kind: .text, text: "Status update \(client)-\(index): the build is green.")
    }

    /// Starts `processes` copies of this benchmark on the same store and sums what they did.
    func runProcesses(work: String) throws -> Int32 {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let perProcess = sends / processes
        var children: [(Process, Pipe)] = []
        let started = ContinuousClock().now
        for _ in 0..<processes {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: me)
            child.arguments = ["sends", "--worker", "--work", work, "--sends", String(perProcess), "--clients", "1"]
                + (storeURL.map { ["--store", $0] } ?? []) + (nullTransport ? ["--transport", "none"] : [])
            let pipe = Pipe()
            child.standardOutput = pipe
            try child.run()
            children.append((child, pipe))
        }
        var total = 0
        var failures = 0
        for (child, pipe) in children {
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            let fields = output.split(separator: " ")
            total += fields.first.flatMap { Int($0) } ?? 0
            failures += fields.dropFirst().first.flatMap { Int($0) } ?? perProcess
        }
        // Wall time includes each worker's start-up and warm-up; it understates the steady rate a little.
        let seconds = Self.seconds(ContinuousClock().now - started)
        print(String(format: "%@, %@, %d processes sharing the store: %d sends in %.2f s = %.0f sends/s (%d not sent)",
            storeURL == nil ? "sqlite" : "postgres", nullTransport ? "no-op transport" : "outbox", processes, total, seconds, Double(total) / seconds, failures))
        return failures == 0 ? 0 : 1
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Accepts every send and writes nothing.
struct NullTransport: MessageTransport {
    let name = "none"
    func send(_ send: ApprovedSend) async -> TransportResult { .sent(detail: "discarded") }
}
