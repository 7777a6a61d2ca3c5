import Foundation

/// One small durable record: the sender registry, pairing codes, service chats, held sends,
/// counters and source cursors are all kept as JSON documents (``RegistryCodec``) under a kind and a key.
public struct RecordKey: Hashable, Sendable, CustomStringConvertible {
    public let kind: String
    public let key: String

    public init(_ kind: String, _ key: String) {
        self.kind = kind
        self.key = key
    }

    public var description: String { "\(kind)/\(key)" }
}

/// What a ``RecordStore/transact`` change reads: the named records that exist, and every record of
/// the kinds asked for whole.
public struct RecordSnapshot: Sendable, Equatable {
    public var values: [RecordKey: String]

    public init(values: [RecordKey: String]) { self.values = values }

    public subscript(_ key: RecordKey) -> String? { values[key] }

    public func decoded<T: Decodable>(_ type: T.Type, _ key: RecordKey) throws -> T? {
        try values[key].map { try RegistryCodec.decode(type, from: $0) }
    }

    public func all(kind: String) -> [RecordKey: String] { values.filter { $0.key.kind == kind } }
}

/// What a change writes, in the same transaction as its reads: records set (nil deletes) and audit entries.
public struct RecordChange<Value: Sendable>: Sendable {
    public var value: Value
    public var writes: [RecordKey: String?]
    public var audit: [AuditEntry]

    public init(value: Value, writes: [RecordKey: String?] = [:], audit: [AuditEntry] = []) {
        self.value = value
        self.writes = writes
        self.audit = audit
    }
}

/// The registry side of the store. `transact` reads, lets a pure change decide, and writes the
/// result with its audit records in one transaction, so two processes can never both spend the
/// last of a daily budget or the same pairing code. A change that throws writes nothing.
public protocol RecordStore: Sendable {
    func transact<Value: Sendable>(
        reading keys: Set<RecordKey>, kinds: Set<String>, now: Date,
        _ change: @escaping @Sendable (RecordSnapshot) throws -> RecordChange<Value>
    ) async throws -> (value: Value, records: [AuditRecord])

    /// Every record of one kind, by key.
    func records(kind: String) async throws -> [String: String]
}
