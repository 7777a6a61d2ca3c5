import Foundation
import GRDB
import GatehouseCore
import Testing

@testable import GatehouseStore
import GatehouseTesting

/// A fresh directory per test, removed when the test ends.
private final class TempDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var database: String { path + "/gatehouse.sqlite" }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct SQLiteStoreTests {
    private static let key = AuditChainKey(bytes: Array(repeating: 0x5A, count: 32))
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    private static func entry(_ label: String, event: AuditEntry.Event = .attempt, status: String = "attempted") -> AuditEntry {
        AuditEntry(event: event, tool: "wa_send_message", decisionID: label, status: status)
    }

    /// The decision the service makes: allow while the global minute has room, counting the send.
    @Sendable private static func allowUnder(_ limit: Int, scope: String) -> @Sendable (StateSnapshot) -> (Bool, StateEffects) {
        { snapshot in
            if snapshot.rates.globalMinute < limit {
                return (true, StateEffects(countSendFor: scope, entry: entry("allow", event: .attempt)))
            }
            return (false, StateEffects(entry: entry("deny", event: .blocked, status: "blocked")))
        }
    }

    private func count(_ store: SQLiteStore, _ table: String) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    private func verdict(_ store: SQLiteStore) async throws -> AuditChain.Verdict {
        let records = try await store.auditRecords(after: 0, limit: 10_000)
        return AuditChain.verify(records, head: try await store.auditHead(), key: Self.key)
    }

    // MARK: Opening

    @Test func migrationsCreateTheSchema() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        let tables = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(Set(tables).isSuperset(of: ["audit_head", "audit_log", "rate_events", "spent_tokens", "message_tails", "send_ledger", "audit_anchor", "records"]))
        let version = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == SQLiteStore.migrations.count)
        #expect(version == 4)
    }

    @Test func storeFromANewerGatehouseIsRefused() async throws {
        let directory = try TempDirectory()
        do {
            let store = try SQLiteStore(path: directory.database, key: Self.key)
            try await store.pool.write { db in try db.execute(sql: "PRAGMA user_version = 99") }
        }
        #expect(throws: (any Error).self) { try SQLiteStore(path: directory.database, key: Self.key) }
    }

    @Test func storesOpeningANewFileTogetherCreateTheSchemaOnce() async throws {
        let directory = try TempDirectory()
        let path = directory.database
        let opened = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try SQLiteStore(path: path, key: Self.key)
                    return try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1 }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(opened == Array(repeating: SQLiteStore.migrations.count, count: 4))
    }

    @Test func reopeningKeepsDataAndMigratesNothingTwice() async throws {
        let directory = try TempDirectory()
        do {
            let store = try SQLiteStore(path: directory.database, key: Self.key)
            _ = try await store.append(Self.entry("a"), now: Self.t0)
        }
        let reopened = try SQLiteStore(path: directory.database, key: Self.key)
        #expect(try await reopened.auditRecords(after: 0, limit: 10).map(\.seq) == [1])
        #expect(try await verdict(reopened) == .intact(count: 1))
    }

    @Test func writerIsDurable() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        let synchronous = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)  // FULL
        let journal = try await store.pool.write { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal?.lowercased() == "wal")
    }

    @Test func garbageFileMakesInitThrow() throws {
        let directory = try TempDirectory()
        var generator = SeededStoreGenerator(seed: 1)
        let garbage = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try garbage.write(to: URL(fileURLWithPath: directory.database))
        #expect(throws: (any Error).self) { try SQLiteStore(path: directory.database, key: Self.key) }
    }

    @Test func textFileMakesInitThrow() throws {
        let directory = try TempDirectory()
        try Data("allow_unlisted: false\n".utf8).write(to: URL(fileURLWithPath: directory.database))
        #expect(throws: (any Error).self) { try SQLiteStore(path: directory.database, key: Self.key) }
    }

    @Test func missingDirectoryMakesInitThrow() throws {
        let directory = try TempDirectory()
        #expect(throws: (any Error).self) { try SQLiteStore(path: directory.path + "/no/such/dir/db.sqlite", key: Self.key) }
    }

    // MARK: decide

    @Test func decideReturnsTheRecordItAppended() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        let result = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0) { _ in
            (42, StateEffects(entry: Self.entry("x")))
        }
        #expect(result.value == 42)
        #expect(result.record.seq == 1)
        #expect(try await store.auditRecords(after: 0, limit: 1) == [result.record])
        #expect(JSONParser.parse(result.record.record)?["decision_id"]?.stringValue == "x")
    }

    // MARK: Audit

    @Test func tamperingInTheFileIsCaughtByVerify() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        for index in 0..<4 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0) }
        // Edit record 2 in place
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE audit_log SET record = replace(record, '\"a1\"', '\"zz\"') WHERE seq = 2")
        }
        guard case .broken(let seq, _) = try await verdict(store) else {
            Issue.record("expected a broken chain")
            return
        }
        #expect(seq == 2)
    }

    @Test func deletingTheLastRecordIsCaughtByTheHead() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        for index in 0..<4 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0) }
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 4") }
        guard case .broken(let seq, let reason) = try await verdict(store) else {
            Issue.record("expected a broken chain")
            return
        }
        #expect(seq == 4)
        #expect(reason.contains("truncated"))
    }

    @Test func anotherKeyCannotVerify() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        _ = try await store.append(Self.entry("a"), now: Self.t0)
        let records = try await store.auditRecords(after: 0, limit: 10)
        let other = AuditChainKey(bytes: Array(repeating: 0x5B, count: 32))
        #expect(AuditChain.verify(records, head: try await store.auditHead(), key: other) != .intact(count: 1))
    }

}

private typealias SeededStoreGenerator = SeededGenerator

