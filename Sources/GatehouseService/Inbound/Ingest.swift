import Foundation
import GatehouseCore
import GatehouseTransports

/// What one round of ingest did.
public struct IngestSummary: Sendable, Equatable, CustomStringConvertible {
    public var delivered = 0
    public var dropped = 0
    public var paired = 0
    public var quarantined = 0
    /// The owner's own messages.
    public var skipped = 0

    public var total: Int { delivered + dropped + paired + quarantined + skipped }

    public var description: String {
        "ingest: delivered=\(delivered) dropped=\(dropped) paired=\(paired) quarantined=\(quarantined) skipped=\(skipped)"
    }

    static func + (a: Self, b: Self) -> Self {
        IngestSummary(
            delivered: a.delivered + b.delivered, dropped: a.dropped + b.dropped, paired: a.paired + b.paired,
            quarantined: a.quarantined + b.quarantined, skipped: a.skipped + b.skipped)
    }
}

/// Why an inbound operation (ingest, the registry, pairing, chats, approvals) did nothing; says so
/// with masked values only.
public struct InboundError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The inbound side: reads every source, runs each record through the ``InboundGate`` and writes
/// what passes to the ``InboxSpool``. Holds no tool and cannot send: a stranger gets no reply.
///
/// Order per record: the gate's decision and its audit record are committed in one store
/// transaction, then the spool file is written, then the source is told (the drop file removed, the
/// bridge cursor saved). A crash in between hands the record over again; its spool file name is
/// derived from its id, so it is still written once.
extension GatehouseService {
    public static let ingestBatch = 500

    /// The ingest loop: one round with `once` (printing its summary), else a round every `interval`
    /// seconds until the process is stopped. A round that fails (invalid config, store down) reads
    /// nothing and says why; with `once` that is exit code 2.
    public func runIngest(once: Bool, backfill: Bool, interval: Double) async throws -> Int32 {
        var first = true
        while true {
            do {
                let summary = try await ingestOnce(backfill: backfill && first)
                first = false
                if once {
                    print(summary)
                    return 0
                }
                if summary.total > 0 { logger.info("\(summary)") }
            } catch {
                FileHandle.standardError.write(Data("gatehouse ingest: \(error)\n".utf8))
                if once { return 2 }
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    public func ingestOnce(backfill: Bool = false) async throws -> IngestSummary {
        guard case .valid(let policy) = config.current() else {
            throw InboundError("the config is invalid, so nothing is read: \(config.current().error?.description ?? "")")
        }
        guard let store else { throw InboundError(storeProblem ?? "the store is unavailable") }
        let gate = InboundGate(policy: policy, key: auditKey)
        let spool = InboxSpool(state: state, maxTextCharacters: policy.inbound.maxTextCharacters)
        var summary = IngestSummary()
        for source in try await sources(policy, store: store, backfill: backfill) {
            var current = source
            while true {
                let (items, commit) = try current.poll(limit: Self.ingestBatch)
                summary = summary + (try await handle(items, source: current.name, gate: gate, spool: spool, store: store))
                // Removed once handled: a file handled twice could deliver a pairing code as text.
                var stuck = false
                for file in items.compactMap(\.file) where !DropFolderSource.remove(file) {
                    logger.error("ingest.drop_file_not_removed", metadata: ["file": "\(file)"])
                    stuck = true
                }
                if case .cursor(let value) = commit, let bridge = current as? BridgeDatabaseSource {
                    try await saveCursor(bridge.cursorName, value, store: store)
                    current = BridgeDatabaseSource(path: bridge.path, cursor: value)
                }
                // A file that cannot be removed would come back in every batch: stop here, report it.
                if stuck { throw InboundError("a handled drop file could not be removed; check the drop folder's permissions") }
                if items.count < Self.ingestBatch { break }
            }
        }
        return summary
    }

    func sources(_ policy: Policy, store: any StateStore, backfill: Bool) async throws -> [any InboundSource] {
        let drop = policy.inbound.dropDirectory ?? state.dropPath
        try StateDirectory.makePrivateDirectory(drop)
        var sources: [any InboundSource] = [DropFolderSource(directory: drop)]
        if let path = policy.inbound.bridgeDatabase {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw InboundError("inbound.bridge_db \(path) cannot be read")
            }
            let cursorName = BridgeDatabaseSource(path: path, cursor: nil).cursorName
            var cursor = try await store.records(kind: RegistryKind.cursor)[cursorName]
            if cursor == nil && !backfill {
                // A first run starts after what is there: history is not replayed into the agent.
                let newest = try BridgeDatabaseSource(path: path, cursor: nil).newestCursor()
                try await saveCursor(cursorName, newest, store: store)
                cursor = newest
            }
            sources.append(BridgeDatabaseSource(path: path, cursor: cursor))
        }
        return sources
    }

    func saveCursor(_ name: String, _ value: String, store: any StateStore) async throws {
        let key = RecordKey(RegistryKind.cursor, name)
        _ = try await store.transact(reading: [], kinds: [], now: clock()) { _ in RecordChange(value: (), writes: [key: value]) }
    }

    /// Handles one poll's items. The gate decides every message of the batch in one store
    /// transaction (each decision sees the ones before it: a pairing code, then a message from the
    /// newly paired sender), then the delivered records are written to the spool together. What
    /// fails its schema is quarantined one by one and the rest go on; a store that cannot be
    /// written stops the round with nothing of the batch decided.
    func handle(_ items: [SourceItem], source: String, gate: InboundGate, spool: InboxSpool, store: any StateStore) async throws -> IngestSummary {
        let now = clock()
        var summary = IngestSummary()
        var messages: [InboundMessage] = []
        for item in items {
            switch item.content {
            case .malformed(let name, let raw, let reason):
                try await quarantine(name: name, raw: raw, reason: reason, source: source, gate: gate, spool: spool, store: store, now: now)
                summary.quarantined += 1
            case .event(let raw) where raw.fromMe:
                summary.skipped += 1
            case .event(let raw):
                switch raw.message(maxTextCharacters: gate.policy.inbound.maxTextCharacters) {
                case .failure(.unsupportedChat):
                    let (counter, entry) = gate.droppedUnread(.inboundUnsupportedChat)
                    try await tally(counter, entry, store: store, now: now)
                    summary.dropped += 1
                case .failure(let problem):
                    let name = item.file.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "\(source)-\(raw.sourceID)"
                    try await quarantine(
                        name: name, raw: item.raw.isEmpty ? Array(raw.sourceID.utf8) : item.raw, reason: problem.description,
                        source: source, gate: gate, spool: spool, store: store, now: now)
                    summary.quarantined += 1
                case .success(let message):
                    messages.append(message)
                }
            }
        }
        guard !messages.isEmpty else { return summary }
        let batch = messages
        let reads = messages.reduce(into: Set<RecordKey>()) { $0.formUnion(gate.reads($1)) }
        let decided = try await store.transact(reading: reads, kinds: InboundGate.readKinds, now: now) { snapshot in
            var values = snapshot.values
            var decided = RecordChange<[InboundVerdict]>(value: [])
            for message in batch {
                let change = try gate.decide(message, snapshot: RecordSnapshot(values: values), now: now)
                for (key, value) in change.writes {
                    decided.writes[key] = value
                    values[key] = value
                }
                decided.audit += change.audit
                decided.value.append(change.value)
            }
            return decided
        }
        var records: [InboxRecord] = []
        for verdict in decided.value {
            switch verdict {
            case .deliver(let record): records.append(record)
            case .paired: summary.paired += 1
            case .dropped: summary.dropped += 1
            }
        }
        let refused = try spool.write(records)
        for (record, problem) in refused {
            try await quarantine(
                name: "\(source)-\(record.id)", raw: [], reason: problem.description, source: source, gate: gate, spool: spool, store: store,
                now: now)
        }
        summary.quarantined += refused.count
        summary.delivered += records.count - refused.count
        return summary
    }

    func quarantine(
        name: String, raw: [UInt8], reason: String, source: String, gate: InboundGate, spool: InboxSpool, store: any StateStore, now: Date
    ) async throws {
        try spool.quarantine(name: name, raw: raw, reason: reason, source: source, now: now)
        let (counter, entry) = gate.quarantined(source: source, reason: reason)
        try await tally(counter, entry, store: store, now: now)
    }

    /// Counts a record handled outside the gate's batch and audits it, in one transaction.
    func tally(_ counter: RecordKey, _ entry: AuditEntry, store: any StateStore, now: Date) async throws {
        _ = try await store.transact(reading: [counter], kinds: [], now: now) { snapshot in
            RecordChange(value: (), writes: [counter: String((Int(snapshot[counter] ?? "0") ?? 0) + 1)], audit: [entry])
        }
    }
}
