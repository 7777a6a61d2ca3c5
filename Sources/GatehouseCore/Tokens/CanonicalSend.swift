import Crypto

/// Exactly what a confirmation token vouches for. Any change to one of these voids the token.
public struct CanonicalSend: Sendable, Equatable {
    public enum Kind: String, Sendable { case text, file }

    public let kind: Kind
    public let recipientJID: String
    public let textSHA256: String
    public let captionSHA256: String
    /// Empty for text sends.
    public let fileSHA256: String
    public let policyHash: String

    public init(kind: Kind, recipient: RecipientID, text: String?, caption: String?, fileSHA256: String?, policyHash: String) {
        self.kind = kind
        self.recipientJID = recipient.jid
        self.textSHA256 = Self.digest(text)
        self.captionSHA256 = Self.digest(caption)
        self.fileSHA256 = fileSHA256 ?? ""
        self.policyHash = policyHash
    }

    /// Absent and empty differ, so "no caption" and "empty caption" are different sends.
    static func digest(_ text: String?) -> String {
        guard let text else { return "-" }
        return SHA256.hash(data: Array(text.utf8)).hexString
    }

    /// Length-prefixed fields, so no two different sends can render the same bytes.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        for field in ["gatehouse.confirm.v1", kind.rawValue, recipientJID, textSHA256, captionSHA256, fileSHA256, policyHash] {
            let utf8 = Array(field.utf8)
            out.append(contentsOf: withUnsafeBytes(of: UInt32(utf8.count).bigEndian, Array.init))
            out.append(contentsOf: utf8)
        }
        return out
    }
}
