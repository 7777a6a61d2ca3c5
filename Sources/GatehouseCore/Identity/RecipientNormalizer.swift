/// Why a string is not a recipient Gatehouse will send to. Messages never repeat the input.
public enum RecipientParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong
    case badCharacters
    case tooFewDigits
    case tooManyDigits
    case leadingZero
    case multipleAt
    case emptyUser
    case plusInJID
    case badUser(server: String)
    case refusedServer(String)
    case unknownServer

    public var description: String {
        switch self {
        case .empty: return "recipient is empty"
        case .tooLong: return "recipient is too long"
        case .badCharacters: return "a phone number may contain only digits, a leading +, spaces, '-', '.', '(' and ')'"
        case .tooFewDigits: return "a phone number needs at least 7 digits including the country code"
        case .tooManyDigits: return "a phone number has at most 15 digits (E.164)"
        case .leadingZero:
            return "a national number (leading 0) is ambiguous: give the international form with country code, e.g. +44…"
        case .multipleAt: return "a JID has exactly one '@'"
        case .emptyUser: return "a JID needs a user part before '@'"
        case .plusInJID: return "a JID user part has no '+': write 447700900123@s.whatsapp.net"
        case .badUser(let server): return "the user part is not valid for @\(server)"
        case .refusedServer(let server): return "@\(server) is not a send target (status, broadcast lists and channels are refused)"
        case .unknownServer: return "unknown JID server: use @s.whatsapp.net, @c.us, @g.us or @lid"
        }
    }
}

/// Turns what a person or an agent writes into a canonical ``RecipientID``, per CONTRACTS.md §6.
///
/// Accepts E.164 numbers with or without `+` (a bare digit string is read as international, as
/// the bridge reads it), separators, a `whatsapp:` prefix, user JIDs on `s.whatsapp.net` or `c.us`
/// with any device suffix dropped, groups on `g.us`, and LIDs as their own kind. Refuses national
/// numbers, letters, more than 15 digits, several `@`, unknown servers, broadcast and newsletter JIDs.
public enum RecipientNormalizer {
    static let maximumLength = 128

    public static func parse(_ input: String) -> Result<RecipientID, RecipientParseError> {
        var text = Substring(input.trimmingWhitespace())
        guard !text.isEmpty else { return .failure(.empty) }
        guard text.utf8.count <= maximumLength else { return .failure(.tooLong) }
        if text.lowercased().hasPrefix("whatsapp:") {
            text = Substring(String(text.dropFirst("whatsapp:".count)).trimmingWhitespace())
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parsePhone(text)
        case 2: return parseJID(user: parts[0], server: parts[1].lowercased())
        default: return .failure(.multipleAt)
        }
    }

    static func parsePhone(_ text: Substring) -> Result<RecipientID, RecipientParseError> {
        // Scalars, not Characters: "1" followed by a combining mark is one Character that sorts
        // between "0" and "9", and must not count as a digit.
        var digits = ""
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": digits.unicodeScalars.append(scalar)
            case "+" where offset == 0: continue
            case " ", "-", ".", "(", ")", "\u{00A0}": continue
            default: return .failure(.badCharacters)
            }
        }
        return validatedE164(digits).map { RecipientID(kind: .phone, jid: "\($0)@s.whatsapp.net") }
    }

    static func validatedE164(_ digits: String) -> Result<String, RecipientParseError> {
        if digits.first == "0" { return .failure(.leadingZero) }
        if digits.count < 7 { return .failure(.tooFewDigits) }
        if digits.count > 15 { return .failure(.tooManyDigits) }
        return .success(digits)
    }

    static func parseJID(user rawUser: Substring, server: String) -> Result<RecipientID, RecipientParseError> {
        guard !rawUser.isEmpty else { return .failure(.emptyUser) }
        if rawUser.contains("+") { return .failure(.plusInJID) }
        switch server {
        case "s.whatsapp.net", "c.us":
            // `user.agent:device` forms name one device of the same person: keep the person.
            // Agent and device are digits when present (whatsmeow's JID grammar), never empty.
            let device = rawUser.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let agent = device[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let suffixes = Array(device.dropFirst()) + Array(agent.dropFirst())
            let user = agent[0]
            guard !user.isEmpty, user.allSatisfy(\.isASCIIDigit),
                suffixes.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCIIDigit) })
            else { return .failure(.badUser(server: server)) }
            return validatedE164(String(user)).map { RecipientID(kind: .phone, jid: "\($0)@s.whatsapp.net") }
        case "g.us":
            // `120363041234567890` or the older `<creator phone>-<unix time>`: long digit runs, not `1`.
            let groups = rawUser.split(separator: "-", omittingEmptySubsequences: false)
            guard groups.count <= 2, groups.allSatisfy({ $0.count >= 7 && $0.allSatisfy(\.isASCIIDigit) }), rawUser.count <= 40 else {
                return .failure(.badUser(server: server))
            }
            return .success(RecipientID(kind: .group, jid: "\(rawUser)@g.us"))
        case "lid":
            let user = rawUser.prefix { $0 != ":" }
            guard (6...20).contains(user.count), user.allSatisfy(\.isASCIIDigit) else {
                return .failure(.badUser(server: server))
            }
            return .success(RecipientID(kind: .lid, jid: "\(user)@lid"))
        case "broadcast", "newsletter":
            return .failure(.refusedServer(server))
        default:
            return .failure(.unknownServer)
        }
    }
}

extension Character {
    /// Exactly one scalar, 0-9: no other script's digits, no combining marks.
    var isASCIIDigit: Bool { unicodeScalars.count == 1 && ("0"..."9").contains(unicodeScalars.first!) }
}

extension String {
    /// Trims Unicode white space at both ends without Foundation.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
