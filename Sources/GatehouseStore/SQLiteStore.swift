import Foundation
import GRDB
import GatehouseCore

/// The embedded store: one SQLite file in WAL mode, every commit durable (`synchronous = FULL`).
///
/// Several processes may share the file: each decision runs in a `BEGIN IMMEDIATE` transaction,
/// which SQLite serialises across processes, so reads and the writes that depend on them are atomic.
public final class SQLiteStore: StateStore, @unchecked Sendable {
    // @unchecked: DatabasePool is itself thread-safe; the key is immutable.
    let pool: DatabasePool
    let key: AuditChainKey
    /// Every write on the send path goes through here, so concurrent sends share commits.
    let commits: GroupCommit

    static let globalScope = "*"
    static let minute: TimeInterval = 60
    static let hour: TimeInterval = 3600

    /// Opens (creating if needed) and migrates the store. Throws when the file cannot be opened,
    /// is not a Gatehouse store, or cannot be made durable; callers then refuse every send.
    public init(path: String, key: AuditChainKey) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "gatehouse"
        pool = try Self.openPool(path: path, configuration: configuration)
        commits = GroupCommit(pool: pool)
        self.key = key
        // DatabasePool sets synchronous=NORMAL on its writer after opening (SWIFT-NOTES.md): undo it.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard level == 2 else { throw StoreError("SQLite refused synchronous=FULL (got \(level ?? -1))") }
        }
        try Self.migrate(pool)
        try sealEmptyHead()
    }

    /// Opens the pool, waiting out another process that is creating the same new file: switching it to
    /// WAL takes a lock for which SQLite does not call the busy handler, so `SQLITE_BUSY` is retried here
    /// (for up to 30 s, as `busyMode` waits for any other lock).
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempts = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 1_500 {
                attempts += 1
                usleep(20_000)
            }
        }
    }

    /// A new store gets a sealed head at sequence 0, so a log wiped later (records and head
    /// deleted) no longer looks like a fresh one to `audit verify`.
    func sealEmptyHead() throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let hasHead = try Bool.fetchOne(db, sql: "SELECT 1 FROM audit_head WHERE id = 1") ?? false
                let hasRecords = try Bool.fetchOne(db, sql: "SELECT 1 FROM audit_log LIMIT 1") ?? false
                if !hasHead && !hasRecords {
                    try db.execute(
                        sql: "INSERT INTO audit_head(id, seq, hash, seal) VALUES (1, 0, ?, ?)",
                        arguments: [AuditChain.genesis, AuditChain.headSeal(seq: 0, hash: AuditChain.genesis, key: key)])
                }
                return .commit
            }
        }
    }

    /// Schema versions, in order; `PRAGMA user_version` records how many are applied.
    static let migrations = [
        """
        CREATE TABLE audit_log(seq INTEGER PRIMARY KEY, record TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TABLE audit_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,
                                hash TEXT NOT NULL, seal TEXT NOT NULL);
        CREATE TABLE rate_events(id INTEGER PRIMARY KEY, scope TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX rate_events_scope_at ON rate_events(scope, at);
        CREATE TABLE spent_tokens(id TEXT PRIMARY KEY, spent_at REAL NOT NULL);
        """,
        // The sealed end of the last message per recipient scope, for secrets split over two messages.
        """
        CREATE TABLE message_tails(scope TEXT PRIMARY KEY, sealed BLOB NOT NULL, at REAL NOT NULL);
        """,
        // The idempotency ledger (one row per allowed send) and the start of a pruned log.
        """
        CREATE TABLE send_ledger(key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, attempt_seq INTEGER NOT NULL,
                                 state TEXT NOT NULL, detail TEXT, outcome_seq INTEGER, created_at REAL NOT NULL);
        CREATE INDEX send_ledger_pending ON send_ledger(attempt_seq) WHERE state = 'pending';
        CREATE TABLE audit_anchor(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL,
                                  checkpoint TEXT NOT NULL);
        """,
        // The registry: senders, pairing codes, service chats, held sends, counters, cursors (RecordStore).
        """
        CREATE TABLE records(kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
        """,
    ]

    /// Applies missing migrations in one `BEGIN IMMEDIATE` transaction, so processes starting
    /// together on a new file serialise here and exactly one of them creates the schema.
    /// A file from a newer Gatehouse is refused rather than misread.
    static func migrate(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version <= migrations.count else {
                    throw StoreError("the store has schema version \(version), newer than this Gatehouse knows (\(migrations.count))")
                }
                for migration in migrations[version...] { try db.execute(sql: migration) }
                try db.execute(sql: "PRAGMA user_version = \(migrations.count)")
                return .commit
            }
        }
    }

    public func transact<Value: Sendable>(
        reading keys: Set<RecordKey>, kinds: Set<String>, now: Date,
        _ change: @escaping @Sendable (RecordSnapshot) throws -> RecordChange<Value>
    ) async throws -> (value: Value, records: [AuditRecord]) {
        try await commits.write { db in
            var values: [RecordKey: String] = [:]
            let one = try db.cachedStatement(sql: "SELECT value FROM records WHERE kind = ? AND key = ?")
            for key in keys {
                if let value = try String.fetchOne(one, arguments: [key.kind, key.key]) { values[key] = value }
            }
            let whole = try db.cachedStatement(sql: "SELECT key, value FROM records WHERE kind = ?")
            for kind in kinds {
                for row in try Row.fetchAll(whole, arguments: [kind]) { values[RecordKey(kind, row[0])] = row[1] }
            }
            let result = try change(RecordSnapshot(values: values))
            let upsert = try db.cachedStatement(
                sql: "INSERT INTO records(kind, key, value) VALUES (?, ?, ?) ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value")
            let delete = try db.cachedStatement(sql: "DELETE FROM records WHERE kind = ? AND key = ?")
            for (key, value) in result.writes {
                if let value {
                    try upsert.execute(arguments: [key.kind, key.key, value])
                } else {
                    try delete.execute(arguments: [key.kind, key.key])
                }
            }
            let records = try result.audit.map { try self.append($0, now: now, db: db) }
            return (value: result.value, records: records)
        }
    }

    public func records(kind: String) async throws -> [String: String] {
        try await pool.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM records WHERE kind = ?", arguments: [kind]) { out[row[0]] = row[1] }
            return out
        }
    }

    public func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, ledgerKey: String?, now: Date,
        _ decide: @escaping @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord) {
        try await commits.write { db in
            let rates = try Self.counts(db, recipientScope: recipientScope, now: now)
            var spent = false
            if let tokenID {
                spent = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM spent_tokens WHERE id = ?"), arguments: [tokenID]) ?? false
            }
            let ledger = try ledgerKey.flatMap { try Self.ledgerEntry(db, key: $0) }
            let (value, effects) = decide(StateSnapshot(rates: rates, tokenSpent: spent, ledger: ledger))
            if let scope = effects.countSendFor {
                let at = now.timeIntervalSince1970
                try db.cachedStatement(sql: "INSERT INTO rate_events(scope, at) VALUES (?, ?), (?, ?)")
                    .execute(arguments: [Self.globalScope, at, scope, at])
                try db.cachedStatement(sql: "DELETE FROM rate_events WHERE scope IN (?, ?) AND at <= ?")
                    .execute(arguments: [Self.globalScope, scope, at - Self.hour])
            }
            if let token = effects.spendToken {
                try db.cachedStatement(sql: "INSERT INTO spent_tokens(id, spent_at) VALUES (?, ?)")
                    .execute(arguments: [token, now.timeIntervalSince1970])
            }
            let record = try self.append(effects.entry, now: now, db: db)
            if let reservation = effects.reserve {
                // A second reservation of a key fails on the primary key: nothing of this decision is written.
                try db.cachedStatement(sql: """
                    INSERT INTO send_ledger(key, request_hash, attempt_seq, state, created_at) VALUES (?, ?, ?, 'pending', ?)
                    """).execute(arguments: [reservation.key, reservation.requestHash, record.seq, now.timeIntervalSince1970])
            }
            return (value: value, record: record)
        }
    }

    static func counts(_ db: Database, recipientScope: String, now: Date) throws -> RateCounts {
        let at = now.timeIntervalSince1970
        func count(_ scope: String, _ window: TimeInterval) throws -> Int {
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM rate_events WHERE scope = ? AND at > ?"), arguments: [scope, at - window]) ?? 0
        }
        return RateCounts(
            globalMinute: try count(globalScope, minute), globalHour: try count(globalScope, hour),
            recipientMinute: try count(recipientScope, minute), recipientHour: try count(recipientScope, hour))
    }

    static func ledgerEntry(_ db: Database, key: String) throws -> LedgerEntry? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM send_ledger WHERE key = ?"), arguments: [key]).map(ledgerEntry)
    }

    static func ledgerEntry(_ row: Row) -> LedgerEntry {
        LedgerEntry(
            key: row["key"], requestHash: row["request_hash"], attemptSeq: row["attempt_seq"],
            // An unknown state reads as pending: a person looks at it rather than it being taken as settled.
            state: LedgerEntry.State(rawValue: row["state"]) ?? .pending, detail: row["detail"], outcomeSeq: row["outcome_seq"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func ledgerEntry(key: String) async throws -> LedgerEntry? {
        try await pool.read { db in try Self.ledgerEntry(db, key: key) }
    }

    public func settle(_ settlement: Settlement, now: Date) async throws -> AuditRecord {
        try await commits.write { db in
            guard let entry = try Self.ledgerEntry(db, key: settlement.key) else {
                throw StoreError("no send is recorded under this key")
            }
            guard entry.state == .pending else {
                throw StoreError("the send of attempt \(entry.attemptSeq) is already settled as \(entry.state.rawValue)")
            }
            let record = try self.append(settlement.entry, now: now, db: db)
            try db.cachedStatement(sql: "UPDATE send_ledger SET state = ?, detail = ?, outcome_seq = ? WHERE key = ?")
                .execute(arguments: [settlement.state.rawValue, settlement.detail, record.seq, settlement.key])
            if let tail = settlement.tail {
                try Self.saveMessageTail(db, scope: tail.scope, sealed: tail.sealed, now: now, forgetBefore: tail.forgetBefore)
            }
            return record
        }
    }

    public func pendingSends(limit: Int) async throws -> [LedgerEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM send_ledger WHERE state = 'pending' ORDER BY attempt_seq LIMIT ?", arguments: [limit]
            ).map(Self.ledgerEntry)
        }
    }

    public func messageTail(scope: String, since: Date) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT sealed FROM message_tails WHERE scope = ? AND at >= ?"),
                arguments: [scope, since.timeIntervalSince1970]
            ).map { [UInt8]($0) }
        }
    }

    public func saveMessageTail(scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) async throws {
        try await commits.write { db in try Self.saveMessageTail(db, scope: scope, sealed: sealed, now: now, forgetBefore: forgetBefore) }
    }

    static func saveMessageTail(_ db: Database, scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO message_tails(scope, sealed, at) VALUES (?, ?, ?)")
            .execute(arguments: [scope, Data(sealed), now.timeIntervalSince1970])
        try db.cachedStatement(sql: "DELETE FROM message_tails WHERE at < ?").execute(arguments: [forgetBefore.timeIntervalSince1970])
    }

    public func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts {
        try await pool.read { db in try Self.counts(db, recipientScope: recipientScope, now: now) }
    }

    public func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord {
        try await commits.write { db in try self.append(entry, now: now, db: db) }
    }

    /// Appends one record after the current head and reseals the head, inside the caller's transaction.
    func append(_ entry: AuditEntry, now: Date, db: Database) throws -> AuditRecord {
        // After a prune that dropped every record, the chain goes on from the anchor, not from genesis.
        let last =
            try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
            ?? Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_anchor WHERE id = 1"))
        let seq = (last?["seq"] as Int? ?? 0) + 1
        let prevHash = last?["hash"] as String? ?? AuditChain.genesis
        let record = AuditChain.seal(entry, seq: seq, time: now, prevHash: prevHash, key: key)
        try db.cachedStatement(sql: "INSERT INTO audit_log(seq, record, hash) VALUES (?, ?, ?)")
            .execute(arguments: [record.seq, record.record, record.hash])
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO audit_head(id, seq, hash, seal) VALUES (1, ?, ?, ?)")
            .execute(arguments: [record.seq, record.hash, AuditChain.headSeal(seq: record.seq, hash: record.hash, key: key)])
        return record
    }

    public func auditTail(limit: Int) async throws -> [AuditRecord] {
        try await pool.read { db in
            try Self.records(db, sql: "SELECT seq, record, hash FROM audit_log ORDER BY seq DESC LIMIT ?", [limit]).reversed()
        }
    }

    public func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord] {
        try await pool.read { db in
            try Self.records(db, sql: "SELECT seq, record, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", [after, limit])
        }
    }

    static func records(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [AuditRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map {
            AuditRecord(seq: $0["seq"], record: $0["record"], hash: $0["hash"])
        }
    }

    public func auditHead() async throws -> AuditHead? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash, seal FROM audit_head WHERE id = 1").map {
                AuditHead(seq: $0["seq"], hash: $0["hash"], seal: $0["seal"])
            }
        }
    }
}

extension SQLiteStore {
    public func auditAnchor() async throws -> AuditAnchor? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash, checkpoint FROM audit_anchor WHERE id = 1").map {
                AuditAnchor(seq: $0["seq"], hash: $0["hash"], checkpoint: $0["checkpoint"])
            }
        }
    }

    public func pruneAudit(to anchor: AuditAnchor) async throws -> Int {
        try await pool.writeWithoutTransaction { db in
            var dropped = 0
            try db.inTransaction(.immediate) {
                let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = ?", arguments: [anchor.seq])
                guard hash == anchor.hash else {
                    throw StoreError("record \(anchor.seq) is not in the log with the checkpoint's hash; nothing was pruned")
                }
                if let pending = try Int.fetchOne(
                    db, sql: "SELECT MIN(attempt_seq) FROM send_ledger WHERE state = 'pending' AND attempt_seq <= ?", arguments: [anchor.seq])
                {
                    throw StoreError(
                        "the attempt at record \(pending) has no outcome yet; resolve it (`gatehouse audit pending`) before pruning past it")
                }
                try db.execute(sql: "DELETE FROM audit_log WHERE seq <= ?", arguments: [anchor.seq])
                dropped = db.changesCount
                try db.execute(
                    sql: "INSERT OR REPLACE INTO audit_anchor(id, seq, hash, checkpoint) VALUES (1, ?, ?, ?)",
                    arguments: [anchor.seq, anchor.hash, anchor.checkpoint])
                return .commit
            }
            return dropped
        }
    }
}

/// A store fault, with a message that says what to do.
public struct StoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
