import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseService
import GatehouseStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read, export and verify the tamper-evident audit log.", subcommands: [Tail.self, Export.self, Verify.self])

    /// Opens an existing store; reading the audit never creates one (or a key).
    static func open(_ locations: Locations) throws -> (SQLiteStore, AuditChainKey) {
        let state = StateDirectory(unchecked: locations.statePath)
        guard FileManager.default.fileExists(atPath: state.databasePath) else {
            throw ValidationError("no audit store at \(state.databasePath)")
        }
        let key = try state.auditKey()
        return (try SQLiteStore(path: state.databasePath, key: key), key)
    }

    /// Every record in order, read in pages so a long log needs bounded memory.
    static func forEachRecord(_ store: SQLiteStore, _ body: (AuditRecord) throws -> Bool) async throws {
        var after = 0
        while true {
            let page = try await store.auditRecords(after: after, limit: 5_000)
            for record in page {
                guard try body(record) else { return }
            }
            guard let last = page.last else { return }
            after = last.seq
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the newest records, one JSON object per line.")
        @OptionGroup var locations: Locations
        @Option(name: .shortAndLong, help: "How many records.") var n = 20

        func run() async throws {
            let (store, _) = try Audit.open(locations)
            for record in try await store.auditTail(limit: max(1, n)) { print(Audit.line(record)) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export every record as JSONL (ASCII-only, one record per line).")
        @OptionGroup var locations: Locations
        @Option(name: .long, help: "Write to this file instead of stdout.") var output: String?

        func run() async throws {
            let (store, _) = try Audit.open(locations)
            var handle = FileHandle.standardOutput
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let file = FileHandle(forWritingAtPath: output)
                else { throw ValidationError("cannot write \(output)") }
                handle = file
            }
            try await Audit.forEachRecord(store) { record in
                handle.write(Data((Audit.line(record) + "\n").utf8))
                return true
            }
            if output != nil { try handle.close() }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain and head seal; name the first edited, removed, reordered or truncated record.")
        @OptionGroup var locations: Locations

        func run() async throws {
            let (store, key) = try Audit.open(locations)
            var verifier = AuditChain.Verifier(key: key)
            var verdict: AuditChain.Verdict?
            try await Audit.forEachRecord(store) { record in
                verdict = verifier.feed(record)
                return verdict == nil
            }
            let head = try await store.auditHead()
            let final = verdict ?? verifier.finish(head: head)
            switch final {
            case .intact(let count):
                print("audit verify: OK, \(count) records")
            case .broken(let seq, let reason):
                print("audit verify: FAILED at record \(seq): \(reason)")
                throw ExitCode(1)
            }
        }
    }

    /// A record with its hash added, in canonical (ASCII-only) JSON.
    static func line(_ record: AuditRecord) -> String {
        guard case .object(var members)? = JSONParser.parse(record.record) else {
            return JSONValue.object(["seq": .int(record.seq), "hash": .string(record.hash), "error": .string("unreadable record")]).canonical
        }
        members["hash"] = .string(record.hash)
        return JSONValue.object(members).canonical
    }
}
