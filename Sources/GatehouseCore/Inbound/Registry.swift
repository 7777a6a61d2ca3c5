import Foundation

public enum SenderStatus: String, Sendable, Codable, CaseIterable {
    case approved, pending, blocked
}

/// What an approved sender may do. Least privilege: a new sender gets only `reach_agent`.
public enum Capability: String, Sendable, Codable, CaseIterable, Comparable {
    case reachAgent = "reach_agent"
    case receiveReplies = "receive_replies"
    case sendMedia = "send_media"
    case operatorCommands = "operator_commands"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public struct ListError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `reach_agent,receive_replies`: every word must be a capability.
    public static func parseList(_ text: String) -> Result<[Capability], ListError> {
        var found = Set<Capability>()
        for word in text.split(separator: ",").map({ String($0).trimmingWhitespace() }) where !word.isEmpty {
            guard let capability = Capability(rawValue: word) else {
                return .failure(ListError(description: "unknown capability '\(word)'; use \(allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            found.insert(capability)
        }
        return .success(found.sorted())
    }
}

/// One person in the sender registry. Stored under each of their identities (the primary JID and
/// every alias, phone ↔ LID), so a message in either form finds them in one read.
public struct SenderRecord: Sendable, Codable, Equatable {
    public var primary: String
    public var aliases: [String]
    public var name: String
    public var status: SenderStatus
    public var capabilities: [Capability]
    public var updatedAt: Date

    public init(primary: String, aliases: [String] = [], name: String, status: SenderStatus, capabilities: [Capability], updatedAt: Date) {
        self.primary = primary
        self.aliases = aliases
        self.name = name
        self.status = status
        self.capabilities = capabilities.sorted()
        self.updatedAt = updatedAt
    }

    public var identities: [String] { [primary] + aliases }

    public func has(_ capability: Capability) -> Bool { status == .approved && capabilities.contains(capability) }
}

/// A pairing code the owner issued, stored under a keyed hash of the code.
public struct PairingOffer: Sendable, Codable, Equatable {
    public var name: String
    public var capabilities: [Capability]
    public var createdAt: Date
    public var expiresAt: Date

    public init(name: String, capabilities: [Capability], createdAt: Date, expiresAt: Date) {
        self.name = name
        self.capabilities = capabilities
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Wrong pairing codes from one sender, toward a lockout.
public struct Lockout: Sendable, Codable, Equatable {
    public var failures: Int
    public var since: Date
    public var lockedUntil: Date?

    public init(failures: Int, since: Date, lockedUntil: Date? = nil) {
        self.failures = failures
        self.since = since
        self.lockedUntil = lockedUntil
    }
}

/// One service conversation with a provider.
public struct ServiceChat: Sendable, Codable, Equatable {
    public var jid: String
    public var name: String
    public var mode: ServiceMode
    /// The mode `resume` returns to.
    public var resumeMode: ServiceMode
    /// A first contact was sent: the provider's replies are accepted from now on.
    public var contacted: Bool
    public var consecutiveSends: Int
    /// Sends in the last hour, for `max_auto_sends_per_chat_per_hour`.
    public var recentSends: [Date]
    public var createdAt: Date

    public init(jid: String, name: String, mode: ServiceMode, createdAt: Date) {
        self.jid = jid
        self.name = name
        self.mode = mode
        self.resumeMode = mode == .approvedFollowup ? .approvedFollowup : .draftFirst
        self.contacted = false
        self.consecutiveSends = 0
        self.recentSends = []
        self.createdAt = createdAt
    }
}

/// A send held for a person: a service chat's draft, or a send after the session read untrusted input.
public struct HeldSend: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case pending, approved, rejected }

    public var id: String
    public var tool: String
    /// The canonical JID, as the gate resolved it.
    public var recipient: String
    public var recipientName: String?
    public var kind: String
    public var text: String?
    public var caption: String?
    public var filePath: String?
    public var reason: String
    /// A service chat's first contact or draft: sending it marks the chat contacted.
    public var serviceChat: Bool
    public var state: State
    public var createdAt: Date
    public var decidedAt: Date?
    public var note: String?
    /// The file's SHA-256 when it was held: approving sends that content or nothing. (Not
    /// `fileSHA256`: the snake_case codec would write `file_sha256` and read back `fileSha256`.)
    public var fileDigest: String?

    public init(
        id: String, tool: String, recipient: String, recipientName: String?, kind: String, text: String?, caption: String?,
        filePath: String?, reason: String, serviceChat: Bool, createdAt: Date
    ) {
        self.id = id
        self.tool = tool
        self.recipient = recipient
        self.recipientName = recipientName
        self.kind = kind
        self.text = text
        self.caption = caption
        self.filePath = filePath
        self.reason = reason
        self.serviceChat = serviceChat
        self.state = .pending
        self.createdAt = createdAt
    }
}

/// How registry values are kept in the store: JSON, snake_case keys, times as seconds since 1970.
/// Property names must round-trip through snake_case: no run of capitals (`sha256`, not `SHA256`).
public enum RegistryCodec {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}

/// The kinds of records the registry keeps in the store (``RecordKey/kind``).
public enum RegistryKind {
    public static let sender = "sender"
    public static let pairing = "pairing"
    public static let lockout = "lockout"
    public static let counter = "counter"
    public static let serviceChat = "service_chat"
    public static let serviceBudget = "service_budget"
    public static let approval = "approval"
    public static let cursor = "cursor"
}
