/// A group whose messages may reach the agent (`inbound.groups`).
public struct InboundGroup: Sendable, Equatable {
    public var id: RecipientID
    public var name: String
    /// Every member reaches the agent, not only approved senders.
    public var allowAllMembers: Bool

    public init(id: RecipientID, name: String, allowAllMembers: Bool = false) {
        self.id = id
        self.name = name
        self.allowAllMembers = allowAllMembers
    }
}

/// `inbound:` in the config: the sources ingest reads and the rules of the inbound gate.
public struct InboundPolicy: Sendable, Equatable {
    /// The whatsmeow bridge's `messages.db`, read-only; nil when not a source.
    public var bridgeDatabase: String?
    /// The drop folder; nil means `<state-dir>/drop`.
    public var dropDirectory: String?
    public var maxTextCharacters = 4096
    public var groups: [InboundGroup] = []
    public var pairingCodeTTLMinutes = 60
    public var maxPendingCodes = 3
    public var lockoutAfter = 5
    public var lockoutMinutes = 60

    public init() {}

    public func group(_ id: RecipientID) -> InboundGroup? { groups.first { $0.id == id } }
}

/// A service conversation's mode (Hermes PR #11822's modes).
public enum ServiceMode: String, Sendable, Codable, CaseIterable {
    /// Every send is held as a draft for a person.
    case draftFirst = "draft_first"
    /// Sends go through the gate, within the per-chat caps.
    case approvedFollowup = "approved_followup"
    /// No sends; replies still arrive.
    case paused
    /// No sends and no inbound.
    case revoked
}

/// `service_conversations:` in the config (Hermes #11751's keys, plus two caps). Off by default.
public struct ServicePolicy: Sendable, Equatable {
    public var enabled = false
    public var defaultMode = ServiceMode.draftFirst
    public var approvedChats: [RecipientID] = []
    /// Globs (`*`, `?`) over E.164 numbers, e.g. `+34900*`.
    public var approvedPatterns: [String] = []
    public var allowAgentInitiated = false
    public var autoPromoteRepliedChats = false
    public var maxNewChatsPerDay = 3
    public var requireApprovalForFirstContact = true
    public var allowMedia = false
    public var maxAutoSendsPerChatPerHour = 3
    public var maxConsecutiveSendsWithoutReply = 2

    public init() {}

    /// Whether the agent may hold a service conversation with `id` at all.
    public func admits(_ id: RecipientID) -> Bool {
        guard enabled, id.kind == .phone else { return false }
        if approvedChats.contains(id) { return true }
        guard allowAgentInitiated else { return false }
        let number = "+" + id.user
        return approvedPatterns.contains { Glob.matches($0, number) }
    }
}

/// `*` and `?` globs, iterative, linear in practice for the short patterns a config holds.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.filter { $0 != " " && $0 != "-" }), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
