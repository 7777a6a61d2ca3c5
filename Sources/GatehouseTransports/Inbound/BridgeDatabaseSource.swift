import Foundation
import GRDB
import GatehouseCore

/// The whatsmeow bridge's `messages.db` (CONTRACTS.md §1), opened read-only and polled for rows
/// newer than a cursor `(julianday(timestamp), id)`: timestamps are TEXT in local time with an offset,
/// so they are compared as instants, not as strings.
public struct BridgeDatabaseSource: InboundSource {
    public let path: String
    /// The cursor from the last commit, as ``cursorValue`` wrote it; nil starts at the beginning.
    public let cursor: String?
    public var name: String { "bridge" }
    /// Where this database's cursor is kept in the store (kind `cursor`).
    public var cursorName: String { "bridge:" + path }

    public init(path: String, cursor: String?) {
        self.path = path
        self.cursor = cursor
    }

    func open() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        configuration.label = "bridge-messages"
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// The cursor just after the newest row present: where a first run without backfill starts.
    public func newestCursor() throws -> String {
        try open().read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT julianday(timestamp) AS t, id FROM messages WHERE julianday(timestamp) IS NOT NULL ORDER BY t DESC, id DESC LIMIT 1")
            guard let row else { return Self.cursorValue(day: 0, id: "") }
            return Self.cursorValue(day: row["t"], id: row["id"])
        }
    }

    static func cursorValue(day: Double, id: String) -> String { "\(day)|\(id)" }

    static func parseCursor(_ text: String?) -> (day: Double, id: String) {
        guard let text, let bar = text.firstIndex(of: "|"), let day = Double(text[..<bar]) else { return (0, "") }
        return (day, String(text[text.index(after: bar)...]))
    }

    public func poll(limit: Int) throws -> (items: [SourceItem], commit: SourceCommit) {
        let (day, id) = Self.parseCursor(cursor)
        let rows = try open().read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT julianday(m.timestamp) AS t, m.id, m.chat_jid, m.sender, m.content, m.timestamp, m.is_from_me,
                           m.media_type, m.file_sha256, m.file_length, c.name AS chat_name
                    FROM messages m LEFT JOIN chats c ON c.jid = m.chat_jid
                    WHERE julianday(m.timestamp) > ? OR (julianday(m.timestamp) = ? AND m.id > ?)
                    ORDER BY t, m.id LIMIT ?
                    """, arguments: [day, day, id, limit])
        }
        var items: [SourceItem] = []
        var last: (Double, String)?
        for row in rows {
            let rowID: String = row["id"] ?? ""
            last = (row["t"] ?? day, rowID)
            items.append(Self.item(row))
        }
        // Rows whose timestamp SQLite cannot read sort nowhere (julianday is NULL) and are never returned.
        guard let last else { return (items, .nothing) }
        return (items, .cursor(Self.cursorValue(day: last.0, id: last.1)))
    }

    static func item(_ row: Row) -> SourceItem {
        let id: String? = row["id"]
        let chat: String? = row["chat_jid"]
        let stamp: String? = row["timestamp"]
        let name = "bridge-" + String((id ?? "").prefix(64).filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        guard let id, !id.isEmpty, id.count <= 128 else { return SourceItem(.malformed(name: name, raw: [], reason: "a row without a usable id")) }
        guard let chat else { return SourceItem(.malformed(name: name, raw: [], reason: "a row without a chat")) }
        guard let stamp, let sentAt = Timestamp.parse(stamp) else { return SourceItem(.malformed(name: name, raw: [], reason: "a timestamp that cannot be read")) }
        var attachment: InboxAttachment?
        if let media: String = row["media_type"], !media.isEmpty {
            let digest: Data? = row["file_sha256"]
            let size: Int = row["file_length"] ?? 0
            // The bridge keeps no MIME subtype (CONTRACTS.md §1): the kind stands in for it.
            let mime = ["image": "image/unknown", "video": "video/unknown", "audio": "audio/unknown", "document": "application/octet-stream"][media]
            if let digest, digest.count == 32, let mime {
                attachment = InboxAttachment(sha256: Array(digest).hexString, mime: mime, size: max(0, size))
            } else {
                return SourceItem(.malformed(name: name, raw: [], reason: "media without a SHA-256 or with an unknown media_type"))
            }
        }
        let fromMe: Bool = row["is_from_me"] ?? false
        return SourceItem(.event(
            RawInbound(
                source: .bridge, sourceID: id, chat: chat, sender: row["sender"] ?? "", senderName: nil, chatName: row["chat_name"],
                sentAt: sentAt, text: row["content"] ?? "", fromMe: fromMe, attachment: attachment)))
    }
}
