import Logging
import PostgresNIO

extension PostgresStore {
    /// Taken by a writer that finds no head row to lock (see ``lockHead(_:)``).
    static let headMissingLock: Int64 = 0x4761_7465_6875_0002

    /// A write: one transaction on one leased connection, that first locks the audit head.
    func write<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await translatingErrors {
            try await client.withConnection { connection in
                try await Self.inTransaction(connection, logger: self.logger) { connection in
                    try await self.lockHead(connection)
                    return try await body(connection)
                }
            }
        }
    }

    /// A read on a leased connection. Each read is one statement, so it sees one consistent state.
    func read<Result: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await translatingErrors {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Every error leaves as a ``PostgresStoreError`` that names the server but not the password.
    func translatingErrors<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw PostgresStoreError(error, target: target)
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back on any thrown error.
    ///
    /// READ COMMITTED whatever the server's default: a writer that waited for the head lock must see
    /// what the previous holder committed (under REPEATABLE READ it would fail instead).
    static func inTransaction<Result: Sendable>(
        _ connection: PostgresConnection, logger: Logger, _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query("BEGIN ISOLATION LEVEL READ COMMITTED", logger: logger)
        do {
            let result = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                // Its state unknown, the connection is closed so the pool never lends it mid-transaction.
                try? await connection.close()
            }
            throw error
        }
    }

    /// Locks the audit head row until the transaction ends, so writers in every process take turns.
    ///
    /// A head row is missing only when the log was wiped or its head removed (`audit verify` says
    /// so); the next append writes it again, as SQLite's does. Until then writers queue on an
    /// advisory lock instead and look again: whoever inserts the row holds that lock, so a writer
    /// that finds the row only after queueing locks it, and no two writers ever run together.
    func lockHead(_ connection: PostgresConnection) async throws {
        let head = try await rows("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", on: connection)
        guard head.isEmpty else { return }
        try await run("SELECT pg_advisory_xact_lock(\(Self.headMissingLock))", on: connection)
        try await run("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", on: connection)
    }

    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        _ = try await rows(query, on: connection)
    }

    /// The single row an aggregate returns; anything else is a fault, not an empty answer.
    static func one(_ rows: [PostgresRow]) throws -> PostgresRow {
        guard rows.count == 1, let row = rows.first else {
            throw PostgresStoreError("PostgreSQL answered \(rows.count) rows where one was expected")
        }
        return row
    }

    /// SQLite reads a negative LIMIT as no limit; PostgreSQL refuses one, so it becomes NULL (no limit).
    static func limit(_ limit: Int) -> Int? { limit < 0 ? nil : limit }
}
