import Foundation

/// An attachment as the agent may know it: never a path or URL it could open.
public struct InboxAttachment: Sendable, Equatable {
    public var sha256: String
    public var mime: String
    public var size: Int

    public init(sha256: String, mime: String, size: Int) {
        self.sha256 = sha256
        self.mime = mime
        self.size = size
    }

    /// 64 lower-case hex digits, `type/subtype` of token characters, a size ≥ 0.
    public static func validated(sha256: String, mime: String, size: Int) -> InboxAttachment? {
        let hex = sha256.lowercased()
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit), size >= 0, size <= 1 << 40 else { return nil }
        let parts = mime.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in
            !part.isEmpty && part.count <= 64 && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
        }
        guard parts.count == 2, token(parts[0]), token(parts[1]) else { return nil }
        return InboxAttachment(sha256: hex, mime: mime.lowercased(), size: size)
    }
}

/// Opaque ids the agent sees instead of numbers: keyed hashes, stable for one deployment.
public enum InboxID {
    public static func chat(_ jid: String, key: AuditChainKey) -> String { "c_" + key.fingerprint("chat\u{0}" + jid).prefix(16) }
    public static func sender(_ jid: String, key: AuditChainKey) -> String { "s_" + key.fingerprint("sender\u{0}" + jid).prefix(16) }
    public static func message(source: String, sourceID: String, chat: String, key: AuditChainKey) -> String {
        "m_" + key.fingerprint("message\u{0}\(source)\u{0}\(chat)\u{0}\(sourceID)").prefix(16)
    }
}

/// One spool record, schema `gatehouse.inbox/1` (docs/inbound.md). What ingest writes and the
/// server reads; both check it against the schema, field by field.
public struct InboxRecord: Sendable, Equatable {
    public static let schema = "gatehouse.inbox/1"
    public enum ChatKind: String, Sendable, CaseIterable { case direct, group, service }
    public enum Source: String, Sendable, CaseIterable { case bridge, drop }

    public var id: String
    public var source: Source
    public var receivedAt: Date
    public var sentAt: Date
    public var chatID: String
    public var chatKind: ChatKind
    public var chatName: String
    public var senderID: String
    public var senderName: String
    public var senderMasked: String
    public var text: String
    public var textTruncated: Bool
    public var isCommand: Bool
    public var attachment: InboxAttachment?
    public var attachmentWithheld: Bool

    public init(
        id: String, source: Source, receivedAt: Date, sentAt: Date, chatID: String, chatKind: ChatKind, chatName: String,
        senderID: String, senderName: String, senderMasked: String, text: String, textTruncated: Bool, isCommand: Bool,
        attachment: InboxAttachment?, attachmentWithheld: Bool
    ) {
        self.id = id
        self.source = source
        self.receivedAt = receivedAt
        self.sentAt = sentAt
        self.chatID = chatID
        self.chatKind = chatKind
        self.chatName = chatName
        self.senderID = senderID
        self.senderName = senderName
        self.senderMasked = senderMasked
        self.text = text
        self.textTruncated = textTruncated
        self.isCommand = isCommand
        self.attachment = attachment
        self.attachmentWithheld = attachmentWithheld
    }

    public var json: JSONValue {
        .object([
            "schema": .string(Self.schema), "id": .string(id), "source": .string(source.rawValue),
            "received_at": .string(AuditTime.format(receivedAt)), "sent_at": .string(AuditTime.format(sentAt)),
            "chat_id": .string(chatID), "chat_kind": .string(chatKind.rawValue), "chat_name": .string(chatName),
            "sender_id": .string(senderID), "sender_name": .string(senderName), "sender_masked": .string(senderMasked),
            "text": .string(text), "text_truncated": .bool(textTruncated), "is_command": .bool(isCommand),
            "attachment": attachment.map {
                .object(["sha256": .string($0.sha256), "mime": .string($0.mime), "size": .int($0.size)])
            } ?? .null,
            "attachment_withheld": .bool(attachmentWithheld), "provenance": .string("untrusted"),
        ])
    }

    static let fields: Set<String> = [
        "schema", "id", "source", "received_at", "sent_at", "chat_id", "chat_kind", "chat_name", "sender_id", "sender_name",
        "sender_masked", "text", "text_truncated", "is_command", "attachment", "attachment_withheld", "provenance",
    ]

    /// Reads a record, refusing anything the schema does not allow: unknown or missing fields,
    /// wrong types, a text longer than `maxTextCharacters`, control or bidi characters left in.
    public static func validate(_ text: String, maxTextCharacters: Int) -> Result<InboxRecord, SchemaError> {
        guard let value = JSONParser.parse(text), case .object(let object) = value else {
            return .failure(SchemaError("not a JSON object"))
        }
        let fields = SchemaFields(object, allowed: Self.fields)
        if let problem = fields.problem { return .failure(problem) }
        do {
            guard try fields.string("schema") == schema else { throw SchemaError("schema is not \(schema)") }
            guard try fields.string("provenance") == "untrusted" else { throw SchemaError("provenance is not untrusted") }
            let id = try fields.id("id", prefix: "m_")
            guard let source = Source(rawValue: try fields.string("source")) else { throw SchemaError("unknown source") }
            guard let kind = ChatKind(rawValue: try fields.string("chat_kind")) else { throw SchemaError("unknown chat_kind") }
            let body = try fields.cleanString("text", max: maxTextCharacters)
            // In a record the attachment is always present (null when none: SchemaFields checked) and has no name.
            let attachment = try fields.attachment(allowFilename: false)
            return .success(
                InboxRecord(
                    id: id, source: source, receivedAt: try fields.time("received_at"), sentAt: try fields.time("sent_at"),
                    chatID: try fields.id("chat_id", prefix: "c_"), chatKind: kind, chatName: try fields.cleanString("chat_name", max: 64),
                    senderID: try fields.id("sender_id", prefix: "s_"), senderName: try fields.cleanString("sender_name", max: 64),
                    senderMasked: try fields.cleanString("sender_masked", max: 64), text: body, textTruncated: try fields.bool("text_truncated"),
                    isCommand: try fields.bool("is_command"), attachment: attachment, attachmentWithheld: try fields.bool("attachment_withheld")))
        } catch let error as SchemaError {
            return .failure(error)
        } catch {
            return .failure(SchemaError("\(error)"))
        }
    }
}

/// Why a record does not fit its schema. Names fields, never repeats their values.
public struct SchemaError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Typed, strict access to a JSON object's members: every allowed field must be present exactly
/// once (the parser keeps the last of duplicates), and no other field may be.
struct SchemaFields {
    let object: [String: JSONValue]
    var problem: SchemaError?

    init(_ object: [String: JSONValue], allowed: Set<String>, optional: Set<String> = []) {
        self.object = object
        if object.keys.contains(where: { !allowed.contains($0) }) {
            // Not named: a field name is the sender's text and could be a number.
            problem = SchemaError("an unknown field")
        } else if let missing = allowed.subtracting(optional).subtracting(object.keys).sorted().first {
            problem = SchemaError("missing field '\(missing)'")
        }
    }

    func string(_ name: String) throws -> String {
        guard case .string(let value)? = object[name] else { throw SchemaError("\(name) must be a string") }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw SchemaError("\(name) must be a string or null")
        }
    }

    func bool(_ name: String) throws -> Bool {
        guard case .bool(let value)? = object[name] else { throw SchemaError("\(name) must be true or false") }
        return value
    }

    func int(_ name: String) throws -> Int {
        guard case .int(let value)? = object[name] else { throw SchemaError("\(name) must be an integer") }
        return value
    }

    func id(_ name: String, prefix: String) throws -> String {
        let value = try string(name)
        guard value.hasPrefix(prefix), value.count == prefix.count + 16,
            value.dropFirst(prefix.count).allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { throw SchemaError("\(name) is not an id of the form \(prefix)<16 hex>") }
        return value
    }

    /// A string that sanitising would leave unchanged, within `max` characters.
    func cleanString(_ name: String, max: Int) throws -> String {
        let value = try string(name)
        let clean = InboundText.sanitize(value, maxCharacters: max)
        guard clean.text == value, !clean.truncated else { throw SchemaError("\(name) holds characters or a length the schema does not allow") }
        return value
    }

    /// `attachment`: absent or null, or `{sha256, mime, size}` (and, from a drop file, an optional
    /// `filename`, checked and then forgotten: the agent never gets a name or path).
    func attachment(allowFilename: Bool) throws -> InboxAttachment? {
        switch object["attachment"] {
        case nil, .null?: return nil
        case .object(let members)?:
            let allowed: Set<String> = allowFilename ? ["sha256", "mime", "size", "filename"] : ["sha256", "mime", "size"]
            let inner = SchemaFields(members, allowed: allowed, optional: ["filename"])
            if let problem = inner.problem { throw SchemaError("attachment: \(problem.description)") }
            if allowFilename { _ = try inner.optionalString("filename") }
            guard let valid = InboxAttachment.validated(sha256: try inner.string("sha256"), mime: try inner.string("mime"), size: try inner.int("size"))
            else { throw SchemaError("attachment is not a sha256, MIME type and size") }
            return valid
        default: throw SchemaError("attachment must be an object or null")
        }
    }

    func time(_ name: String) throws -> Date {
        guard let date = AuditTime.parse(try string(name)) else { throw SchemaError("\(name) is not an ISO-8601 UTC time") }
        return date
    }
}
