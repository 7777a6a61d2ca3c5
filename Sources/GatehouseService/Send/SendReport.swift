import GatehouseCore

/// What the agent is told about one preview or send. Holds masked values only.
public struct SendReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        case sent, blocked, failed
        case needsConfirmation = "needs_confirmation"
        case allow
        /// A retry of a send whose attempt is recorded but whose outcome is not (the server stopped
        /// mid-send, or the first call is still running): it is not sent again; a person resolves it.
        case unknown
        /// Held for a person: `gatehouse approvals approve <approval_id>` sends it.
        case needsApproval = "needs_approval"
    }

    public var status: Status
    public var decisionID: String
    public var recipientName: String?
    public var recipientMasked: String?
    public var allowlisted = false
    public var reasons: [Denial] = []
    public var warnings: [String] = []
    public var findings: [Finding] = []
    public var confirmToken: String?
    public var confirmExpiresAt: String?
    public var displayFilename: String?
    public var fileSHA256: String?
    public var transport: String?
    public var transportMessage: String?
    public var auditSeq: Int?
    /// Answered from the idempotency ledger: the transport was not called again.
    public var replayed = false
    /// The audit record of the attempt this report is about (for a replay, the first call's).
    public var attemptSeq: Int?
    /// For a held send: the id a person approves it by.
    public var approvalID: String?

    public init(status: Status, decisionID: String) {
        self.status = status
        self.decisionID = decisionID
    }

    public var sent: Bool { status == .sent }
    /// For a preview: would the send go through (with the token, where one is needed)?
    public var ok: Bool { status == .allow || status == .needsConfirmation || status == .sent }
    public var blockedReason: String? { reasons.first.map { "\($0.detail)" } }

    mutating func deny(_ denial: Denial) {
        status = .blocked
        reasons.append(denial)
    }

    mutating func take(_ recipient: ResolvedRecipient) {
        recipientName = recipient.name
        recipientMasked = recipient.id.masked
        allowlisted = recipient.allowlisted
    }
}

/// The allowlist as the agent may see it.
public struct RecipientListing: Sendable {
    public struct Item: Sendable {
        public let name: String
        public let jidMasked: String
        public let kind: String
        public let note: String
    }

    public var configSource: String
    public var configValid: Bool
    public var configError: String?
    public var allowUnlisted: Bool
    public var requireConfirmFor: [String]
    public var recipients: [Item]
}
