import Foundation
import GRDB
import GatehouseCore
import GatehouseService
import Logging

// Inbound records per second through the whole inbound side, in process: the source read (drop
// files, or rows of a bridge messages.db in its exact schema), identities and sanitising, one store
// transaction per record (registry read, decision, counter, audit record), and the spool file
// written atomically (fsync + rename). The SQLite store runs synchronous=FULL as in production.
//
//   gatehouse-bench ingest [--records N] [--source drop|bridge] [--strangers]
//
// --strangers: every record comes from an unknown sender and is dropped (counter and audit only),
// the flood a public number sees.

struct IngestBenchmark {
    var records = 2000
    var source = "drop"
    var strangers = false

    init(arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--records": records = iterator.next().flatMap(Int.init) ?? records
            case "--source": source = iterator.next() ?? source
            case "--strangers": strangers = true
            default: break
            }
        }
    }

    static let sender = "447700900456"
    static let stranger = "447700900999"

    func run() async throws -> Int32 {
        guard ["drop", "bridge"].contains(source) else {
            FileHandle.standardError.write(Data("--source is drop or bridge\n".utf8))
            return 2
        }
        let work = NSTemporaryDirectory() + "gatehouse-ingest-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work + "/drop", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let bridge = work + "/messages.db"
        try """
            transport: outbox
            inbound:
              drop_dir: \(work)/drop
            \(source == "bridge" ? "  bridge_db: \(bridge)" : "")
            """.write(toFile: work + "/gatehouse.yaml", atomically: true, encoding: .utf8)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let state = try StateDirectory(path: work + "/state")
        let config = ConfigSource(path: work + "/gatehouse.yaml", environment: ProcessInfo.processInfo.environment)
        let service = try await GatehouseService.start(config: config, state: state, logger: logger)
        _ = try await service.changeSender("+" + Self.sender, .approve, name: "Bob")
        let from = strangers ? Self.stranger : Self.sender
        let text = "Hello, here is the report you asked for; see you at 10. \u{202E}bidi\u{200B} and all."
        if source == "drop" {
            for index in 0..<records {
                let event = """
                    {"schema":"gatehouse.drop/1","id":"M\(index)","chat":"\(from)@s.whatsapp.net","sender":"\(from)",\
                    "timestamp":\(1_795_950_000 + index),"text":"\(text) \(index)","from_me":false,"sender_name":"Bob"}
                    """
                try event.write(toFile: work + "/drop/" + String(format: "%08d.json", index), atomically: true, encoding: .utf8)
            }
        } else {
            try Self.seedBridge(bridge, records: records, from: from, text: text)
        }
        let start = ContinuousClock.now
        let summary = try await service.ingestOnce(backfill: true)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let handled = summary.delivered + summary.dropped
        guard handled == records else {
            FileHandle.standardError.write(Data("expected \(records) records handled, got \(summary)\n".utf8))
            return 1
        }
        let perSecond = Int((Double(records) / seconds).rounded())
        print(
            "ingest \(source)\(strangers ? " (strangers, all dropped)" : "") \(records) records: \(String(format: "%.2f", seconds)) s, "
                + "\(perSecond) records/s (\(summary))")
        return 0
    }

    /// A messages.db in the bridge's exact schema (CONTRACTS.md §1), live-message sender form, TEXT times.
    static func seedBridge(_ path: String, records: Int, from: String, text: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE chats (jid TEXT PRIMARY KEY, name TEXT, last_message_time TIMESTAMP);
                    CREATE TABLE messages (id TEXT, chat_jid TEXT, sender TEXT, content TEXT, timestamp TIMESTAMP,
                        is_from_me BOOLEAN, media_type TEXT, filename TEXT, url TEXT, media_key BLOB, file_sha256 BLOB,
                        file_enc_sha256 BLOB, file_length INTEGER, PRIMARY KEY (id, chat_jid), FOREIGN KEY (chat_jid) REFERENCES chats(jid));
                    """)
            try db.execute(sql: "INSERT INTO chats VALUES (?, 'Bob', '2026-11-29 12:00:00+01:00')", arguments: ["\(from)@s.whatsapp.net"])
            let insert = try db.makeStatement(sql: "INSERT INTO messages(id, chat_jid, sender, content, timestamp, is_from_me) VALUES (?, ?, ?, ?, ?, 0)")
            for index in 0..<records {
                let stamp = String(format: "2026-11-29 %02d:%02d:%02d.%03d+01:00", 10 + index / 3_600_000 % 10, index / 60_000 % 60, index / 1000 % 60, index % 1000)
                try insert.execute(arguments: ["3EB0\(index)", "\(from)@s.whatsapp.net", from, "\(text) \(index)", stamp])
            }
        }
    }
}
