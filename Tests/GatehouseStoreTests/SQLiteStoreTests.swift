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
        #expect(Set(tables).isSuperset(of: ["audit_head", "audit_log", "rate_events", "spent_tokens", "message_tails", "send_ledger", "audit_anchor"]))
        let version = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(version == SQLiteStore.migrations.count)
        #expect(version == 3)
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

    @Test func decideCountsTheSendInTheRightWindows() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        // Given one counted send to alice at t0
        let result = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(10, scope: "alice"))
        #expect(result.value)
        // Then it counts in both alice's and the global windows, for a minute and for an hour
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(30)) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1))
        #expect(try await store.rateCounts(recipientScope: "bob", now: Self.t0.addingTimeInterval(30)) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 0, recipientHour: 0))
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(60)) == RateCounts(globalMinute: 0, globalHour: 1, recipientMinute: 0, recipientHour: 1))
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(3599)) == RateCounts(globalMinute: 0, globalHour: 1, recipientMinute: 0, recipientHour: 1))
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(3600)) == RateCounts())
    }

    @Test func decideSeesTheWindowsItWrites() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        var seen: [RateCounts] = []
        for offset in [0.0, 10, 20, 70] {
            let result = try await store.decide(recipientScope: offset == 20 ? "bob" : "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(offset)) { snapshot in
                (snapshot.rates, StateEffects(countSendFor: offset == 20 ? "bob" : "alice", entry: Self.entry("d")))
            }
            seen.append(result.value)
        }
        #expect(seen == [
            RateCounts(),
            RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1),
            RateCounts(globalMinute: 2, globalHour: 2, recipientMinute: 0, recipientHour: 0),
            // at t0+70 the first two (t0, t0+10) left the minute; bob's (t0+20) is still in it
            RateCounts(globalMinute: 1, globalHour: 3, recipientMinute: 0, recipientHour: 2),
        ])
    }

    @Test func deniedDecisionTakesNoRateSlot() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        let result = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(0, scope: "alice"))
        #expect(result.value == false)
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0) == RateCounts())
        #expect(try await count(store, "audit_log") == 1)
    }

    @Test func tokenIsSpentOnce() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        let decision: @Sendable (StateSnapshot) -> (Bool, StateEffects) = { snapshot in
            if snapshot.tokenSpent { return (false, StateEffects(entry: Self.entry("spent", event: .blocked, status: "blocked"))) }
            return (true, StateEffects(countSendFor: "alice", spendToken: "nonce-1", entry: Self.entry("ok")))
        }
        // When the same token is presented twice
        let first = try await store.decide(recipientScope: "alice", tokenID: "nonce-1", ledgerKey: nil, now: Self.t0, decision)
        let second = try await store.decide(recipientScope: "alice", tokenID: "nonce-1", ledgerKey: nil, now: Self.t0.addingTimeInterval(1), decision)
        // Then only the first spends it
        #expect(first.value)
        #expect(!second.value)
        // And another token is unaffected
        let other = try await store.decide(recipientScope: "alice", tokenID: "nonce-2", ledgerKey: nil, now: Self.t0, { snapshot in
            (snapshot.tokenSpent, StateEffects(entry: Self.entry("peek")))
        })
        #expect(other.value == false)
        #expect(try await count(store, "spent_tokens") == 1)
    }

    @Test func failedEffectsWriteNothing() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        _ = try await store.decide(recipientScope: "alice", tokenID: "n", ledgerKey: nil, now: Self.t0) { _ in
            ((), StateEffects(countSendFor: "alice", spendToken: "n", entry: Self.entry("first")))
        }
        // When a decision's effects cannot all be applied (its token is already spent)
        await #expect(throws: (any Error).self) {
            _ = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(1)) { _ in
                ((), StateEffects(countSendFor: "alice", spendToken: "n", entry: Self.entry("second")))
            }
        }
        // Then none of them were: no rate slot, no audit record
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(2)).globalMinute == 1)
        #expect(try await count(store, "rate_events") == 2)
        #expect(try await store.auditRecords(after: 0, limit: 10).map(\.seq) == [1])
        #expect(try await verdict(store) == .intact(count: 1))
    }

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

    @Test func appendsChainAndVerify() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        // A new store has its head sealed at 0, so wiping it later is visible.
        #expect(try await store.auditHead()?.seq == 0)
        #expect(try await verdict(store) == .intact(count: 0))
        for index in 0..<3 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0.addingTimeInterval(Double(index))) }
        for index in 0..<2 {
            _ = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(10 + Double(index))) { _ in
                ((), StateEffects(countSendFor: "alice", entry: Self.entry("d\(index)")))
            }
        }
        let records = try await store.auditRecords(after: 0, limit: 100)
        #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
        let head = try #require(try await store.auditHead())
        #expect(head.seq == 5)
        #expect(head.hash == records.last?.hash)
        #expect(try await verdict(store) == .intact(count: 5))
        #expect(try await store.auditTail(limit: 2).map(\.seq) == [4, 5])
        #expect(try await store.auditTail(limit: 100).map(\.seq) == [1, 2, 3, 4, 5])
        #expect(try await store.auditRecords(after: 2, limit: 2).map(\.seq) == [3, 4])
        #expect(try await store.auditRecords(after: 5, limit: 2).isEmpty)
    }

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

    // MARK: Concurrency

    @Test func concurrentDecisionsNeverExceedTheLimit() async throws {
        let directory = try TempDirectory()
        let store = try SQLiteStore(path: directory.database, key: Self.key)
        // When 50 tasks race for 10 slots
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask { try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(10, scope: "alice")).value }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        // Then exactly 10 win, every decision is on record, and the chain holds
        #expect(allowed == 10)
        #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0).globalMinute == 10)
        #expect(try await verdict(store) == .intact(count: 50))
    }

    @Test func twoStoresOnOneFileNeverExceedTheLimit() async throws {
        let directory = try TempDirectory()
        // Two pools on one file, as two processes would open it
        let first = try SQLiteStore(path: directory.database, key: Self.key)
        let second = try SQLiteStore(path: directory.database, key: Self.key)
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(10, scope: "alice")).value }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 10)
        #expect(try await first.rateCounts(recipientScope: "alice", now: Self.t0).globalMinute == 10)
        #expect(try await second.rateCounts(recipientScope: "alice", now: Self.t0).globalMinute == 10)
        #expect(try await verdict(first) == .intact(count: 50))
        #expect(try await verdict(second) == .intact(count: 50))
    }

    @Test func concurrentSpendsOfOneTokenSucceedOnce() async throws {
        let directory = try TempDirectory()
        let first = try SQLiteStore(path: directory.database, key: Self.key)
        let second = try SQLiteStore(path: directory.database, key: Self.key)
        let decision: @Sendable (StateSnapshot) -> (Bool, StateEffects) = { snapshot in
            if snapshot.tokenSpent { return (false, StateEffects(entry: Self.entry("spent", event: .blocked, status: "blocked"))) }
            return (true, StateEffects(countSendFor: "alice", spendToken: "shared", entry: Self.entry("ok")))
        }
        let spent = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.decide(recipientScope: "alice", tokenID: "shared", ledgerKey: nil, now: Self.t0, decision).value }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(spent == 1)
    }
}

private typealias SeededStoreGenerator = SeededGenerator

/// The sealed message tails kept for the split-secret check.
@Suite struct MessageTailTests {
    @Test func aTailIsReadWithinItsWindowReplacedAndForgotten() async throws {
        let path = NSTemporaryDirectory() + "gatehouse-tails-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path, key: AuditChainKey(bytes: Array(repeating: 7, count: 32)))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.saveMessageTail(scope: "r:a", sealed: [1, 2, 3], now: t0, forgetBefore: t0.addingTimeInterval(-120))
        // Read back within the window, not after it, and never another scope's.
        #expect(try await store.messageTail(scope: "r:a", since: t0.addingTimeInterval(-60)) == [1, 2, 3])
        #expect(try await store.messageTail(scope: "r:a", since: t0.addingTimeInterval(1)) == nil)
        #expect(try await store.messageTail(scope: "r:b", since: .distantPast) == nil)
        // A newer save replaces it, and an old tail of another scope is deleted by the next save.
        try await store.saveMessageTail(scope: "r:b", sealed: [9], now: t0, forgetBefore: t0.addingTimeInterval(-120))
        let later = t0.addingTimeInterval(300)
        try await store.saveMessageTail(scope: "r:a", sealed: [4], now: later, forgetBefore: later.addingTimeInterval(-120))
        #expect(try await store.messageTail(scope: "r:a", since: .distantPast) == [4])
        #expect(try await store.messageTail(scope: "r:b", since: .distantPast) == nil)
    }
}
