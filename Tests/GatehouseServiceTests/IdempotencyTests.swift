import Foundation
import GatehouseCore
import GatehouseService
import GatehouseStore
import Testing

/// Exactly-once sends: the idempotency ledger on the real send path (real SQLite store, recording transport).
@Suite struct IdempotencyTests {
    func keyed(_ world: World, _ message: String, key: String, to recipient: String = "Alice") -> SendRequest {
        var request = world.text(recipient, message)
        request.idempotencyKey = key
        return request
    }

    @Test func aRetryWithTheSameKeyAnswersTheFirstOutcomeAndNeverSendsAgain() async throws {
        let world = try World(config: World.baseConfig)
        let first = await world.service.send(keyed(world, "Lunch at one?", key: "k-1"))
        #expect(first.status == .sent && !first.replayed)
        let again = await world.service.send(keyed(world, "Lunch at one?", key: "k-1"))
        #expect(again.status == .sent && again.replayed)
        #expect(again.attemptSeq == first.attemptSeq)
        #expect(world.transport.sends.count == 1)
        // Counted once against the limits, and the replay is in the audit.
        let counts = try await world.store.rateCounts(recipientScope: "unused", now: world.clock.now)
        #expect(counts.globalMinute == 1)
        let last = try #require(try await world.records().last)
        #expect(last["event"]?.stringValue == "replayed" && last["status"]?.stringValue == "sent")
        #expect(last["attempt_seq"]?.intValue == first.attemptSeq)
    }

    @Test func aKeyCannotCarryADifferentSend() async throws {
        let world = try World(config: World.baseConfig)
        _ = await world.service.send(keyed(world, "Lunch at one?", key: "k-1"))
        let other = await world.service.send(keyed(world, "Lunch at two?", key: "k-1"))
        #expect(other.status == .blocked)
        #expect(other.reasons.first?.code == .idempotencyConflict)
        #expect(world.transport.sends.count == 1)
        // Different keys are different sends.
        let second = await world.service.send(keyed(world, "Lunch at one?", key: "k-2"))
        #expect(second.status == .sent && !second.replayed)
        #expect(world.transport.sends.count == 2)
    }

    @Test func theKeyItselfIsNeverStored() async throws {
        let world = try World(config: World.baseConfig)
        _ = await world.service.send(keyed(world, "Hello", key: "my-very-own-key-123"))
        let pool = try DatabaseFile(path: world.state.databasePath)
        #expect(!pool.contains("my-very-own-key-123"))
    }

    @Test func aRefusedCallReservesNothing() async throws {
        let world = try World(config: World.baseConfig.replacingOccurrences(of: "per_minute: 10", with: "per_minute: 1"))
        _ = await world.service.send(keyed(world, "one", key: "a"))
        let refused = await world.service.send(keyed(world, "two", key: "b"))
        #expect(refused.status == .blocked && refused.reasons.first?.check == .rateLimit)
        world.clock.advance(by: 61)
        let retried = await world.service.send(keyed(world, "two", key: "b"))
        #expect(retried.status == .sent && !retried.replayed)
        #expect(world.transport.sends.count == 2)
    }

    @Test func aSendWithoutOutcomeAnswersUnknownUntilAPersonResolvesIt() async throws {
        let directory = NSTemporaryDirectory() + "gatehouse-idem-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = AuditChainKey(bytes: Array(repeating: 7, count: 32))
        let real = try SQLiteStore(path: directory + "/s.sqlite", key: key)
        // The process "dies" after the transport answered: the outcome is never recorded.
        let world = try World(config: World.baseConfig, store: OutcomeLosingStore(real))
        let first = await world.service.send(keyed(world, "Invoice attached", key: "inv-9"))
        #expect(first.status == .sent)
        #expect(first.warnings.contains { $0.contains("outcome could not be recorded") })

        let pending = try await real.pendingSends(limit: 10)
        #expect(pending.count == 1 && pending.first?.attemptSeq == first.attemptSeq)
        let retry = await world.service.send(keyed(world, "Invoice attached", key: "inv-9"))
        #expect(retry.status == .unknown && !retry.sent)
        #expect(world.transport.sends.count == 1)

        // The owner checks and records that it arrived; the next retry answers that.
        let entry = try #require(pending.first)
        var resolution = AuditEntry(event: .resolved, tool: "wa_send_message", decisionID: "d", status: "sent")
        resolution.attemptSeq = entry.attemptSeq
        _ = try await real.settle(Settlement(key: entry.key, state: .sent, detail: "checked by hand", entry: resolution), now: Date())
        let settled = await world.service.send(keyed(world, "Invoice attached", key: "inv-9"))
        #expect(settled.status == .sent && settled.replayed)
        #expect(world.transport.sends.count == 1)
        #expect(try await real.pendingSends(limit: 10).isEmpty)
    }

    @Test func everyAllowedSendIsInTheLedgerUntilItsOutcomeIsRecorded() async throws {
        let world = try World(config: World.baseConfig)
        _ = await world.service.send(world.text("Alice", "no key given"))
        #expect(try await world.store.pendingSends(limit: 10).isEmpty)
        let blocked = await world.service.send(world.text("+44 7700 900999", "a stranger"))
        #expect(blocked.status == .blocked)
        #expect(try await world.store.pendingSends(limit: 10).isEmpty)
    }
}

/// Passes everything to a real store but loses every outcome, as a crash after the transport call would.
struct OutcomeLosingStore: StateStore {
    struct Crash: Error {}
    let inner: SQLiteStore
    init(_ inner: SQLiteStore) { self.inner = inner }

    func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, ledgerKey: String?, now: Date,
        _ decide: @escaping @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord) {
        try await inner.decide(recipientScope: recipientScope, tokenID: tokenID, ledgerKey: ledgerKey, now: now, decide)
    }
    func ledgerEntry(key: String) async throws -> LedgerEntry? { try await inner.ledgerEntry(key: key) }
    func transact<Value: Sendable>(
        reading keys: Set<RecordKey>, kinds: Set<String>, now: Date,
        _ change: @escaping @Sendable (RecordSnapshot) throws -> RecordChange<Value>
    ) async throws -> (value: Value, records: [AuditRecord]) {
        try await inner.transact(reading: keys, kinds: kinds, now: now, change)
    }
    func records(kind: String) async throws -> [String: String] { try await inner.records(kind: kind) }
    func settle(_ settlement: Settlement, now: Date) async throws -> AuditRecord { throw Crash() }
    func pendingSends(limit: Int) async throws -> [LedgerEntry] { try await inner.pendingSends(limit: limit) }
    func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts {
        try await inner.rateCounts(recipientScope: recipientScope, now: now)
    }
    func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord { try await inner.append(entry, now: now) }
    func auditTail(limit: Int) async throws -> [AuditRecord] { try await inner.auditTail(limit: limit) }
    func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord] { try await inner.auditRecords(after: after, limit: limit) }
    func auditHead() async throws -> AuditHead? { try await inner.auditHead() }
    func auditAnchor() async throws -> AuditAnchor? { try await inner.auditAnchor() }
    func pruneAudit(to anchor: AuditAnchor) async throws -> Int { try await inner.pruneAudit(to: anchor) }
    func messageTail(scope: String, since: Date) async throws -> [UInt8]? { try await inner.messageTail(scope: scope, since: since) }
    func saveMessageTail(scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) async throws {
        try await inner.saveMessageTail(scope: scope, sealed: sealed, now: now, forgetBefore: forgetBefore)
    }
}

/// The raw bytes of a store file and its WAL, to show what never reaches the disk.
struct DatabaseFile {
    let bytes: Data
    init(path: String) throws {
        bytes = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
    }
    func contains(_ text: String) -> Bool { bytes.range(of: Data(text.utf8)) != nil }
}
