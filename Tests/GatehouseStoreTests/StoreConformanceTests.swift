import Foundation
import GatehouseCore
import GatehousePostgres
import GatehouseStore
import GatehouseTesting
import Testing

/// The engines behind `StateStore`; every conformance test runs once on each.
enum Engine: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// One database for one test, which any number of store instances may open, as processes would.
actor TestDatabase {
    let engine: Engine
    /// A file path (SQLite) or a URL (PostgreSQL).
    let location: String
    private var opened: [PostgresStore] = []

    static let key = AuditChainKey(bytes: Array(repeating: 0x5A, count: 32))

    private init(engine: Engine, location: String) {
        self.engine = engine
        self.location = location
    }

    static func make(_ engine: Engine) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-conformance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return TestDatabase(engine: engine, location: directory.appendingPathComponent("gatehouse.sqlite").path)
        case .postgres:
            return TestDatabase(engine: engine, location: try await PostgresServer.makeDatabase())
        }
    }

    /// A new store instance on this database.
    func open() async throws -> any StateStore {
        switch engine {
        case .sqlite:
            return try SQLiteStore(path: location, key: Self.key)
        case .postgres:
            let store = try await PostgresStore.connect(url: location, key: Self.key)
            opened.append(store)
            return store
        }
    }

    /// Closes every store opened here and removes the database.
    func finish() async throws {
        switch engine {
        case .sqlite:
            try FileManager.default.removeItem(atPath: (location as NSString).deletingLastPathComponent)
        case .postgres:
            for store in opened { await store.close() }
            opened = []
            try await PostgresServer.dropDatabase(location)
        }
    }
}

/// Runs `body` on a fresh database of `engine`, then closes its stores and removes it, even when `body` throws.
func withDatabase(_ engine: Engine, _ body: (TestDatabase) async throws -> Void) async throws {
    let database = try await TestDatabase.make(engine)
    do {
        try await body(database)
    } catch {
        try? await database.finish()
        throw error
    }
    try await database.finish()
}

/// `StateStore`'s contract, written once and run against every engine.
@Suite struct StoreConformanceTests {
    static let key = TestDatabase.key
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func entry(_ label: String, event: AuditEntry.Event = .attempt, status: String = "attempted") -> AuditEntry {
        AuditEntry(event: event, tool: "wa_send_message", decisionID: label, status: status)
    }

    /// The decision the service makes: allow while the global minute has room, counting the send.
    static func allowUnder(_ limit: Int, scope: String) -> @Sendable (StateSnapshot) -> (Bool, StateEffects) {
        { snapshot in
            if snapshot.rates.globalMinute < limit {
                return (true, StateEffects(countSendFor: scope, entry: entry("allow")))
            }
            return (false, StateEffects(entry: entry("deny", event: .blocked, status: "blocked")))
        }
    }

    /// A decision that records `label` and writes `effects`, returning the snapshot it saw.
    static func recording(
        _ label: String, countSendFor: String? = nil, spendToken: String? = nil, reserve: LedgerReservation? = nil
    ) -> @Sendable (StateSnapshot) -> (StateSnapshot, StateEffects) {
        { snapshot in
            (snapshot, StateEffects(countSendFor: countSendFor, spendToken: spendToken, reserve: reserve, entry: entry(label)))
        }
    }

    static func settlement(_ key: String, _ state: LedgerEntry.State = .sent, tail: Settlement.Tail? = nil) -> Settlement {
        Settlement(key: key, state: state, detail: "transport said \(state.rawValue)", entry: entry("outcome", event: .outcome, status: state.rawValue), tail: tail)
    }

    /// The whole kept log checked as `audit verify` does: from the anchor, if pruned, to the sealed head.
    func verdict(_ store: any StateStore) async throws -> AuditChain.Verdict {
        var verifier = AuditChain.Verifier(key: Self.key, after: try await store.auditAnchor())
        for record in try await store.auditRecords(after: 0, limit: 100_000) {
            if let broken = verifier.feed(record) { return broken }
        }
        return verifier.finish(head: try await store.auditHead())
    }

    /// Whether `token` is spent, as a decision sees it. The protocol reads tokens only inside `decide`,
    /// so this appends one record (a "peek") that the caller counts.
    func isSpent(_ token: String, in store: any StateStore) async throws -> Bool {
        try await store.decide(recipientScope: "peek", tokenID: token, ledgerKey: nil, now: Self.t0, Self.recording("peek")).value.tokenSpent
    }

    // MARK: Opening

    @Test(arguments: [Engine.sqlite, .postgres])
    func aFreshStoreVerifies(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            // A new store has its head sealed at 0, so wiping it later is visible.
            let head = try await store.auditHead()
            #expect(head == AuditHead(seq: 0, hash: AuditChain.genesis, seal: AuditChain.headSeal(seq: 0, hash: AuditChain.genesis, key: Self.key)))
            #expect(try await verdict(store) == .intact(count: 0))
            #expect(try await store.auditTail(limit: 10).isEmpty)
            #expect(try await store.auditAnchor() == nil)
            #expect(try await store.pendingSends(limit: 10).isEmpty)
            #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0) == RateCounts())
            // Opening it again neither migrates twice nor reseals the head over a longer chain.
            _ = try await store.append(Self.entry("a"), now: Self.t0)
            let again = try await database.open()
            #expect(try await again.auditHead()?.seq == 1)
            #expect(try await verdict(again) == .intact(count: 1))
        }
    }

    // MARK: Audit chain

    @Test(arguments: [Engine.sqlite, .postgres])
    func appendsChainAndVerify(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            for index in 0..<3 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0.addingTimeInterval(Double(index))) }
            for index in 0..<2 {
                let result = try await store.decide(
                    recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(10 + Double(index)),
                    Self.recording("d\(index)", countSendFor: "alice"))
                #expect(result.record.seq == 4 + index)
                #expect(JSONParser.parse(result.record.record)?["decision_id"]?.stringValue == "d\(index)")
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
            // Another instance reads the same chain, and another key cannot vouch for it.
            let other = try await database.open()
            #expect(try await other.auditRecords(after: 0, limit: 100) == records)
            let wrongKey = AuditChainKey(bytes: Array(repeating: 0x5B, count: 32))
            #expect(AuditChain.verify(records, head: head, key: wrongKey) != .intact(count: 5))
        }
    }

    // MARK: Rate windows

    @Test(arguments: [Engine.sqlite, .postgres])
    func rateWindowsCountPerMinuteAndHourGloballyAndPerRecipient(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            // Given one counted send to alice at t0
            let result = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(10, scope: "alice"))
            #expect(result.value)
            // Then it counts in both alice's and the global windows, for a minute and for an hour
            func counts(_ scope: String, _ offset: TimeInterval) async throws -> RateCounts {
                try await store.rateCounts(recipientScope: scope, now: Self.t0.addingTimeInterval(offset))
            }
            #expect(try await counts("alice", 30) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1))
            #expect(try await counts("bob", 30) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 0, recipientHour: 0))
            #expect(try await counts("alice", 59.5) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1))
            #expect(try await counts("alice", 60) == RateCounts(globalMinute: 0, globalHour: 1, recipientMinute: 0, recipientHour: 1))
            #expect(try await counts("alice", 3599) == RateCounts(globalMinute: 0, globalHour: 1, recipientMinute: 0, recipientHour: 1))
            #expect(try await counts("alice", 3600) == RateCounts())
            // The global scope asked for as a recipient is the global window itself
            #expect(try await counts("*", 30) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1))
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func decideReadsTheWindowsInsideItsTransaction(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            var seen: [RateCounts] = []
            for (offset, scope) in [(0.0, "alice"), (10, "alice"), (20, "bob"), (70, "alice"), (3630, "alice")] {
                let result = try await store.decide(
                    recipientScope: scope, tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(offset),
                    Self.recording("d", countSendFor: scope))
                seen.append(result.value.rates)
            }
            #expect(seen == [
                RateCounts(),
                RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1),
                RateCounts(globalMinute: 2, globalHour: 2, recipientMinute: 0, recipientHour: 0),
                // at t0+70 the first two (t0, t0+10) left the minute; bob's (t0+20) is still in it
                RateCounts(globalMinute: 1, globalHour: 3, recipientMinute: 0, recipientHour: 2),
                // at t0+3630 only the send at t0+70 is within the hour
                RateCounts(globalMinute: 0, globalHour: 1, recipientMinute: 0, recipientHour: 1),
            ])
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func aDeniedDecisionTakesNoRateSlot(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let result = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(0, scope: "alice"))
            #expect(result.value == false)
            #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0) == RateCounts())
            #expect(try await store.auditRecords(after: 0, limit: 10).map(\.seq) == [1])
        }
    }

    // MARK: Tokens

    @Test(arguments: [Engine.sqlite, .postgres])
    func aTokenIsSpentOnce(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let decision: @Sendable (StateSnapshot) -> (Bool, StateEffects) = { snapshot in
                if snapshot.tokenSpent { return (false, StateEffects(entry: Self.entry("spent", event: .blocked, status: "blocked"))) }
                return (true, StateEffects(countSendFor: "alice", spendToken: "nonce-1", entry: Self.entry("ok")))
            }
            // When the same token is presented twice
            let first = try await store.decide(recipientScope: "alice", tokenID: "nonce-1", ledgerKey: nil, now: Self.t0, decision)
            let second = try await store.decide(recipientScope: "alice", tokenID: "nonce-1", ledgerKey: nil, now: Self.t0.addingTimeInterval(1), decision)
            // Then only the first spends it, and another instance sees it spent too
            #expect(first.value)
            #expect(!second.value)
            #expect(try await isSpent("nonce-1", in: try await database.open()))
            // And another token is unaffected
            #expect(try await isSpent("nonce-2", in: store) == false)
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func aTokenRacedFromTwoInstancesIsSpentOnce(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let first = try await database.open()
            let second = try await database.open()
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
            #expect(try await verdict(first) == .intact(count: 20))
        }
    }

    // MARK: Idempotency ledger

    @Test(arguments: [Engine.sqlite, .postgres])
    func theLedgerReservesInDecideAndSettlesOnce(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let reservedAt = Self.t0.addingTimeInterval(0.25)
            // Given a send reserved by its decision
            let reserve = LedgerReservation(key: "k1", requestHash: "h1")
            let attempt = try await store.decide(
                recipientScope: "alice", tokenID: nil, ledgerKey: "k1", now: reservedAt, Self.recording("attempt", countSendFor: "alice", reserve: reserve))
            #expect(attempt.value.ledger == nil)
            let pending = LedgerEntry(key: "k1", requestHash: "h1", attemptSeq: attempt.record.seq, state: .pending, createdAt: reservedAt)
            #expect(try await store.ledgerEntry(key: "k1") == pending)
            #expect(try await store.ledgerEntry(key: "k2") == nil)
            // Then a later decision with that key sees it, one with another key does not
            let retry = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: "k1", now: Self.t0.addingTimeInterval(1), Self.recording("retry"))
            #expect(retry.value.ledger == pending)
            let other = try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: "k2", now: Self.t0.addingTimeInterval(1), Self.recording("other"))
            #expect(other.value.ledger == nil)

            // When its outcome is recorded
            let outcome = try await store.settle(Self.settlement("k1"), now: Self.t0.addingTimeInterval(2))
            #expect(outcome.seq == 4)
            let sent = LedgerEntry(
                key: "k1", requestHash: "h1", attemptSeq: attempt.record.seq, state: .sent, detail: "transport said sent", outcomeSeq: outcome.seq,
                createdAt: reservedAt)
            #expect(try await store.ledgerEntry(key: "k1") == sent)
            #expect(try await store.pendingSends(limit: 10).isEmpty)

            // Then a second outcome, or one for a key never reserved, is refused and writes nothing
            await #expect(throws: (any Error).self) { _ = try await store.settle(Self.settlement("k1", .failed), now: Self.t0.addingTimeInterval(3)) }
            await #expect(throws: (any Error).self) { _ = try await store.settle(Self.settlement("nope"), now: Self.t0.addingTimeInterval(3)) }
            #expect(try await store.ledgerEntry(key: "k1") == sent)
            #expect(try await store.ledgerEntry(key: "nope") == nil)
            #expect(try await store.auditRecords(after: 0, limit: 100).map(\.seq) == [1, 2, 3, 4])
            #expect(try await verdict(store) == .intact(count: 4))
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func pendingSendsAreOldestFirstAndOnlyPending(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            for (index, key) in ["k1", "k2", "k3", "k4"].enumerated() {
                _ = try await store.append(Self.entry("filler\(index)"), now: Self.t0)
                _ = try await store.decide(
                    recipientScope: "alice", tokenID: nil, ledgerKey: key, now: Self.t0.addingTimeInterval(Double(10 - index)),
                    Self.recording(key, reserve: LedgerReservation(key: key, requestHash: "h-\(key)")))
            }
            _ = try await store.settle(Self.settlement("k2"), now: Self.t0.addingTimeInterval(20))
            _ = try await store.settle(Self.settlement("k4", .failed), now: Self.t0.addingTimeInterval(20))
            // Oldest attempt first (by sequence, not by the clock), settled ones left out
            let pending = try await store.pendingSends(limit: 10)
            #expect(pending.map(\.key) == ["k1", "k3"])
            #expect(pending.map(\.attemptSeq) == [2, 6])
            #expect(pending.allSatisfy { $0.state == .pending && $0.outcomeSeq == nil && $0.detail == nil })
            #expect(try await store.pendingSends(limit: 1).map(\.key) == ["k1"])
            #expect(try await store.ledgerEntry(key: "k4")?.state == .failed)
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func aKeyRacedFromTwoInstancesIsReservedOnce(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let first = try await database.open()
            let second = try await database.open()
            // The service's rule: reserve unless the snapshot shows the key taken (then replay).
            let decision: @Sendable (StateSnapshot) -> (Bool, StateEffects) = { snapshot in
                if snapshot.ledger != nil { return (false, StateEffects(entry: Self.entry("replayed", event: .replayed, status: "unknown"))) }
                return (true, StateEffects(reserve: LedgerReservation(key: "shared", requestHash: "h"), entry: Self.entry("attempt")))
            }
            let reserved = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: "shared", now: Self.t0, decision).value }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(reserved == 1)
            #expect(try await first.pendingSends(limit: 10).count == 1)
            #expect(try await verdict(second) == .intact(count: 20))
        }
    }

    // MARK: Failed effects

    @Test(arguments: [Engine.sqlite, .postgres])
    func aDecisionWhoseEffectsFailWritesNothing(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            let first = try await store.decide(
                recipientScope: "alice", tokenID: nil, ledgerKey: "k1", now: Self.t0,
                Self.recording("first", countSendFor: "alice", spendToken: "spent", reserve: LedgerReservation(key: "k1", requestHash: "h1")))
            // When a decision reserves a key already reserved, along with a rate slot and a fresh token
            await #expect(throws: (any Error).self) {
                _ = try await store.decide(
                    recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(1),
                    Self.recording("second", countSendFor: "alice", spendToken: "fresh", reserve: LedgerReservation(key: "k1", requestHash: "h2")))
            }
            // Or spends a token already spent
            await #expect(throws: (any Error).self) {
                _ = try await store.decide(
                    recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0.addingTimeInterval(1),
                    Self.recording("third", countSendFor: "alice", spendToken: "spent", reserve: LedgerReservation(key: "k3", requestHash: "h3")))
            }
            // Then none of either was written: no audit record, no rate event, no token, no reservation
            #expect(try await store.auditRecords(after: 0, limit: 10) == [first.record])
            #expect(try await store.auditHead()?.seq == 1)
            #expect(try await store.rateCounts(recipientScope: "alice", now: Self.t0.addingTimeInterval(2)) == RateCounts(globalMinute: 1, globalHour: 1, recipientMinute: 1, recipientHour: 1))
            #expect(try await store.ledgerEntry(key: "k1")?.requestHash == "h1")
            #expect(try await store.ledgerEntry(key: "k3") == nil)
            #expect(try await isSpent("fresh", in: store) == false)
            #expect(try await verdict(store) == .intact(count: 2))  // the first decision and the peek
        }
    }

    // MARK: Message tails

    @Test(arguments: [Engine.sqlite, .postgres])
    func messageTailsAreReadWithinTheirWindowReplacedAndForgotten(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            try await store.saveMessageTail(scope: "r:a", sealed: [1, 2, 3, 0, 255], now: Self.t0, forgetBefore: Self.t0.addingTimeInterval(-120))
            // Read back within the window, not after it, and never another scope's.
            #expect(try await store.messageTail(scope: "r:a", since: Self.t0.addingTimeInterval(-60)) == [1, 2, 3, 0, 255])
            #expect(try await store.messageTail(scope: "r:a", since: Self.t0) == [1, 2, 3, 0, 255])
            #expect(try await store.messageTail(scope: "r:a", since: Self.t0.addingTimeInterval(1)) == nil)
            #expect(try await store.messageTail(scope: "r:b", since: .distantPast) == nil)
            // A newer save replaces it, and an old tail of another scope is deleted by the next save.
            try await store.saveMessageTail(scope: "r:b", sealed: [9], now: Self.t0, forgetBefore: Self.t0.addingTimeInterval(-120))
            let later = Self.t0.addingTimeInterval(300)
            try await store.saveMessageTail(scope: "r:a", sealed: [4], now: later, forgetBefore: later.addingTimeInterval(-120))
            #expect(try await store.messageTail(scope: "r:a", since: .distantPast) == [4])
            #expect(try await store.messageTail(scope: "r:b", since: .distantPast) == nil)
            // A settlement saves its tail in the same transaction
            _ = try await store.decide(
                recipientScope: "carol", tokenID: nil, ledgerKey: "k", now: later,
                Self.recording("attempt", reserve: LedgerReservation(key: "k", requestHash: "h")))
            let tail = Settlement.Tail(scope: "r:c", sealed: [7, 7], forgetBefore: later.addingTimeInterval(-120))
            _ = try await store.settle(Self.settlement("k", tail: tail), now: later.addingTimeInterval(1))
            #expect(try await store.messageTail(scope: "r:c", since: later) == [7, 7])
            #expect(try await store.messageTail(scope: "r:a", since: .distantPast) == [4])
        }
    }

    // MARK: Pruning

    @Test(arguments: [Engine.sqlite, .postgres])
    func pruneRefusesAWrongAnchorOrAPendingAttemptAndKeepsTheRestVerifiable(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            // Given records 1...5, record 3 the attempt of a pending send
            for index in 1...2 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0) }
            _ = try await store.decide(
                recipientScope: "alice", tokenID: nil, ledgerKey: "k", now: Self.t0, Self.recording("attempt", reserve: LedgerReservation(key: "k", requestHash: "h")))
            for index in 4...5 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0) }
            let records = try await store.auditRecords(after: 0, limit: 100)
            func anchor(_ seq: Int, hash: String? = nil) -> AuditAnchor {
                AuditAnchor(seq: seq, hash: hash ?? records[seq - 1].hash, checkpoint: "{\"count\":\(seq)}")
            }

            // A wrong hash, a record not in the log, and a pending attempt at or below the anchor are refused
            await #expect(throws: (any Error).self) { _ = try await store.pruneAudit(to: anchor(2, hash: records[0].hash)) }
            await #expect(throws: (any Error).self) { _ = try await store.pruneAudit(to: AuditAnchor(seq: 9, hash: records[4].hash, checkpoint: "{}")) }
            await #expect(throws: (any Error).self) { _ = try await store.pruneAudit(to: anchor(3)) }
            await #expect(throws: (any Error).self) { _ = try await store.pruneAudit(to: anchor(4)) }
            #expect(try await store.auditRecords(after: 0, limit: 100) == records)
            #expect(try await store.auditAnchor() == nil)

            // When pruned to record 2
            #expect(try await store.pruneAudit(to: anchor(2)) == 2)
            // Then the prefix is gone, the anchor kept, and the rest verifies from it (but not from genesis)
            #expect(try await store.auditRecords(after: 0, limit: 100).map(\.seq) == [3, 4, 5])
            #expect(try await store.auditAnchor() == anchor(2))
            #expect(try await verdict(store) == .intact(count: 5))
            var fromGenesis = AuditChain.Verifier(key: Self.key)
            #expect(fromGenesis.feed(try #require(try await store.auditRecords(after: 0, limit: 1).first)) != nil)
            // A record already dropped can no longer anchor
            await #expect(throws: (any Error).self) { _ = try await store.pruneAudit(to: anchor(1)) }

            // When the attempt is settled, pruning past it is allowed
            _ = try await store.settle(Self.settlement("k"), now: Self.t0.addingTimeInterval(1))
            #expect(try await store.pruneAudit(to: anchor(4)) == 2)
            #expect(try await store.auditRecords(after: 0, limit: 100).map(\.seq) == [5, 6])
            #expect(try await store.auditAnchor() == anchor(4))
            #expect(try await verdict(try await database.open()) == .intact(count: 6))
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func theChainGoesOnFromTheAnchorWhenEverythingWasPruned(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let store = try await database.open()
            for index in 1...3 { _ = try await store.append(Self.entry("a\(index)"), now: Self.t0) }
            let last = try #require(try await store.auditTail(limit: 1).first)
            #expect(try await store.pruneAudit(to: AuditAnchor(seq: 3, hash: last.hash, checkpoint: "{}")) == 3)
            #expect(try await store.auditRecords(after: 0, limit: 10).isEmpty)
            #expect(try await verdict(store) == .intact(count: 3))
            // The next record follows the anchor, not genesis
            let next = try await store.append(Self.entry("a4"), now: Self.t0)
            #expect(next.seq == 4)
            #expect(JSONParser.parse(next.record)?["prev_hash"]?.stringValue == last.hash)
            #expect(try await verdict(store) == .intact(count: 4))
        }
    }

    // MARK: Races between instances

    @Test(arguments: [Engine.sqlite, .postgres])
    func fortyRacingDecisionsFromTwoInstancesDeliverExactlyTheLimit(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            // Two instances on one database, as two processes would open it
            let first = try await database.open()
            let second = try await database.open()
            // When 40 decisions race for 10 slots in the minute
            let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.decide(recipientScope: "alice", tokenID: nil, ledgerKey: nil, now: Self.t0, Self.allowUnder(10, scope: "alice")).value
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            // Then exactly 10 win, every decision is on record, and the chain holds
            #expect(allowed == 10)
            #expect(try await first.rateCounts(recipientScope: "alice", now: Self.t0).globalMinute == 10)
            #expect(try await second.rateCounts(recipientScope: "alice", now: Self.t0).recipientMinute == 10)
            #expect(try await verdict(first) == .intact(count: 40))
        }
    }

    @Test(arguments: [Engine.sqlite, .postgres])
    func appendsRacedFromTwoInstancesLeaveOneLinearChain(_ engine: Engine) async throws {
        try await withDatabase(engine) { database in
            let first = try await database.open()
            let second = try await database.open()
            let seqs = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await store.append(Self.entry("r\(index)"), now: Self.t0).seq }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Every append got its own sequence number, with no gap and no fork
            #expect(seqs.sorted() == Array(1...50))
            let records = try await second.auditRecords(after: 0, limit: 100)
            let labels = records.compactMap { JSONParser.parse($0.record)?["decision_id"]?.stringValue }
            #expect(Set(labels) == Set((0..<50).map { "r\($0)" }))
            #expect(try await verdict(first) == .intact(count: 50))
        }
    }
}
