import GatehouseCore
import PostgresNIO

extension PostgresStore {
    /// Held while migrating, so processes starting together on a new database take turns.
    static let schemaLock: Int64 = 0x4761_7465_6875_0001

    /// Schema versions, in order, each a list of statements (the extended query protocol runs one
    /// statement at a time); `gatehouse_schema` records how many are applied. Never edit a shipped
    /// one: add the next. Times are seconds since 1970 as double precision, as SQLite's REAL, so
    /// window edges compare exactly as there.
    static let migrations: [[String]] = [
        [
            "CREATE TABLE audit_log(seq bigint PRIMARY KEY, record text NOT NULL, hash text NOT NULL)",
            """
            CREATE TABLE audit_head(id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL,
                                    seal text NOT NULL)
            """,
            """
            CREATE TABLE rate_events(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, scope text NOT NULL,
                                     at double precision NOT NULL)
            """,
            "CREATE INDEX rate_events_scope_at ON rate_events(scope, at)",
            "CREATE TABLE spent_tokens(id text PRIMARY KEY, spent_at double precision NOT NULL)",
            // The sealed end of the last message per recipient scope, for secrets split over two messages.
            "CREATE TABLE message_tails(scope text PRIMARY KEY, sealed bytea NOT NULL, at double precision NOT NULL)",
            // The idempotency ledger (one row per allowed send) and the start of a pruned log.
            """
            CREATE TABLE send_ledger(key text PRIMARY KEY, request_hash text NOT NULL, attempt_seq bigint NOT NULL,
                                     state text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')), detail text,
                                     outcome_seq bigint, created_at double precision NOT NULL)
            """,
            "CREATE INDEX send_ledger_pending ON send_ledger(attempt_seq) WHERE state = 'pending'",
            """
            CREATE TABLE audit_anchor(id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL,
                                      checkpoint text NOT NULL)
            """,
        ],
        // The registry: senders, pairing codes, service chats, held sends, counters, cursors (RecordStore).
        [
            "CREATE TABLE records(kind text NOT NULL, key text NOT NULL, value text NOT NULL, PRIMARY KEY (kind, key))"
        ],
    ]

    /// Checks durability, migrates and seals an empty head, on a connection of its own.
    func prepare(_ location: PostgresURL) async throws {
        try await translatingErrors {
            let connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await checkDurability(connection)
                try await Self.inTransaction(connection, logger: logger) { connection in
                    try await self.migrate(connection)
                    try await self.sealEmptyHead(connection)
                }
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        }
    }

    /// A commit must be on disk before a send goes out. The connection asked for
    /// synchronous_commit = on at startup; a server that reports anything else is refused.
    func checkDurability(_ connection: PostgresConnection) async throws {
        let setting = try Self.one(try await rows("SELECT current_setting('synchronous_commit')", on: connection))
            .decode(String.self)
        guard setting == "on" else {
            throw PostgresStoreError(
                "PostgreSQL at \(target) runs with synchronous_commit = \(setting), "
                    + "so a commit could be lost in a crash; Gatehouse needs it on")
        }
    }

    /// Applies missing migrations inside the caller's transaction, under the schema lock, so
    /// exactly one of several processes creates the schema. A database from a newer Gatehouse is
    /// refused rather than misread.
    func migrate(_ connection: PostgresConnection) async throws {
        try await run("SELECT pg_advisory_xact_lock(\(Self.schemaLock))", on: connection)
        try await run("CREATE TABLE IF NOT EXISTS gatehouse_schema(version int NOT NULL)", on: connection)
        let versions = try await rows("SELECT version FROM gatehouse_schema", on: connection).map {
            try $0.decode(Int.self)
        }
        guard versions.count <= 1 else {
            throw PostgresStoreError("gatehouse_schema at \(target) holds \(versions.count) versions; it must hold one")
        }
        let version = versions.first ?? 0
        guard (0...Self.migrations.count).contains(version) else {
            throw PostgresStoreError(
                "the store at \(target) has schema version \(version), newer than this Gatehouse knows "
                    + "(\(Self.migrations.count)); run a newer Gatehouse")
        }
        guard version < Self.migrations.count else { return }
        for migration in Self.migrations[version...] {
            for statement in migration { try await run(PostgresQuery(unsafeSQL: statement), on: connection) }
        }
        try await run("DELETE FROM gatehouse_schema", on: connection)
        try await run("INSERT INTO gatehouse_schema(version) VALUES (\(Self.migrations.count))", on: connection)
    }

    /// A new store gets a sealed head at sequence 0, so a log wiped later (records and head
    /// deleted) no longer looks like a fresh one to `audit verify`.
    func sealEmptyHead(_ connection: PostgresConnection) async throws {
        let head = try await rows("SELECT 1 FROM audit_head WHERE id = 1", on: connection)
        let records = try await rows("SELECT 1 FROM audit_log LIMIT 1", on: connection)
        guard head.isEmpty && records.isEmpty else { return }
        let seal = AuditChain.headSeal(seq: 0, hash: AuditChain.genesis, key: key)
        // DO NOTHING: a writer in another process may be writing the head at this moment.
        try await run(
            """
            INSERT INTO audit_head(id, seq, hash, seal) VALUES (1, 0, \(AuditChain.genesis), \(seal))
            ON CONFLICT (id) DO NOTHING
            """, on: connection)
    }
}
