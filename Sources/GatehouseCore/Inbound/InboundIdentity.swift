/// Who sent an inbound message and in which chat, as the sources give them (CONTRACTS.md §1, §6).
public enum InboundChat: Sendable, Equatable {
    case direct(RecipientID)
    case group(RecipientID)
}

/// Reads the chat and sender columns of a source into identities.
///
/// The bridge's `sender` column holds a bare user part for live messages (phone or LID digits) and a
/// full JID for history sync, so a bare digit run in a group may be either: both readings are kept
/// and the registry decides (``candidates``).
public enum InboundIdentity {
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case badChat(String)
        case unsupportedChat
        case badSender(String)

        public var description: String {
            switch self {
            case .badChat(let why): return "the chat is not a valid JID: \(why)"
            case .unsupportedChat: return "status, broadcast and channel chats are not read"
            case .badSender(let why): return "the sender is not a valid number or JID: \(why)"
            }
        }
    }

    public static func chat(_ raw: String) -> Result<InboundChat, Problem> {
        let lower = raw.lowercased()
        if lower.hasSuffix("@broadcast") || lower.hasSuffix("@newsletter") { return .failure(.unsupportedChat) }
        switch RecipientNormalizer.parse(raw) {
        case .failure(let error): return .failure(.badChat(error.description))
        case .success(let id): return .success(id.kind == .group ? .group(id) : .direct(id))
        }
    }

    /// The identities the sender may be, most likely first. In a direct chat the chat is the sender.
    public static func candidates(sender raw: String, chat: InboundChat) -> Result<[RecipientID], Problem> {
        let text = raw.trimmingWhitespace()
        if case .direct(let id) = chat {
            // The chat says who it is; a sender column that is no identity at all is still a malformed record.
            if !text.isEmpty, case .failure(let problem) = readings(text) { return .failure(problem) }
            return .success([id])
        }
        guard !text.isEmpty else { return .failure(.badSender("empty")) }
        return readings(text)
    }

    /// The identities a non-empty sender column may name.
    static func readings(_ text: String) -> Result<[RecipientID], Problem> {
        if text.hasPrefix("+") {
            switch RecipientNormalizer.parse(text) {
            case .success(let id): return .success([id])
            case .failure(let error): return .failure(.badSender(error.description))
            }
        }
        if text.contains("@") {
            switch RecipientNormalizer.parse(text) {
            case .success(let id) where id.kind != .group: return .success([id])
            case .success: return .failure(.badSender("a group cannot be a sender"))
            case .failure(let error): return .failure(.badSender(error.description))
            }
        }
        guard text.allSatisfy(\.isASCIIDigit) else { return .failure(.badSender("not digits")) }
        let phone = try? RecipientNormalizer.parse(text + "@s.whatsapp.net").get()
        let lid = try? RecipientNormalizer.parse(text + "@lid").get()
        let found = [phone, lid].compactMap { $0 }
        return found.isEmpty ? .failure(.badSender("neither a phone number nor a LID")) : .success(found)
    }
}
