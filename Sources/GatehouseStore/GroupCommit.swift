import GRDB
import GatehouseCore

/// SQLite's side of group commit (``CommitQueue``): a batch is one `BEGIN IMMEDIATE` transaction,
/// each write in its own savepoint, so a write that throws is undone alone.
final class GroupCommit: Sendable {
    typealias Work = @Sendable (Database) throws -> Void
    private let queue: CommitQueue<Work>

    init(pool: DatabasePool) {
        queue = CommitQueue { batch in
            do {
                return try await pool.writeWithoutTransaction { db in
                    var errors = [Error?](repeating: nil, count: batch.count)
                    try db.inTransaction(.immediate) {
                        for (index, work) in batch.enumerated() {
                            do {
                                try db.inSavepoint {
                                    try work(db)
                                    return .commit
                                }
                            } catch {
                                errors[index] = error
                            }
                        }
                        return .commit
                    }
                    return errors
                }
            } catch {
                // The transaction or its commit failed: nothing of the batch was written.
                return [Error?](repeating: error, count: batch.count)
            }
        }
    }

    func write<Value: Sendable>(_ work: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        let slot = CommitSlot<Value>()
        try await queue.submit { db in slot.value = try work(db) }
        guard let value = slot.value else { throw CommitQueueError() }
        return value
    }
}
