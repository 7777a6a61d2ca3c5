import GatehouseCore
import Synchronization
import Testing

@Suite struct CommitQueueTests {
    struct Refused: Error {}

    /// A stand-in engine: "commits" by recording the batch, after a pause during which others queue.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int]]>([])
        let failCommit = Mutex(false)

        func run(_ batch: [Int]) async -> [Error?] {
            try? await Task.sleep(for: .milliseconds(20))
            if failCommit.withLock({ $0 }) { return batch.map { _ in Refused() } }
            batches.withLock { $0.append(batch) }
            return batch.map { $0 < 0 ? Refused() : nil }
        }
    }

    @Test func concurrentWorkSharesCommitsAndEveryPieceIsCommittedOnce() async throws {
        let recorder = Recorder()
        let queue = CommitQueue<Int> { await recorder.run($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for value in 0..<40 { group.addTask { try await queue.submit(value) } }
            try await group.waitForAll()
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<40))
        #expect(batches.count < 40)
        #expect(batches.contains { $0.count > 1 })
    }

    @Test func aRefusedPieceFailsAloneAndAFailedCommitFailsAll() async throws {
        let recorder = Recorder()
        let queue = CommitQueue<Int> { await recorder.run($0) }
        await #expect(throws: Refused.self) { try await queue.submit(-1) }
        try await queue.submit(1)
        recorder.failCommit.withLock { $0 = true }
        await #expect(throws: Refused.self) { try await queue.submit(2) }
    }

    @Test func aRunnerThatAnswersTooFewResultsIsAFailureNotASuccess() async {
        let queue = CommitQueue<Int> { _ in [] }
        await #expect(throws: CommitQueueError.self) { try await queue.submit(1) }
    }
}
