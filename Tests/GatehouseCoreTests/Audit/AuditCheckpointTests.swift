import Crypto
import Foundation
import Testing

@testable import GatehouseCore

@Suite struct AuditCheckpointTests {
    let key = Curve25519.Signing.PrivateKey()
    let other = Curve25519.Signing.PrivateKey()
    let hash = String(repeating: "ab", count: 32)

    @Test func aSignedCheckpointRoundTripsAndVerifiesOnlyUnderItsKey() throws {
        let checkpoint = try AuditCheckpoint.sign(seq: 7, headHash: hash, time: Date(timeIntervalSince1970: 1_800_000_000), key: key)
        let parsed = try #require(AuditCheckpoint.parse(checkpoint.json + "\n"))
        #expect(parsed == checkpoint)
        #expect(parsed.isSigned(by: key.publicKey))
        #expect(!parsed.isSigned(by: other.publicKey))
    }

    @Test func anyEditedFieldBreaksTheSignature() throws {
        let checkpoint = try AuditCheckpoint.sign(seq: 7, headHash: hash, time: Date(), key: key)
        let edits = [
            AuditCheckpoint(seq: 6, headHash: hash, time: checkpoint.time, publicKey: checkpoint.publicKey, signature: checkpoint.signature),
            AuditCheckpoint(seq: 7, headHash: String(repeating: "cd", count: 32), time: checkpoint.time, publicKey: checkpoint.publicKey, signature: checkpoint.signature),
            AuditCheckpoint(seq: 7, headHash: hash, time: "2020-01-01T00:00:00.000Z", publicKey: checkpoint.publicKey, signature: checkpoint.signature),
        ]
        for edited in edits { #expect(!edited.isSigned(by: key.publicKey)) }
    }

    @Test func parseRefusesMissingExtraAndMistypedFields() throws {
        let good = try AuditCheckpoint.sign(seq: 1, headHash: hash, time: Date(), key: key).json
        #expect(AuditCheckpoint.parse(good) != nil)
        #expect(AuditCheckpoint.parse(good.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":\"1\"")) == nil)
        #expect(AuditCheckpoint.parse(good.replacingOccurrences(of: "}", with: ",\"extra\":true}")) == nil)
        #expect(AuditCheckpoint.parse("{}") == nil)
        #expect(AuditCheckpoint.parse("not json") == nil)
    }

    @Test func theLogMustStillHoldTheCheckpointedRecord() throws {
        let checkpoint = try AuditCheckpoint.sign(seq: 7, headHash: hash, time: Date(), key: key)
        #expect(checkpoint.problem(logCount: 7, hashAtSeq: hash) == nil)
        #expect(checkpoint.problem(logCount: 12, hashAtSeq: hash) == nil)
        #expect(checkpoint.problem(logCount: 6, hashAtSeq: nil)?.contains("truncated or rolled back") == true)
        #expect(checkpoint.problem(logCount: 9, hashAtSeq: "00")?.contains("rewritten") == true)
        let empty = try AuditCheckpoint.sign(seq: 0, headHash: AuditChain.genesis, time: Date(), key: key)
        #expect(empty.problem(logCount: 3, hashAtSeq: nil) == nil)
    }
}
