import Crypto
import Foundation

/// A signed statement "the audit had `seq` records and its head hash was `headHash` at `time`".
///
/// Kept outside the state directory (a git repository, an email to the owner), it proves later that
/// the log still extends what was seen then: a rollback to an older copy, a truncation, or a rewrite
/// of any record up to `seq` is caught even by someone who holds the HMAC chain key, because the
/// checkpoint was taken before their change and its Ed25519 signature cannot be redone for the
/// rewritten log without the signing key.
public struct AuditCheckpoint: Sendable, Equatable {
    public static let format = "gatehouse.checkpoint.v1"

    /// The number of the last record covered (0: an empty log).
    public let seq: Int
    /// That record's hash (``AuditChain/genesis`` for an empty log).
    public let headHash: String
    public let time: String
    /// The signer's Ed25519 public key, base64url (raw 32 bytes).
    public let publicKey: String
    /// Ed25519 over ``payload``, base64url.
    public let signature: String

    /// The canonical bytes the signature covers.
    public var payload: String {
        JSONValue.object([
            "format": .string(Self.format), "seq": .int(seq), "head_hash": .string(headHash),
            "time": .string(time), "public_key": .string(publicKey),
        ]).canonical
    }

    /// The checkpoint as one canonical JSON line.
    public var json: String {
        guard case .object(var members)? = JSONParser.parse(payload) else { return payload }
        members["signature"] = .string(signature)
        return JSONValue.object(members).canonical
    }

    public static func sign(seq: Int, headHash: String, time: Date, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        let unsigned = AuditCheckpoint(
            seq: seq, headHash: headHash, time: AuditTime.format(time),
            publicKey: Base64URL.encode(Array(key.publicKey.rawRepresentation)), signature: "")
        let signature = try key.signature(for: Array(unsigned.payload.utf8))
        return AuditCheckpoint(
            seq: seq, headHash: headHash, time: unsigned.time, publicKey: unsigned.publicKey,
            signature: Base64URL.encode(Array(signature)))
    }

    /// Parses a checkpoint line; nil unless it has exactly the expected fields and types.
    public static func parse(_ text: String) -> AuditCheckpoint? {
        guard case .object(let members)? = JSONParser.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            Set(members.keys) == ["format", "seq", "head_hash", "time", "public_key", "signature"],
            members["format"] == .string(format),
            case .int(let seq)? = members["seq"], seq >= 0,
            case .string(let headHash)? = members["head_hash"],
            case .string(let time)? = members["time"],
            case .string(let publicKey)? = members["public_key"],
            case .string(let signature)? = members["signature"]
        else { return nil }
        return AuditCheckpoint(seq: seq, headHash: headHash, time: time, publicKey: publicKey, signature: signature)
    }

    /// Whether the signature holds and was made by `trusted` (the state directory's signing key).
    public func isSigned(by trusted: Curve25519.Signing.PublicKey) -> Bool {
        guard Base64URL.decode(publicKey) == Array(trusted.rawRepresentation),
            let signatureBytes = Base64URL.decode(signature)
        else { return false }
        return trusted.isValidSignature(signatureBytes, for: Array(payload.utf8))
    }

    /// What a verified log says about this checkpoint: nil if the log extends it, else the problem.
    ///
    /// - Parameters:
    ///   - count: the number of records in the (already chain-verified) log.
    ///   - hashAtSeq: the hash of the log's record `seq`, or nil if it has none.
    public func problem(logCount count: Int, hashAtSeq: String?) -> String? {
        if count < seq {
            return "the log has \(count) records but the checkpoint of \(time) covered \(seq): it was truncated or rolled back"
        }
        let expected = seq == 0 ? AuditChain.genesis : hashAtSeq
        guard expected == headHash else {
            return "record \(seq) differs from the checkpoint of \(time): the log was rewritten up to there"
        }
        return nil
    }
}
