import Foundation
import GatehouseCore
import Logging
import PostgresNIO

/// The shared store: one PostgreSQL database that any number of Gatehouse processes may use at once.
///
/// Every write transaction (decide, append, settle, prune) first locks the audit head row, so all
/// writers in all processes serialise on the chain head: rate limits hold, a token is spent once, a
/// key is reserved once, and the audit stays one linear chain. Commits are durable
/// (`synchronous_commit = on`, checked on connect). Semantics match `SQLiteStore` method by method;
/// both run the same conformance suite.
public final class PostgresStore: StateStore {
    let client: PostgresClient
    let key: AuditChainKey
    let logger: Logger
    /// `postgres://user@host:port/database`, for messages: never the password.
    let target: String
    /// The client's `run()`; cancelling it closes the pool.
    private let running: Task<Void, Never>
    /// Every write goes through here, so concurrent writes in this process share commits.
    let commits: CommitQueue<Work>

    static let globalScope = "*"
    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3600

    private init(
        client: PostgresClient, running: Task<Void, Never>, key: AuditChainKey, logger: Logger, target: String
    ) {
        self.client = client
        self.running = running
        self.key = key
        self.logger = logger
        self.target = target
        commits = CommitQueue { batch in await Self.runBatch(batch, client: client, logger: logger, target: target) }
    }

    deinit { running.cancel() }

    /// Connects, checks durability and migrates the schema. Throws (with the password left out of
    /// every message) when the URL is malformed, the server cannot be reached or refuses, commits
    /// would not be durable, or the database holds a newer Gatehouse schema; callers then refuse
    /// every send.
    ///
    /// - Parameter logger: postgres-nio's query and connection logs; off by default, since stdout
    ///   may be the MCP channel.
    public static func connect(
        url: String, key: AuditChainKey,
        logger: Logger = Logger(label: "gatehouse.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PostgresStore {
        let location = try PostgresURL(url)
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        // The pool leases no connection until run() is active, so it runs before any query.
        let running = Task { await client.run() }
        let store = PostgresStore(client: client, running: running, key: key, logger: logger, target: location.redacted)
        do {
            // On a plain connection of its own: the pool retries a failing server for a minute before
            // a query fails, while this fails at once with the server's reason (bad password, no database).
            try await store.prepare(location)
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Stops the client and waits until its connections are closed.
    public func close() async {
        running.cancel()
        await running.value
    }

    // MARK: Records

    public func transact<Value: Sendable>(
        reading keys: Set<RecordKey>, kinds: Set<String>, now: Date,
        _ change: @escaping @Sendable (RecordSnapshot) throws -> RecordChange<Value>
    ) async throws -> (value: Value, records: [AuditRecord]) {
        try await write { connection in
            var values: [RecordKey: String] = [:]
            for key in keys {
                let found = try await self.rows(
                    "SELECT value FROM records WHERE kind = \(key.kind) AND key = \(key.key)", on: connection)
                if let row = found.first { values[key] = try row.decode(String.self) }
            }
            for kind in kinds {
                for row in try await self.rows("SELECT key, value FROM records WHERE kind = \(kind)", on: connection) {
                    let (key, value) = try row.decode((String, String).self)
                    values[RecordKey(kind, key)] = value
                }
            }
            let result = try change(RecordSnapshot(values: values))
            for (key, value) in result.writes {
                if let value {
                    try await self.run(
                        """
                        INSERT INTO records(kind, key, value) VALUES (\(key.kind), \(key.key), \(value))
                        ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value
                        """, on: connection)
                } else {
                    try await self.run("DELETE FROM records WHERE kind = \(key.kind) AND key = \(key.key)", on: connection)
                }
            }
            var records: [AuditRecord] = []
            for entry in result.audit { records.append(try await self.append(entry, now: now, on: connection)) }
            return (value: result.value, records: records)
        }
    }

    public func records(kind: String) async throws -> [String: String] {
        try await read { connection in
            var out: [String: String] = [:]
            for row in try await self.rows("SELECT key, value FROM records WHERE kind = \(kind)", on: connection) {
                let (key, value) = try row.decode((String, String).self)
                out[key] = value
            }
            return out
        }
    }

    // MARK: Decisions

    public func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, ledgerKey: String?, now: Date,
        _ decide: @escaping @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord) {
        try await write { connection in
            let rates = try await self.counts(connection, recipientScope: recipientScope, now: now)
            var spent = false
            if let tokenID {
                let found = try await self.rows("SELECT 1 FROM spent_tokens WHERE id = \(tokenID)", on: connection)
                spent = !found.isEmpty
            }
            var ledger: LedgerEntry?
            if let ledgerKey { ledger = try await self.ledgerEntry(connection, key: ledgerKey) }
            let (value, effects) = decide(StateSnapshot(rates: rates, tokenSpent: spent, ledger: ledger))
            let at = now.timeIntervalSince1970
            if let scope = effects.countSendFor {
                try await self.run(
                    "INSERT INTO rate_events(scope, at) VALUES (\(Self.globalScope), \(at)), (\(scope), \(at))",
                    on: connection)
                try await self.run(
                    "DELETE FROM rate_events WHERE scope IN (\(Self.globalScope), \(scope)) AND at <= \(at - Self.hour)",
                    on: connection)
            }
            if let token = effects.spendToken {
                try await self.run("INSERT INTO spent_tokens(id, spent_at) VALUES (\(token), \(at))", on: connection)
            }
            let record = try await self.append(effects.entry, now: now, on: connection)
            if let reservation = effects.reserve {
                // A second reservation of a key fails on the primary key: nothing of this decision is written.
                try await self.run(
                    """
                    INSERT INTO send_ledger(key, request_hash, attempt_seq, state, created_at)
                    VALUES (\(reservation.key), \(reservation.requestHash), \(record.seq), 'pending', \(at))
                    """, on: connection)
            }
            return (value: value, record: record)
        }
    }

    func counts(_ connection: PostgresConnection, recipientScope: String, now: Date) async throws -> RateCounts {
        let at = now.timeIntervalSince1970
        let minuteAgo = at - Self.minute
        let hourAgo = at - Self.hour
        let rows = try await self.rows(
            """
            SELECT count(*) FILTER (WHERE scope = \(Self.globalScope) AND at > \(minuteAgo)),
                   count(*) FILTER (WHERE scope = \(Self.globalScope)),
                   count(*) FILTER (WHERE scope = \(recipientScope) AND at > \(minuteAgo)),
                   count(*) FILTER (WHERE scope = \(recipientScope))
            FROM rate_events WHERE scope IN (\(Self.globalScope), \(recipientScope)) AND at > \(hourAgo)
            """, on: connection)
        let (globalMinute, globalHour, recipientMinute, recipientHour) =
            try Self.one(rows).decode((Int, Int, Int, Int).self)
        return RateCounts(
            globalMinute: globalMinute, globalHour: globalHour, recipientMinute: recipientMinute,
            recipientHour: recipientHour)
    }

    public func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts {
        try await read { connection in try await self.counts(connection, recipientScope: recipientScope, now: now) }
    }

    // MARK: Ledger

    static let ledgerColumns =
        "SELECT key, request_hash, attempt_seq, state, detail, outcome_seq, created_at FROM send_ledger"

    func ledgerEntry(_ connection: PostgresConnection, key: String) async throws -> LedgerEntry? {
        try await rows("\(unescaped: Self.ledgerColumns) WHERE key = \(key)", on: connection).first.map(
            Self.ledgerEntry)
    }

    static func ledgerEntry(_ row: PostgresRow) throws -> LedgerEntry {
        let (key, requestHash, attemptSeq, state, detail, outcomeSeq, createdAt) =
            try row.decode((String, String, Int, String, String?, Int?, Double).self)
        return LedgerEntry(
            key: key, requestHash: requestHash, attemptSeq: attemptSeq,
            // An unknown state reads as pending: a person looks at it rather than it being taken as settled.
            state: LedgerEntry.State(rawValue: state) ?? .pending, detail: detail, outcomeSeq: outcomeSeq,
            createdAt: Date(timeIntervalSince1970: createdAt))
    }

    public func ledgerEntry(key: String) async throws -> LedgerEntry? {
        try await read { connection in try await self.ledgerEntry(connection, key: key) }
    }

    public func settle(_ settlement: Settlement, now: Date) async throws -> AuditRecord {
        try await write { connection in
            guard let entry = try await self.ledgerEntry(connection, key: settlement.key) else {
                throw PostgresStoreError("no send is recorded under this key")
            }
            guard entry.state == .pending else {
                throw PostgresStoreError(
                    "the send of attempt \(entry.attemptSeq) is already settled as \(entry.state.rawValue)")
            }
            let record = try await self.append(settlement.entry, now: now, on: connection)
            try await self.run(
                """
                UPDATE send_ledger
                SET state = \(settlement.state.rawValue), detail = \(settlement.detail), outcome_seq = \(record.seq)
                WHERE key = \(settlement.key)
                """, on: connection)
            if let tail = settlement.tail {
                try await self.saveMessageTail(
                    connection, scope: tail.scope, sealed: tail.sealed, now: now, forgetBefore: tail.forgetBefore)
            }
            return record
        }
    }

    public func pendingSends(limit: Int) async throws -> [LedgerEntry] {
        try await read { connection in
            try await self.rows(
                "\(unescaped: Self.ledgerColumns) WHERE state = 'pending' ORDER BY attempt_seq LIMIT \(Self.limit(limit))",
                on: connection
            ).map(Self.ledgerEntry)
        }
    }

    // MARK: Message tails

    public func messageTail(scope: String, since: Date) async throws -> [UInt8]? {
        try await read { connection in
            try await self.rows(
                "SELECT sealed FROM message_tails WHERE scope = \(scope) AND at >= \(since.timeIntervalSince1970)",
                on: connection
            ).first.map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
        }
    }

    public func saveMessageTail(scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) async throws {
        // No head lock: tails are not part of the chain, and the upsert is safe against a concurrent one.
        try await translatingErrors {
            try await client.withConnection { connection in
                try await Self.inTransaction(connection, logger: self.logger) { connection in
                    try await self.saveMessageTail(
                        connection, scope: scope, sealed: sealed, now: now, forgetBefore: forgetBefore)
                }
            }
        }
    }

    func saveMessageTail(
        _ connection: PostgresConnection, scope: String, sealed: [UInt8], now: Date, forgetBefore: Date
    ) async throws {
        // ByteBuffer, not [UInt8]: postgres-nio would send a byte array as a "char"[] array, not as bytea.
        try await run(
            """
            INSERT INTO message_tails(scope, sealed, at)
            VALUES (\(scope), \(ByteBuffer(bytes: sealed)), \(now.timeIntervalSince1970))
            ON CONFLICT (scope) DO UPDATE SET sealed = excluded.sealed, at = excluded.at
            """, on: connection)
        try await run("DELETE FROM message_tails WHERE at < \(forgetBefore.timeIntervalSince1970)", on: connection)
    }

    // MARK: Audit

    public func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord {
        try await write { connection in try await self.append(entry, now: now, on: connection) }
    }

    /// Appends one record after the current last one and reseals the head, inside the caller's
    /// transaction (which holds the head lock).
    func append(_ entry: AuditEntry, now: Date, on connection: PostgresConnection) async throws -> AuditRecord {
        var last = try await rows("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", on: connection).first
        if last == nil {
            // Everything was pruned: the chain goes on from the anchor, not from genesis.
            last = try await rows("SELECT seq, hash FROM audit_anchor WHERE id = 1", on: connection).first
        }
        let (lastSeq, prevHash) = try last?.decode((Int, String).self) ?? (0, AuditChain.genesis)
        let record = AuditChain.seal(entry, seq: lastSeq + 1, time: now, prevHash: prevHash, key: key)
        try await run(
            "INSERT INTO audit_log(seq, record, hash) VALUES (\(record.seq), \(record.record), \(record.hash))",
            on: connection)
        let seal = AuditChain.headSeal(seq: record.seq, hash: record.hash, key: key)
        try await run(
            """
            INSERT INTO audit_head(id, seq, hash, seal) VALUES (1, \(record.seq), \(record.hash), \(seal))
            ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, seal = excluded.seal
            """, on: connection)
        return record
    }

    public func auditTail(limit: Int) async throws -> [AuditRecord] {
        try await records(
            "SELECT seq, record, hash FROM audit_log ORDER BY seq DESC LIMIT \(Self.limit(limit))"
        ).reversed()
    }

    public func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord] {
        try await records(
            "SELECT seq, record, hash FROM audit_log WHERE seq > \(after) ORDER BY seq LIMIT \(Self.limit(limit))")
    }

    func records(_ query: PostgresQuery) async throws -> [AuditRecord] {
        try await read { connection in
            try await self.rows(query, on: connection).map {
                let (seq, record, hash) = try $0.decode((Int, String, String).self)
                return AuditRecord(seq: seq, record: record, hash: hash)
            }
        }
    }

    public func auditHead() async throws -> AuditHead? {
        try await read { connection in
            try await self.rows("SELECT seq, hash, seal FROM audit_head WHERE id = 1", on: connection).first.map {
                let (seq, hash, seal) = try $0.decode((Int, String, String).self)
                return AuditHead(seq: seq, hash: hash, seal: seal)
            }
        }
    }

    public func auditAnchor() async throws -> AuditAnchor? {
        try await read { connection in
            let rows = try await self.rows("SELECT seq, hash, checkpoint FROM audit_anchor WHERE id = 1", on: connection)
            return try rows.first.map {
                let (seq, hash, checkpoint) = try $0.decode((Int, String, String).self)
                return AuditAnchor(seq: seq, hash: hash, checkpoint: checkpoint)
            }
        }
    }

    public func pruneAudit(to anchor: AuditAnchor) async throws -> Int {
        try await write { connection in
            let hash = try await self.rows("SELECT hash FROM audit_log WHERE seq = \(anchor.seq)", on: connection)
                .first?.decode(String.self)
            guard hash == anchor.hash else {
                throw PostgresStoreError(
                    "record \(anchor.seq) is not in the log with the checkpoint's hash; nothing was pruned")
            }
            let pendingRows = try await self.rows(
                "SELECT min(attempt_seq) FROM send_ledger WHERE state = 'pending' AND attempt_seq <= \(anchor.seq)",
                on: connection)
            if let pending = try Self.one(pendingRows).decode(Int?.self) {
                throw PostgresStoreError(
                    "the attempt at record \(pending) has no outcome yet; "
                        + "resolve it (`gatehouse audit pending`) before pruning past it")
            }
            let droppedRows = try await self.rows(
                """
                WITH dropped AS (DELETE FROM audit_log WHERE seq <= \(anchor.seq) RETURNING 1)
                SELECT count(*) FROM dropped
                """, on: connection)
            let dropped = try Self.one(droppedRows).decode(Int.self)
            try await self.run(
                """
                INSERT INTO audit_anchor(id, seq, hash, checkpoint)
                VALUES (1, \(anchor.seq), \(anchor.hash), \(anchor.checkpoint))
                ON CONFLICT (id)
                DO UPDATE SET seq = excluded.seq, hash = excluded.hash, checkpoint = excluded.checkpoint
                """, on: connection)
            return dropped
        }
    }
}
