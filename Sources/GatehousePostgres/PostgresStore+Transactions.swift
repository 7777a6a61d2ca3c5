import GatehouseCore
import Logging
import PostgresNIO

extension PostgresStore {
    /// Taken by a writer that finds no head row to lock (see ``lockHead(_:logger:)``).
    static let headMissingLock: Int64 = 0x4761_7465_6875_0002

    /// One write on the send path, run inside a shared transaction (group commit).
    typealias Work = @Sendable (PostgresConnection) async throws -> Void

    /// A write. It joins the next batch (``CommitQueue``): one transaction on one leased connection that
    /// first locks the audit head, each write in its own savepoint; concurrent writes share the commit.
    func write<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let slot = CommitSlot<Result>()
        try await commits.submit { connection in slot.value = try await body(connection) }
        guard let value = slot.value else { throw CommitQueueError() }
        return value
    }

    /// Runs a batch in one transaction; a write that throws is rolled back to its savepoint alone.
    static func runBatch(_ batch: [Work], client: PostgresClient, logger: Logger, target: String) async -> [Error?] {
        do {
            return try await client.withConnection { connection in
                try await inTransaction(connection, logger: logger) { connection in
                    try await lockHead(connection, logger: logger)
                    // A lone write needs no savepoint: if it throws, the whole transaction rolls back.
                    // (Two round trips fewer for the common case of one caller at a time.)
                    if batch.count == 1 {
                        try await batch[0](connection)
                        return [nil]
                    }
                    var errors: [Error?] = []
                    for work in batch {
                        try await connection.query("SAVEPOINT gatehouse_write", logger: logger)
                        do {
                            try await work(connection)
                            errors.append(nil)
                        } catch {
                            try await connection.query("ROLLBACK TO SAVEPOINT gatehouse_write", logger: logger)
                            errors.append(PostgresStoreError(error, target: target))
                        }
                        try await connection.query("RELEASE SAVEPOINT gatehouse_write", logger: logger)
                    }
                    return errors
                }
            }
        } catch {
            // The transaction or its commit failed: nothing of the batch was written.
            return [Error?](repeating: PostgresStoreError(error, target: target), count: batch.count)
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
    static func lockHead(_ connection: PostgresConnection, logger: Logger) async throws {
        let head = try await connection.query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger).collect()
        guard head.isEmpty else { return }
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(headMissingLock))", logger: logger).collect()
        _ = try await connection.query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger).collect()
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
