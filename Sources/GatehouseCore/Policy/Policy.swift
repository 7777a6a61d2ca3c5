/// When a send must be previewed first and carry the preview's token.
public enum ConfirmTrigger: String, Sendable, Codable, CaseIterable, Comparable {
    case unlisted
    case files
    case messages
    case all

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// What to do when the scanner finds a secret: refuse the send, or let it through with a warning.
public enum SecretAction: String, Sendable, Codable {
    case block
    case warn
}

/// Sliding-window limits. `nil` means no limit on that window.
public struct RateLimits: Sendable, Equatable, Codable {
    public var perMinute: Int?
    public var perHour: Int?

    public init(perMinute: Int?, perHour: Int?) {
        self.perMinute = perMinute
        self.perHour = perHour
    }
}

/// Where allowed sends go.
public enum TransportChoice: Sendable, Equatable {
    /// JSON files in a folder; `nil` means `<state-dir>/outbox`.
    case outbox(directory: String?)
    /// The whatsmeow bridge REST API (CONTRACTS.md §1).
    case bridge(url: String, allowNonLoopback: Bool)

    public var name: String {
        switch self {
        case .outbox: return "outbox"
        case .bridge: return "bridge"
        }
    }
}

/// One allowlisted recipient.
public struct RecipientEntry: Sendable, Equatable {
    public var name: String
    public var id: RecipientID
    public var note: String
    /// Overrides the policy's per-recipient limits for this recipient.
    public var rateLimits: RateLimits?

    public init(name: String, id: RecipientID, note: String = "", rateLimits: RateLimits? = nil) {
        self.name = name
        self.id = id
        self.note = note
        self.rateLimits = rateLimits
    }
}

/// Where durable state lives. Read when the server starts; a change takes effect on restart.
public enum StoreChoice: Sendable, Equatable {
    /// The embedded default: `<state-dir>/gatehouse.sqlite`.
    case sqlite
    /// A PostgreSQL database shared by several instances: `postgres://user[:password]@host[:port]/db`.
    case postgres(url: String)
}

/// The effective outbound policy, as validated from the config. Values only; no I/O.
public struct Policy: Sendable, Equatable {
    public var transport: TransportChoice
    /// `store`: deployment, not policy, so it is not part of the policy hash.
    public var store: StoreChoice = .sqlite
    public var allowUnlisted: Bool
    public var requireConfirmFor: Set<ConfirmTrigger>
    public var confirmTokenLifetimeSeconds: Int
    public var globalLimits: RateLimits
    public var perRecipientLimits: RateLimits
    public var files: FilePolicy
    /// `secrets.on_detect`: what a high-severity finding does unless `secretActions` says otherwise.
    public var onSecret: SecretAction
    /// `secrets.actions`: per detector kind, family or category (`secret`/`personal`), the most specific wins.
    public var secretActions: [String: SecretAction]
    /// `secrets.allow`: known-safe values (a provider's public test card, say), as ``AllowedValue`` keys.
    public var allowedValues: Set<String>
    /// `secrets.split_window_seconds`: how long the end of a message is kept (sealed) to catch a secret
    /// split over consecutive messages to one recipient; 0 turns it off.
    public var splitWindowSeconds: Int
    public var recipients: [RecipientEntry]
    /// `inbound:`: what ingest reads and who may reach the agent. Not part of the policy hash.
    public var inbound = InboundPolicy()
    /// `service_conversations:`.
    public var service = ServicePolicy()
    /// `taint.approve_sends_after_untrusted`: after a session read the inbox, every send needs a person.
    public var approveSendsAfterUntrusted = false

    public init(
        transport: TransportChoice = .outbox(directory: nil),
        allowUnlisted: Bool = false,
        requireConfirmFor: Set<ConfirmTrigger> = [.unlisted],
        confirmTokenLifetimeSeconds: Int = 600,
        globalLimits: RateLimits = RateLimits(perMinute: 10, perHour: 60),
        perRecipientLimits: RateLimits = RateLimits(perMinute: nil, perHour: nil),
        files: FilePolicy = FilePolicy(roots: [], maxBytes: 16 * 1024 * 1024, allowedExtensions: FilePolicy.defaultExtensions),
        onSecret: SecretAction = .block,
        secretActions: [String: SecretAction] = [:],
        allowedValues: Set<String> = [],
        splitWindowSeconds: Int = 120,
        recipients: [RecipientEntry] = []
    ) {
        self.transport = transport
        self.allowUnlisted = allowUnlisted
        self.requireConfirmFor = requireConfirmFor
        self.confirmTokenLifetimeSeconds = confirmTokenLifetimeSeconds
        self.globalLimits = globalLimits
        self.perRecipientLimits = perRecipientLimits
        self.files = files
        self.onSecret = onSecret
        self.secretActions = secretActions
        self.allowedValues = allowedValues
        self.splitWindowSeconds = splitWindowSeconds
        self.recipients = recipients
    }

    /// The limits that apply to one recipient: its own override, else the policy's per-recipient limits.
    public func limits(for recipient: RecipientID) -> RateLimits {
        recipients.first { $0.id == recipient }?.rateLimits ?? perRecipientLimits
    }
}

extension FilePolicy {
    /// The peer's default list, less the extensions no content check can vouch for.
    public static let defaultExtensions = [
        ".pdf", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".png", ".jpg", ".jpeg", ".gif", ".webp",
        ".txt", ".md", ".csv", ".json", ".zip", ".mp3", ".ogg", ".mp4", ".mov",
    ]
}
