import Crypto
import Foundation

/// The key that chains and seals the audit. Its bytes never print.
public struct AuditChainKey: Sendable, CustomStringConvertible {
    let key: SymmetricKey

    public init(bytes: [UInt8]) { key = SymmetricKey(data: bytes) }
    public var description: String { "AuditChainKey(redacted)" }

    func mac(_ purpose: String, _ text: String) -> String {
        Array(HMAC<SHA256>.authenticationCode(for: Array((purpose + "\u{0}" + text).utf8), using: key)).hexString
    }

    /// A keyed hash of an identifier or a body: comparable across records, useless to guess from.
    public func fingerprint(_ text: String) -> String { mac("fingerprint", text) }

    /// Text kept for a short while (the end of a message, for split secrets) sealed with a key derived
    /// from this one, so the store never holds it in clear.
    public func seal(_ text: String) throws -> [UInt8] {
        Array(try ChaChaPoly.seal(Array(text.utf8), using: sealingKey).combined)
    }

    /// The text `seal` sealed, or nil if it was sealed under another key or altered.
    public func unseal(_ sealed: [UInt8]) -> String? {
        guard let box = try? ChaChaPoly.SealedBox(combined: sealed),
            let bytes = try? ChaChaPoly.open(box, using: sealingKey)
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private var sealingKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("gatehouse message tail".utf8), outputByteCount: 32)
    }
}

/// The hash chain over audit records and the seal over its head.
///
/// Each record's hash is an HMAC over its canonical JSON, which holds the previous hash, so an
/// edit, removal or reordering breaks the chain at that record. The head seal (an HMAC over the
/// last sequence number and hash, rewritten with every append) catches truncation at the end.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func seal(_ entry: AuditEntry, seq: Int, time: Date, prevHash: String, key: AuditChainKey) -> AuditRecord {
        let text = entry.json(seq: seq, time: AuditTime.format(time), prevHash: prevHash).canonical
        return AuditRecord(seq: seq, record: text, hash: key.mac("record", text))
    }

    public static func headSeal(seq: Int, hash: String, key: AuditChainKey) -> String {
        key.mac("head", "\(seq):\(hash)")
    }

    /// What `audit verify` found.
    public enum Verdict: Equatable, Sendable {
        case intact(count: Int)
        case broken(seq: Int, reason: String)
    }

    /// Walks the chain in sequence order and names the first record that does not hold.
    public static func verify(_ records: [AuditRecord], head: AuditHead?, key: AuditChainKey) -> Verdict {
        var verifier = Verifier(key: key)
        for record in records {
            if let broken = verifier.feed(record) { return broken }
        }
        return verifier.finish(head: head)
    }

    /// Checks records one at a time, so a long log is verified in pages with bounded memory.
    public struct Verifier: Sendable {
        let key: AuditChainKey
        var prevHash = AuditChain.genesis
        var expectedSeq = 1

        public init(key: AuditChainKey) { self.key = key }

        /// Resumes after a pruned prefix: the first kept record must follow the anchor's record.
        /// The anchor's own checkpoint signature is the caller's to check.
        public init(key: AuditChainKey, after anchor: AuditAnchor?) {
            self.key = key
            if let anchor {
                prevHash = anchor.hash
                expectedSeq = anchor.seq + 1
            }
        }

        /// Feeds the next record; returns the verdict if this record breaks the chain.
        public mutating func feed(_ record: AuditRecord) -> Verdict? {
            guard record.seq == expectedSeq else {
                if record.seq > expectedSeq {
                    return .broken(seq: expectedSeq, reason: "record \(expectedSeq) is missing (next present is \(record.seq))")
                }
                return .broken(seq: record.seq, reason: "record \(record.seq) is out of order")
            }
            guard SafeCompare.equal(Array(key.mac("record", record.record).utf8), Array(record.hash.utf8)) else {
                return .broken(seq: record.seq, reason: "record \(record.seq) was edited (its hash does not match its content)")
            }
            guard let fields = JSONParser.parse(record.record), fields["seq"]?.intValue == record.seq else {
                return .broken(seq: record.seq, reason: "record \(record.seq) does not carry its own sequence number")
            }
            guard fields["prev_hash"]?.stringValue == prevHash else {
                return .broken(
                    seq: record.seq, reason: "record \(record.seq) does not follow record \(record.seq - 1) (removed or reordered)")
            }
            prevHash = record.hash
            expectedSeq += 1
            return nil
        }

        /// After the last record: the head seal must name exactly the last record.
        public func finish(head: AuditHead?) -> Verdict {
            let count = expectedSeq - 1
            // Every store is created with a sealed head (at 0), so no head means it was removed.
            guard let head else {
                return .broken(seq: max(count, 1), reason: "the head seal is missing (the log was wiped or its head removed)")
            }
            let expectedSeal = AuditChain.headSeal(seq: head.seq, hash: head.hash, key: key)
            guard SafeCompare.equal(Array(expectedSeal.utf8), Array(head.seal.utf8)) else {
                return .broken(seq: head.seq, reason: "the head seal was altered")
            }
            if head.seq > count {
                return .broken(seq: count + 1, reason: "the log was truncated: the seal names \(head.seq) records, \(count) remain")
            }
            if head.seq < count || head.hash != prevHash {
                return .broken(seq: head.seq + 1, reason: "records after the sealed head \(head.seq) were not sealed")
            }
            return .intact(count: count)
        }
    }
}

/// Audit timestamps: UTC, milliseconds, ISO 8601.
public enum AuditTime {
    public static func format(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var time = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        // Hand-formatted: String(format:) showed up in profiles of the send path.
        var out = ""
        out.reserveCapacity(24)
        func field(_ value: Int, _ width: Int) {
            let digits = String(value)
            out += String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        field(Int(parts.tm_year) + 1900, 4)
        out += "-"
        field(Int(parts.tm_mon) + 1, 2)
        out += "-"
        field(Int(parts.tm_mday), 2)
        out += "T"
        field(Int(parts.tm_hour), 2)
        out += ":"
        field(Int(parts.tm_min), 2)
        out += ":"
        field(Int(parts.tm_sec), 2)
        out += "."
        field(Int(millis % 1000), 3)
        out += "Z"
        return out
    }
}
