import Foundation
import Testing

@testable import GatehouseCore

@Suite struct AuditChainTests {
    private static let key = AuditChainKey(bytes: Array(repeating: 0x11, count: 32))
    private static let otherKey = AuditChainKey(bytes: Array(repeating: 0x12, count: 32))
    private static let start = Date(timeIntervalSince1970: 1_800_000_000)

    private static func entry(_ index: Int) -> AuditEntry {
        var entry = AuditEntry(event: .blocked, tool: "wa_send_message", decisionID: "d\(index)", status: "blocked")
        entry.reasons = [Denial(.rateGlobalMinute, check: .rateLimit, "rate limit: 10 sends per minute reached")]
        entry.recipientMasked = "+44•••••••123"
        entry.bodyPreview = "hello \u{2028} 😀 #\(index)"
        entry.bodyLength = 12
        return entry
    }

    /// A sealed chain of `count` records and its head, as the store keeps them.
    private static func chain(_ count: Int, key: AuditChainKey = key) -> ([AuditRecord], AuditHead?) {
        var records: [AuditRecord] = []
        for seq in 1...count {
            let prev = records.last?.hash ?? AuditChain.genesis
            records.append(AuditChain.seal(entry(seq), seq: seq, time: start.addingTimeInterval(Double(seq)), prevHash: prev, key: key))
        }
        let last = records.last!
        return (records, AuditHead(seq: last.seq, hash: last.hash, seal: AuditChain.headSeal(seq: last.seq, hash: last.hash, key: key)))
    }

    private func verify(_ records: [AuditRecord], _ head: AuditHead?, key: AuditChainKey = key) -> AuditChain.Verdict {
        AuditChain.verify(records, head: head, key: key)
    }

    private func brokenSeq(_ verdict: AuditChain.Verdict) -> Int? {
        if case .broken(let seq, _) = verdict { return seq }
        return nil
    }

    private func reason(_ verdict: AuditChain.Verdict) -> String {
        if case .broken(_, let reason) = verdict { return reason }
        return ""
    }

    // MARK: Records

    @Test func recordsLinkToTheirPredecessor() throws {
        let (records, _) = Self.chain(3)
        #expect(records.map(\.seq) == [1, 2, 3])
        let fields = try records.map { try #require(JSONParser.parse($0.record)) }
        #expect(fields[0]["prev_hash"]?.stringValue == AuditChain.genesis)
        #expect(fields[1]["prev_hash"]?.stringValue == records[0].hash)
        #expect(fields[2]["prev_hash"]?.stringValue == records[1].hash)
        #expect(fields[2]["seq"]?.intValue == 3)
        #expect(fields[0]["time"]?.stringValue == "2027-01-15T08:00:01.000Z")
        #expect(fields[0]["event"]?.stringValue == "blocked")
        #expect(fields[0]["reasons"] == .array([.object(["code": .string("rate_limit.global_minute"), "check": .string("rate_limit"), "detail": .string("rate limit: 10 sends per minute reached")])]))
        #expect(records.allSatisfy { $0.hash.count == 64 && $0.hash.allSatisfy(\.isHexDigit) })
    }

    @Test func recordIsOneASCIILineWhateverTheBodyHolds() {
        let (records, _) = Self.chain(1)
        #expect(records[0].record.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
        #expect(records[0].record.contains(#"\u2028"#))
        #expect(JSONParser.parse(records[0].record)?["body_preview"]?.stringValue == "hello \u{2028} 😀 #1")
    }

    @Test func sealingIsDeterministicAndKeyed() {
        let a = AuditChain.seal(Self.entry(1), seq: 1, time: Self.start, prevHash: AuditChain.genesis, key: Self.key)
        let b = AuditChain.seal(Self.entry(1), seq: 1, time: Self.start, prevHash: AuditChain.genesis, key: Self.key)
        let c = AuditChain.seal(Self.entry(1), seq: 1, time: Self.start, prevHash: AuditChain.genesis, key: Self.otherKey)
        #expect(a == b)
        #expect(a.record == c.record)
        #expect(a.hash != c.hash)
    }

    // MARK: Verify

    @Test func intactChainVerifies() {
        let (records, head) = Self.chain(5)
        #expect(verify(records, head) == .intact(count: 5))
    }

    @Test func emptyLogWithItsSealedEmptyHeadIsIntact() {
        let head = AuditHead(seq: 0, hash: AuditChain.genesis, seal: AuditChain.headSeal(seq: 0, hash: AuditChain.genesis, key: Self.key))
        #expect(verify([], head) == .intact(count: 0))
    }

    @Test func aWipedLogWithoutHeadIsBroken() {
        // A store always has a head (sealed at 0 when created): none means records and head were deleted.
        #expect(verify([], nil) == .broken(seq: 1, reason: "the head seal is missing (the log was wiped or its head removed)"))
    }

    @Test func editedRecordIsNamed() {
        var (records, head) = Self.chain(5)
        let edited = records[2].record.replacingOccurrences(of: "#3", with: "#X")
        #expect(edited != records[2].record)
        records[2] = AuditRecord(seq: 3, record: edited, hash: records[2].hash)
        let verdict = verify(records, head)
        #expect(brokenSeq(verdict) == 3)
        #expect(reason(verdict).contains("edited"))
    }

    @Test func editedRecordRehashedWithoutTheKeyIsNamed() {
        var (records, head) = Self.chain(5)
        let forged = AuditChain.seal(Self.entry(99), seq: 3, time: Self.start, prevHash: records[1].hash, key: Self.otherKey)
        records[2] = forged
        #expect(brokenSeq(verify(records, head)) == 3)
    }

    @Test func deletionInTheMiddleIsNamed() {
        var (records, head) = Self.chain(5)
        records.remove(at: 2)
        let verdict = verify(records, head)
        #expect(brokenSeq(verdict) == 3)
        #expect(reason(verdict).contains("missing"))
    }

    @Test func deletionOfTheFirstRecordIsNamed() {
        var (records, head) = Self.chain(5)
        records.removeFirst()
        #expect(brokenSeq(verify(records, head)) == 1)
    }

    @Test func reorderingIsNamed() {
        var (records, head) = Self.chain(5)
        records.swapAt(1, 2)
        #expect(brokenSeq(verify(records, head)) == 2)
    }

    @Test func renumberedRecordIsNamed() {
        // A record moved to another sequence number keeps its own seq inside the hashed JSON.
        var (records, head) = Self.chain(5)
        records[3] = AuditRecord(seq: 4, record: records[4].record, hash: records[4].hash)
        records.removeLast()
        let verdict = verify(records, head)
        #expect(brokenSeq(verdict) == 4)
    }

    @Test func duplicatedRecordIsNamed() {
        var (records, head) = Self.chain(5)
        records.insert(records[1], at: 2)
        #expect(brokenSeq(verify(records, head)) == 2)
    }

    @Test func truncationAtTheEndIsCaughtByTheHeadSeal() {
        var (records, head) = Self.chain(5)
        records.removeLast(2)
        let verdict = verify(records, head)
        #expect(brokenSeq(verdict) == 4)
        #expect(reason(verdict).contains("truncated"))
    }

    @Test func truncationWithAHeadMovedBackWithoutTheKeyIsCaught() throws {
        // Given the last record removed and the head pointed at record 4, but with the old seal
        var (records, head) = Self.chain(5)
        records.removeLast()
        let old = try #require(head)
        head = AuditHead(seq: 4, hash: records[3].hash, seal: old.seal)
        let verdict = verify(records, head)
        #expect(brokenSeq(verdict) == 4)
        #expect(reason(verdict).contains("seal"))
    }

    @Test func alteredSealIsNamed() throws {
        let (records, head) = Self.chain(5)
        let original = try #require(head)
        let flipped = String(original.seal.dropLast()) + (original.seal.last == "0" ? "1" : "0")
        let verdict = verify(records, AuditHead(seq: original.seq, hash: original.hash, seal: flipped))
        #expect(brokenSeq(verdict) == 5)
        #expect(reason(verdict).contains("altered"))
    }

    @Test func missingSealIsNamed() {
        let (records, _) = Self.chain(5)
        let verdict = verify(records, nil)
        #expect(brokenSeq(verdict) == 5)
        #expect(reason(verdict).contains("missing"))
    }

    @Test func headOverAnEmptyLogIsTruncation() {
        let (_, head) = Self.chain(3)
        #expect(brokenSeq(verify([], head)) == 1)
    }

    @Test func recordsAfterTheSealedHeadAreNamed() {
        let (records, _) = Self.chain(5)
        let stale = AuditHead(seq: 4, hash: records[3].hash, seal: AuditChain.headSeal(seq: 4, hash: records[3].hash, key: Self.key))
        let verdict = verify(records, stale)
        #expect(brokenSeq(verdict) == 5)
        #expect(reason(verdict).contains("not sealed"))
    }

    @Test func headNamingAnotherHashIsCaught() {
        let (records, _) = Self.chain(5)
        let wrong = AuditHead(seq: 5, hash: records[3].hash, seal: AuditChain.headSeal(seq: 5, hash: records[3].hash, key: Self.key))
        #expect(brokenSeq(verify(records, wrong)) != nil)
    }

    @Test func wrongKeyBreaksAtTheFirstRecord() {
        let (records, head) = Self.chain(3)
        #expect(brokenSeq(verify(records, head, key: Self.otherKey)) == 1)
    }

    @Test func pagedVerifierAgreesWithVerify() {
        let (records, head) = Self.chain(7)
        var verifier = AuditChain.Verifier(key: Self.key)
        for record in records { #expect(verifier.feed(record) == nil) }
        #expect(verifier.finish(head: head) == .intact(count: 7))

        var broken = AuditChain.Verifier(key: Self.key)
        var found: AuditChain.Verdict?
        for record in records where record.seq != 4 {
            if let verdict = broken.feed(record) { found = verdict; break }
        }
        #expect(found.flatMap(brokenSeq) == 4)
    }

    // MARK: Key, fingerprint, time

    @Test func keyNeverPrintsAndFingerprintsAreKeyed() {
        #expect("\(Self.key)" == "AuditChainKey(redacted)")
        #expect(Self.key.fingerprint("447700900123") == Self.key.fingerprint("447700900123"))
        #expect(Self.key.fingerprint("447700900123") != Self.key.fingerprint("447700900124"))
        #expect(Self.key.fingerprint("447700900123") != Self.otherKey.fingerprint("447700900123"))
        #expect(!Self.key.fingerprint("447700900123").contains("447700900123"))
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1.2345, "1970-01-01T00:00:01.234Z"),
        (1_800_000_000.5, "2027-01-15T08:00:00.500Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
    ])
    func auditTimeIsUTCMilliseconds(seconds: Double, expected: String) {
        #expect(AuditTime.format(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
