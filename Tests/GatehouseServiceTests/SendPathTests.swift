import Foundation
@testable import GatehouseCore
import GatehouseStore
import Logging
import Synchronization
import Testing

@testable import GatehouseService

/// The send path end to end in process: real config file, real SQLite store, fake transport.
@Suite struct SendPathTests {
    @Test func allowedSendIsAuditedBeforeTheTransportAndItsOutcomeAfter() async throws {
        let world = try World(config: World.baseConfig)
        let report = await world.service.send(world.text("Alice", "Running late"))
        #expect(report.status == .sent)
        #expect(world.transport.sends.count == 1)
        // What the store held at the moment the transport was called: the attempt, already durable.
        let seen = try #require(world.transport.lastRecordAtSend)
        #expect(seen["event"]?.stringValue == "attempt")
        #expect(seen["status"]?.stringValue == "attempted")
        let records = try await world.records()
        #expect(records.map { $0["event"]?.stringValue } == ["attempt", "outcome"])
        #expect(records[1]["attempt_seq"]?.intValue == 1)
        #expect(records[1]["status"]?.stringValue == "sent")
    }

    @Test func aStoreThatCannotBeWrittenSendsNothing() async throws {
        let world = try World(config: World.baseConfig, store: BrokenStore())
        let report = await world.service.send(world.text("Alice", "Running late"))
        #expect(report.status == .blocked)
        #expect(report.reasons.map(\.code).contains(.storeUnavailable))
        #expect(world.transport.sends.isEmpty)
    }

    @Test func anInvalidConfigRefusesEverySendAndSaysWhy() async throws {
        let world = try World(config: World.baseConfig.replacingOccurrences(of: "allow_unlisted: false", with: "allow_unlisted: \"false\""))
        let report = await world.service.send(world.text("Alice", "hi"))
        #expect(report.reasons.first?.code == .configInvalid)
        #expect(report.reasons.first?.detail.contains("allow_unlisted") == true)
        #expect(world.transport.sends.isEmpty)
        #expect(try await world.records().last?["status"]?.stringValue == "blocked")
    }

    @Test func aTransportFailureIsRecordedAsFailed() async throws {
        let world = try World(config: World.baseConfig, transportFails: true)
        let report = await world.service.send(world.text("Alice", "hi"))
        #expect(report.status == .failed)
        #expect(report.reasons.first?.code == .transportFailed)
        let outcome = try #require(try await world.records().last)
        #expect(outcome["event"]?.stringValue == "outcome")
        #expect(outcome["status"]?.stringValue == "failed")
    }

    @Test func confirmationTokensAreBoundSingleUseAndExpire() async throws {
        let world = try World(config: World.baseConfig.replacingOccurrences(of: "require_confirm_for: [unlisted]", with: "require_confirm_for: [messages]"))
        let withoutToken = await world.service.send(world.text("Alice", "Pay the invoice"))
        #expect(withoutToken.status == .needsConfirmation)
        #expect(withoutToken.confirmToken == nil)

        let preview = await world.service.preview(world.text("Alice", "Pay the invoice"))
        let token = try #require(preview.confirmToken)
        #expect(preview.status == .needsConfirmation)

        let changed = await world.service.send(world.text("Alice", "Pay the invoice twice", token: token))
        #expect(changed.reasons.first?.code == .confirmationInvalid)
        let good = await world.service.send(world.text("Alice", "Pay the invoice", token: token))
        #expect(good.status == .sent)
        // The token doubles as an idempotency key: a repeat answers with the first outcome, never sends again,
        // and the spent token cannot carry another send.
        let replay = await world.service.send(world.text("Alice", "Pay the invoice", token: token))
        #expect(replay.status == .sent && replay.replayed)
        #expect(replay.attemptSeq == good.attemptSeq)
        let reused = await world.service.send(world.text("Alice", "Pay the invoice twice", token: token))
        #expect(reused.status == .blocked && reused.reasons.first?.code == .idempotencyConflict)

        let late = try #require(await world.service.preview(world.text("Alice", "Later")).confirmToken)
        world.clock.advance(by: 601)
        let expired = await world.service.send(world.text("Alice", "Later", token: late))
        #expect(expired.reasons.first?.code == .confirmationInvalid)
        #expect(world.transport.sends.count == 1)
    }

    @Test func aBlockedSecretNeverReachesTheAuditInClear() async throws {
        let world = try World(config: World.baseConfig, scanner: MarkerScanner(marker: "SECRETVALUE123"))
        let report = await world.service.send(world.text("Alice", "the key is SECRETVALUE123 ok"))
        #expect(report.reasons.first?.code == .contentSecret)
        #expect(!report.summaryFields.contains("SECRETVALUE123"))
        #expect(world.transport.sends.isEmpty)
        let stored = try await world.service.auditTail(limit: 10).map(\.record).joined()
        #expect(!stored.contains("SECRETVALUE123"))
        #expect(stored.contains("[REDACTED:marker]"))
        let database = try Data(contentsOf: URL(fileURLWithPath: world.state.databasePath))
        #expect(database.range(of: Data("SECRETVALUE123".utf8)) == nil)
    }

    @Test func rateLimitsCountOnlySendsThatReachTheTransport() async throws {
        let world = try World(config: World.baseConfig.replacingOccurrences(of: "per_minute: 10", with: "per_minute: 3"))
        _ = await world.service.send(world.text("+1 202 555 0143", "stranger"))  // refused: must not count
        var statuses: [SendReport.Status] = []
        for index in 0..<5 { statuses.append(await world.service.send(world.text("Alice", "message \(index)")).status) }
        #expect(statuses == [.sent, .sent, .sent, .blocked, .blocked])
        #expect(world.transport.sends.count == 3)
        let refused = await world.service.send(world.text("Alice", "one more"))
        #expect(refused.reasons.first?.code == .rateGlobalMinute)
        world.clock.advance(by: 61)
        #expect(await world.service.send(world.text("Alice", "a minute later")).status == .sent)
    }

    @Test func concurrentSendsNeverExceedTheLimit() async throws {
        let world = try World(config: World.baseConfig)
        let sent = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<30 { group.addTask { await world.service.send(world.text("Alice", "race \(index)")).sent } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(sent == 10)
        #expect(world.transport.sends.count == 10)
    }

    @Test func aConfigEditIsPickedUpAndABadEditFailsClosed() async throws {
        let world = try World(config: World.baseConfig)
        #expect(await world.service.send(world.text("Bob", "hi")).reasons.first?.code == .recipientNotAllowlisted)
        try world.writeConfig(World.baseConfig + "  - name: Bob\n    jid: \"+44 7700 900456\"\n")
        #expect(await world.service.send(world.text("Bob", "hi")).status == .sent)
        try world.writeConfig(World.baseConfig + "  - name: Bob\n    jid: \"07700 900456\"\n")
        #expect(await world.service.send(world.text("Alice", "hi")).reasons.first?.code == .configInvalid)
    }
}

/// Findings of the review: keyed policy hash, masked numbers, capped config errors, lost keys.
@Suite struct SendPathHardeningTests {
    @Test func thePolicyHashInTheAuditIsKeyed() async throws {
        let world = try World(config: World.baseConfig)
        _ = await world.service.send(world.text("Alice", "hi"))
        let stored = try #require(try await world.records().first?["policy_hash"]?.stringValue)
        guard case .valid(let policy) = world.service.config.current() else { Issue.record("config"); return }
        #expect(stored != policy.hash)
        #expect(stored == world.service.chainKey.fingerprint(policy.hash))
    }

    @Test func aNumberInFullwidthDigitsIsMaskedNotEchoed() async throws {
        let world = try World(config: World.baseConfig)
        let report = await world.service.send(world.text("＋４４ ７７００ ９００９９９", "hi"))
        #expect(report.reasons.first?.code == .recipientNotAllowlisted)
        #expect(!report.summaryFields.contains("７７００"))
        let stored = try await world.service.auditTail(limit: 5).map(\.record).joined()
        #expect(!stored.contains("\\uff17\\uff17"))
        #expect(stored.contains("+44"))
    }

    @Test func anEmptyOrInvisibleMessageIsRefused() async throws {
        let world = try World(config: World.baseConfig)
        for text in ["", "   ", "\u{202E}\u{200B}"] {
            #expect(await world.service.send(world.text("Alice", text)).reasons.first?.code == .contentEmpty)
        }
        #expect(world.transport.sends.isEmpty)
    }

    @Test func phoneNumbersInTheBodyAreMaskedInTheAudit() async throws {
        let world = try World(config: World.baseConfig)
        _ = await world.service.send(world.text("Alice", "call me on +44 7700 900555"))
        let preview = try #require(try await world.records().first?["body_preview"]?.stringValue)
        #expect(!preview.contains("900555"))
        #expect(preview.hasSuffix("555"))
    }

    @Test func aConfigWithThousandsOfErrorsGivesAShortReason() async throws {
        let world = try World(config: "recipients:\n" + String(repeating: "  - 1\n", count: 5_000))
        let report = await world.service.send(world.text("Alice", "hi"))
        #expect(report.reasons.first?.code == .configInvalid)
        #expect(report.reasons.first!.detail.count < 10_000)
        #expect(report.reasons.first!.detail.contains("more problems"))
    }

    @Test func aLostAuditKeyBesideAnExistingStoreRefusesEverySend() async throws {
        let world = try World(config: World.baseConfig)
        #expect(await world.service.send(world.text("Alice", "before")).status == .sent)
        try FileManager.default.removeItem(atPath: world.state.keysPath + "/audit.key")
        let reopened = try GatehouseService(
            config: ConfigSource(path: world.configPath, environment: [:]), state: world.state,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let report = await reopened.send(world.text("Alice", "after"))
        #expect(report.reasons.contains { $0.code == .storeUnavailable && $0.detail.contains("audit.key") })
        #expect(!FileManager.default.fileExists(atPath: world.state.keysPath + "/audit.key"))
    }
}

// MARK: - Test world

final class World: Sendable {
    static let baseConfig = """
        allow_unlisted: false
        require_confirm_for: [unlisted]
        rate_limit:
          per_minute: 10
          per_hour: 100
        recipients:
          - name: Alice
            jid: "+44 7700 900123"

        """

    let directory: String
    let configPath: String
    let state: StateDirectory
    let transport: RecordingTransport
    let clock = TestClock()
    let service: GatehouseService
    let store: any StateStore

    init(config: String, store: (any StateStore)? = nil, scanner: any ContentScanner = MarkerScanner(marker: nil), transportFails: Bool = false) throws {
        directory = NSTemporaryDirectory() + "gatehouse-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/gatehouse.yaml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        state = try StateDirectory(path: directory + "/state")
        let auditStore = try store ?? SQLiteStore(path: state.databasePath, key: state.auditKey())
        transport = RecordingTransport(store: auditStore, fails: transportFails)
        self.store = auditStore
        let clock = self.clock
        service = try GatehouseService(
            config: ConfigSource(path: configPath, environment: [:]), state: state, scanner: scanner,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, store: auditStore, transport: transport,
            clock: { clock.now })
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func text(_ recipient: String, _ message: String, token: String? = nil) -> SendRequest {
        SendRequest(tool: "wa_send_message", recipient: recipient, kind: .text, text: message, confirmToken: token)
    }

    func writeConfig(_ text: String) throws {
        // A new inode and a later mtime, as an editor's save would give.
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func records() async throws -> [JSONValue] {
        try await service.auditTail(limit: 100).compactMap { JSONParser.parse($0.record) }
    }
}

final class TestClock: Sendable {
    private let seconds = Mutex(1_800_000_000.0)
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
    func advance(by interval: TimeInterval) { seconds.withLock { $0 += interval } }
}

/// Records sends and what the audit's newest record was at the moment of each send.
final class RecordingTransport: MessageTransport, Sendable {
    let name = "recording"
    let store: any StateStore
    let fails: Bool
    private let log = Mutex<(sends: [ApprovedSend], lastRecord: JSONValue?)>(([], nil))

    init(store: any StateStore, fails: Bool) {
        self.store = store
        self.fails = fails
    }

    var sends: [ApprovedSend] { log.withLock { $0.sends } }
    var lastRecordAtSend: JSONValue? { log.withLock { $0.lastRecord } }

    func send(_ send: ApprovedSend) async -> TransportResult {
        let last = try? await store.auditTail(limit: 1).first.flatMap { JSONParser.parse($0.record) }
        log.withLock {
            $0.sends.append(send)
            $0.lastRecord = last
        }
        return fails ? .failed(detail: "not connected") : .sent(detail: "ok")
    }
}

/// Flags one marker string as a high-severity secret, so the send path is tested apart from the detectors.
struct MarkerScanner: ContentScanner {
    let marker: String?

    func scan(_ text: String) -> [Finding] {
        guard let marker, let range = text.range(of: marker) else { return [] }
        let start = text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
        return [Finding(kind: "marker", category: .secret, severity: .high, range: start..<(start + marker.utf8.count), masked: "SECR…")]
    }
}

/// A store whose every write fails, as a full disk or a locked file would.
struct BrokenStore: StateStore {
    struct Failure: Error {}
    func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, ledgerKey: String?, now: Date,
        _ decide: @escaping @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord) { throw Failure() }
    func ledgerEntry(key: String) async throws -> LedgerEntry? { throw Failure() }
    func transact<Value: Sendable>(
        reading keys: Set<RecordKey>, kinds: Set<String>, now: Date,
        _ change: @escaping @Sendable (RecordSnapshot) throws -> RecordChange<Value>
    ) async throws -> (value: Value, records: [AuditRecord]) { throw Failure() }
    func records(kind: String) async throws -> [String: String] { throw Failure() }
    func settle(_ settlement: Settlement, now: Date) async throws -> AuditRecord { throw Failure() }
    func pendingSends(limit: Int) async throws -> [LedgerEntry] { throw Failure() }
    func auditAnchor() async throws -> AuditAnchor? { throw Failure() }
    func pruneAudit(to anchor: AuditAnchor) async throws -> Int { throw Failure() }
    func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts { throw Failure() }
    func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord { throw Failure() }
    func auditTail(limit: Int) async throws -> [AuditRecord] { throw Failure() }
    func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord] { throw Failure() }
    func auditHead() async throws -> AuditHead? { throw Failure() }
    func messageTail(scope: String, since: Date) async throws -> [UInt8]? { throw Failure() }
    func saveMessageTail(scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) async throws { throw Failure() }
}

extension SendReport {
    /// Everything the agent is shown, as one string, for leak checks.
    var summaryFields: String {
        ([blockedReason ?? ""] + reasons.map(\.detail) + warnings + findings.map(\.masked)).joined(separator: "\n")
    }
}
