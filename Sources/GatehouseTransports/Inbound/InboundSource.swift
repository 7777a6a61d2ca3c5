import GatehouseCore

/// One item a source read: an event, or bytes that fail its schema (for quarantine).
public enum SourceItem: Sendable {
    case event(RawInbound)
    case malformed(name: String, raw: [UInt8], reason: String)
}

/// Where inbound messages come from: the bridge's `messages.db`, the drop folder, and (in a later
/// issue) the Cloud API webhook. Ingest polls each; after it has handled what a poll returned (spooled,
/// dropped or quarantined), it calls `commit` so the source does not return those items again.
///
/// A source never writes to what it reads from except to consume it where that is its protocol
/// (the drop folder's files); the bridge's database is opened read-only.
public protocol InboundSource: Sendable {
    var name: String { get }
    /// Up to `limit` items not yet committed, oldest first, and a token that commits them.
    func poll(limit: Int) throws -> (items: [SourceItem], commit: SourceCommit)
}

/// What `commit` persists once a poll's items are handled: the drop files to delete, or the bridge cursor.
public enum SourceCommit: Sendable {
    case nothing
    case removeFiles([String])
    case cursor(source: String, value: String)
}
