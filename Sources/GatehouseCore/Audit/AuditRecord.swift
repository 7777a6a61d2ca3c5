/// What happened to one send, as the audit keeps it. Holds no secret and no full number.
///
/// `attempt` is written before the transport is called and `outcome` after it, so a crash between
/// them leaves a visible attempt without outcome, never a silent send. `blocked` is a refusal.
/// `replayed` is a retried call answered from the idempotency ledger without calling the transport;
/// `resolved` is an operator settling a send whose outcome was unknown (`gatehouse audit resolve`).
public struct AuditEntry: Sendable, Equatable {
    public enum Event: String, Sendable {
        case attempt, outcome, blocked, replayed, resolved
        /// Inbound: a record delivered to the spool, dropped, quarantined, or a pairing.
        case inbound
        /// A sender registry change (approve, block, revoke, pairing code issued).
        case registry
        /// A service conversation's mode changed.
        case chat
        /// A send held for a person (a service first contact, or a send after untrusted input).
        case held
        /// A person approved or rejected a held send.
        case approval
    }

    public var event: Event
    public var tool: String
    public var decisionID: String
    /// `attempted`, `sent`, `failed`, `blocked`, `needs_confirmation` or (replayed) `unknown`.
    public var status: String
    public var reasons: [Denial] = []
    public var warnings: [String] = []
    public var recipientHash: String?
    public var recipientMasked: String?
    public var bodyPreview: String?
    public var bodySHA256: String?
    public var bodyLength: Int?
    public var fileName: String?
    public var fileSHA256: String?
    public var fileSize: Int?
    public var policyHash: String?
    public var transport: String?
    public var transportDetail: String?
    /// For an outcome: the sequence number of its attempt.
    public var attemptSeq: Int?
    /// Inbound and chat records: a keyed hash of the chat's JID. Written only when set.
    public var chatHash: String?
    /// Inbound, registry, chat and approval records: what changed, in words with no number or text.
    /// Written only when set.
    public var detail: String?

    public init(event: Event, tool: String, decisionID: String, status: String) {
        self.event = event
        self.tool = tool
        self.decisionID = decisionID
        self.status = status
    }

    func json(seq: Int, time: String, prevHash: String) -> JSONValue {
        func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func optional(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        var fields: [String: JSONValue] = [
            "v": .int(1),
            "seq": .int(seq),
            "time": .string(time),
            "event": .string(event.rawValue),
            "tool": .string(tool),
            "decision_id": .string(decisionID),
            "status": .string(status),
            "reasons": .array(
                reasons.map { .object(["code": .string($0.code.rawValue), "check": .string($0.check.rawValue), "detail": .string($0.detail)]) }),
            "warnings": .array(warnings.map(JSONValue.string)),
            "recipient_hash": optional(recipientHash),
            "recipient_masked": optional(recipientMasked),
            "body_preview": optional(bodyPreview),
            "body_sha256": optional(bodySHA256),
            "body_length": optional(bodyLength),
            "file_name": optional(fileName),
            "file_sha256": optional(fileSHA256),
            "file_size": optional(fileSize),
            "policy_hash": optional(policyHash),
            "transport": optional(transport),
            "transport_detail": optional(transportDetail),
            "attempt_seq": optional(attemptSeq),
            "prev_hash": .string(prevHash),
        ]
        // Only when set, so outbound records keep the shape they always had.
        if let chatHash { fields["chat_hash"] = .string(chatHash) }
        if let detail { fields["detail"] = .string(detail) }
        return .object(fields)
    }
}

/// One sealed link of the audit chain: the canonical JSON of an entry and its keyed hash.
public struct AuditRecord: Sendable, Equatable {
    public let seq: Int
    /// Canonical JSON (``JSONValue/canonical``) of the entry, including `seq` and `prev_hash`.
    public let record: String
    public let hash: String

    public init(seq: Int, record: String, hash: String) {
        self.seq = seq
        self.record = record
        self.hash = hash
    }
}
