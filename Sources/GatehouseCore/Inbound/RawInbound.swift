import Foundation

/// One inbound event as a source gives it, before identities are parsed or text sanitised.
public struct RawInbound: Sendable, Equatable {
    public var source: InboxRecord.Source
    public var sourceID: String
    public var chat: String
    public var sender: String
    public var senderName: String?
    public var chatName: String?
    public var sentAt: Date
    public var text: String
    public var fromMe: Bool
    public var attachment: InboxAttachment?

    public init(
        source: InboxRecord.Source, sourceID: String, chat: String, sender: String, senderName: String? = nil, chatName: String? = nil,
        sentAt: Date, text: String, fromMe: Bool = false, attachment: InboxAttachment? = nil
    ) {
        self.source = source
        self.sourceID = sourceID
        self.chat = chat
        self.sender = sender
        self.senderName = senderName
        self.chatName = chatName
        self.sentAt = sentAt
        self.text = text
        self.fromMe = fromMe
        self.attachment = attachment
    }

    /// Parses identities and sanitises text. A chat or sender that is no identity is a schema
    /// failure (quarantine); a status or broadcast chat is a drop.
    public func message(maxTextCharacters: Int) -> Result<InboundMessage, InboundIdentity.Problem> {
        let chat: InboundChat
        switch InboundIdentity.chat(self.chat) {
        case .failure(let problem): return .failure(problem)
        case .success(let parsed): chat = parsed
        }
        let candidates: [RecipientID]
        switch InboundIdentity.candidates(sender: sender, chat: chat) {
        case .failure(let problem): return .failure(problem)
        case .success(let found): candidates = found
        }
        return .success(
            InboundMessage(
                source: source, sourceID: sourceID, chat: chat, senderCandidates: candidates,
                senderName: InboundText.label(senderName ?? ""), chatName: InboundText.label(chatName ?? ""), sentAt: sentAt,
                text: InboundText.sanitize(text, maxCharacters: maxTextCharacters), attachment: attachment))
    }
}

/// The drop folder's event schema, `gatehouse.drop/1` (docs/inbound.md): strict, like the spool's.
public enum DropEvent {
    public static let schema = "gatehouse.drop/1"
    /// A larger file is quarantined unread.
    public static let maximumBytes = 1 << 20
    static let required: Set<String> = ["schema", "id", "chat", "sender", "timestamp", "text", "from_me"]
    static let optional: Set<String> = ["sender_name", "chat_name", "attachment"]

    public static func parse(_ text: String) -> Result<RawInbound, SchemaError> {
        guard let value = JSONParser.parse(text), case .object(let object) = value else {
            return .failure(SchemaError("not a JSON object"))
        }
        let fields = SchemaFields(object, allowed: required.union(optional), optional: optional)
        if let problem = fields.problem { return .failure(problem) }
        do {
            guard try fields.string("schema") == schema else { throw SchemaError("schema is not \(schema)") }
            let id = try fields.string("id")
            guard (1...128).contains(id.count), id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw SchemaError("id must be 1 to 128 printable ASCII characters")
            }
            let sentAt: Date
            switch object["timestamp"] {
            case .int(let seconds)?:
                guard let date = Timestamp.unix(seconds) else { throw SchemaError("timestamp is outside 1970 to 9999") }
                sentAt = date
            case .string(let iso)?:
                guard let parsed = Timestamp.parse(iso) else { throw SchemaError("timestamp is not ISO-8601 with an offset, 1970 to 9999") }
                sentAt = parsed
            default: throw SchemaError("timestamp must be an ISO-8601 string or Unix seconds")
            }
            let attachment = try fields.attachment(allowFilename: true)
            return .success(
                RawInbound(
                    source: .drop, sourceID: id, chat: try fields.string("chat"), sender: try fields.string("sender"),
                    senderName: try fields.optionalString("sender_name"), chatName: try fields.optionalString("chat_name"),
                    sentAt: sentAt, text: try fields.string("text"), fromMe: try fields.bool("from_me"), attachment: attachment))
        } catch let error as SchemaError {
            return .failure(error)
        } catch {
            return .failure(SchemaError("\(error)"))
        }
    }
}
