import Synchronization

/// Group commit, independent of the engine: work that arrives while a batch is being committed
/// waits and goes into the next batch, so concurrent callers share one durable commit (one `fsync`)
/// instead of queueing for one each. A lone caller still gets a batch of one, at once.
///
/// The engine's `runBatch` runs the batch in one transaction, each piece of work in its own
/// savepoint, and answers one error (or nil) per piece; if the commit itself fails, every piece
/// gets that error. No caller resumes before its batch's commit has returned.
public final class CommitQueue<Work: Sendable>: Sendable {
    public typealias RunBatch = @Sendable ([Work]) async -> [Error?]

    private struct Entry: Sendable {
        let work: Work
        let finish: @Sendable (Error?) -> Void
    }

    private let runBatch: RunBatch
    private let state = Mutex<(queue: [Entry], draining: Bool)>(([], false))

    public init(runBatch: @escaping RunBatch) { self.runBatch = runBatch }

    /// Returns once `work` is committed; throws its own error, or the commit's.
    public func submit(_ work: Work) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let entry = Entry(work: work) { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
            let startDrain = state.withLock { state -> Bool in
                state.queue.append(entry)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrain { Task.detached { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Entry] in
                let batch = state.queue
                state.queue = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let errors = await runBatch(batch.map(\.work))
            for (index, entry) in batch.enumerated() {
                entry.finish(index < errors.count ? errors[index] : CommitQueueError())
            }
        }
    }
}

/// A batch runner that answered fewer results than it was given work: a bug, reported as a failure.
public struct CommitQueueError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the store answered no result for a write" }
}

/// Carries a value out of work run inside a batch, read only after the batch committed.
public final class CommitSlot<Value: Sendable>: @unchecked Sendable {
    // @unchecked: written once while the batch runs, read once after the queue resumed the caller.
    public var value: Value?
    public init() {}
}
