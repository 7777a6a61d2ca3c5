/// Which WhatsApp identity a recipient is. A LID is never a phone number (CONTRACTS.md §6).
public enum RecipientKind: String, Sendable, Codable {
    case phone
    case group
    case lid
}

/// A canonical WhatsApp recipient: `<digits>@s.whatsapp.net`, `<id>@g.us` or `<digits>@lid`.
///
/// Only ``RecipientNormalizer`` makes one, so two values are equal exactly when they name the
/// same identity, whatever form (`+44 7700…`, `…@c.us`, `…:12@s.whatsapp.net`) they were given in.
public struct RecipientID: Hashable, Sendable, CustomStringConvertible {
    public let kind: RecipientKind
    /// The canonical JID, e.g. `447700900123@s.whatsapp.net`.
    public let jid: String

    init(kind: RecipientKind, jid: String) {
        self.kind = kind
        self.jid = jid
    }

    /// The user part of the JID (digits for phones and LIDs).
    public var user: Substring { jid[..<(jid.firstIndex(of: "@") ?? jid.endIndex)] }

    /// A form safe to show anywhere outside the config: `+44•••••••123`, `1203•••••890@g.us`.
    public var masked: String {
        let digits = Array(user)
        let keepHead = kind == .phone ? 2 : 4
        let keepTail = 3
        guard digits.count > keepHead + keepTail else { return String(repeating: "•", count: digits.count) }
        let head = String(digits[..<keepHead])
        let tail = String(digits[(digits.count - keepTail)...])
        let hidden = String(repeating: "•", count: digits.count - keepHead - keepTail)
        switch kind {
        case .phone: return "+\(head)\(hidden)\(tail)"
        case .group: return "\(head)\(hidden)\(tail)@g.us"
        case .lid: return "\(head)\(hidden)\(tail)@lid"
        }
    }

    /// Masked, so that a recipient interpolated into a message or log never leaks the number.
    public var description: String { masked }
}
