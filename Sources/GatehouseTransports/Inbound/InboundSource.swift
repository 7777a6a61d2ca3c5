import GatehouseCore

/// One item a source read: an event, or bytes that fail its schema (for quarantine).
public struct SourceItem: Sendable {
    public enum Content: Sendable {
        case event(RawInbound)
        case malformed(name: String, raw: [UInt8], reason: String)
    }

    public let content: Content
    /// The drop file to remove as soon as this item is handled, so it is never handled twice.
    public let file: String?
    /// The bytes the event was read from (a drop file), kept for quarantine if it fails later checks.
    public let raw: [UInt8]

    public init(_ content: Content, file: String? = nil, raw: [UInt8] = []) {
        self.content = content
        self.file = file
        self.raw = raw
    }
}

/// Where inbound messages come from: the bridge's `messages.db`, the drop folder, and (in a later
/// issue) the Cloud API webhook. Ingest polls each; once it has handled what a poll returned (spooled,
/// dropped or quarantined) it removes each item's file and saves the poll's cursor, so the source
/// does not return those items again.
///
/// A source never writes to what it reads from except to consume it where that is its protocol
/// (the drop folder's files); the bridge's database is opened read-only.
public protocol InboundSource: Sendable {
    var name: String { get }
    /// Up to `limit` items not yet committed, oldest first, and a token that commits them.
    func poll(limit: Int) throws -> (items: [SourceItem], commit: SourceCommit)
}

/// What to persist once a poll's items are handled: nothing (drop files go one by one), or the bridge cursor.
public enum SourceCommit: Sendable {
    case nothing
    case cursor(String)
}
