import GRDB
import Synchronization

/// Group commit: write jobs that arrive while a commit is in flight are run together in the next
/// transaction, so concurrent sends share one `fsync` instead of queueing for one each.
///
/// Each job runs in its own savepoint, so a job that throws is undone alone and gets its error; the
/// others still commit. No job learns its result before the shared `COMMIT` is durable. A single
/// caller at a time sees exactly one transaction per job, as before.
final class GroupCommit: Sendable {
    private struct Job: Sendable {
        let work: @Sendable (Database) throws -> Void
        let finish: @Sendable (Error?) -> Void
    }

    /// Holds a job's value from inside the transaction until the commit is known to have held.
    private final class Slot<Value>: @unchecked Sendable {
        // @unchecked: written once by the drain before `finish`, read once after it.
        var value: Value?
    }

    private let pool: DatabasePool
    private let state = Mutex<(queue: [Job], draining: Bool)>(([], false))

    init(pool: DatabasePool) { self.pool = pool }

    func write<Value: Sendable>(_ work: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let slot = Slot<Value>()
            let job = Job(
                work: { db in slot.value = try work(db) },
                finish: { error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let value = slot.value {
                        continuation.resume(returning: value)
                    } else {
                        continuation.resume(throwing: StoreError("a write finished without a result"))
                    }
                })
            let startDrain = state.withLock { state -> Bool in
                state.queue.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { Task.detached { await self.drain() } }
        }
    }

    /// Commits batches until the queue is empty.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            var errors: [Error?]
            do {
                errors = try await pool.writeWithoutTransaction { db in
                    var errors = [Error?](repeating: nil, count: batch.count)
                    try db.inTransaction(.immediate) {
                        for (index, job) in batch.enumerated() {
                            do {
                                try db.inSavepoint {
                                    try job.work(db)
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
                // The commit itself failed: nothing of the batch was written.
                errors = [Error?](repeating: error, count: batch.count)
            }
            for (index, job) in batch.enumerated() { job.finish(errors[index]) }
        }
    }
}
