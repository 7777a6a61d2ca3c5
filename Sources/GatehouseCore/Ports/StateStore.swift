import Foundation

/// How many sends reached the transport in each sliding window.
public struct RateCounts: Sendable, Equatable {
    public var globalMinute = 0
    public var globalHour = 0
    public var recipientMinute = 0
    public var recipientHour = 0

    public init(globalMinute: Int = 0, globalHour: Int = 0, recipientMinute: Int = 0, recipientHour: Int = 0) {
        self.globalMinute = globalMinute
        self.globalHour = globalHour
        self.recipientMinute = recipientMinute
        self.recipientHour = recipientHour
    }
}

/// The state a decision reads, taken inside the transaction that will apply it.
public struct StateSnapshot: Sendable, Equatable {
    public var rates: RateCounts
    /// Whether the presented token's nonce was already spent.
    public var tokenSpent: Bool

    public init(rates: RateCounts, tokenSpent: Bool) {
        self.rates = rates
        self.tokenSpent = tokenSpent
    }
}

/// What a decision writes: the rate slots it takes, the token it spends, its audit entry.
public struct StateEffects: Sendable, Equatable {
    /// Count one send against the global windows and this recipient scope.
    public var countSendFor: String?
    public var spendToken: String?
    public var entry: AuditEntry

    public init(countSendFor: String? = nil, spendToken: String? = nil, entry: AuditEntry) {
        self.countSendFor = countSendFor
        self.spendToken = spendToken
        self.entry = entry
    }
}

/// Durable state behind one protocol: audit chain, rate windows, spent tokens.
///
/// `decide` is the one place a send's fate is fixed: the snapshot is read, the pure decision made
/// and its effects written in one transaction, so processes sharing the store can never both
/// take the last rate slot or spend the same token. Any thrown error means nothing was written;
/// callers treat it as a refusal (fail closed).
public protocol StateStore: Sendable {
    func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, now: Date,
        _ decide: @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord)

    /// A read-only look at the windows, for previews.
    func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts

    func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord

    /// The newest `limit` records, oldest first.
    func auditTail(limit: Int) async throws -> [AuditRecord]

    /// Records with `seq > after`, in order, at most `limit`.
    func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord]

    func auditHead() async throws -> AuditHead?

    /// The sealed end of the last message sent to `scope`, if it was saved at or after `since`.
    func messageTail(scope: String, since: Date) async throws -> [UInt8]?

    /// Replaces `scope`'s tail, and deletes every tail saved before `forgetBefore`, so no message text
    /// outlives the split window (sealed or not).
    func saveMessageTail(scope: String, sealed: [UInt8], now: Date, forgetBefore: Date) async throws
}

/// The sealed head of the audit chain.
public struct AuditHead: Sendable, Equatable {
    public let seq: Int
    public let hash: String
    public let seal: String

    public init(seq: Int, hash: String, seal: String) {
        self.seq = seq
        self.hash = hash
        self.seal = seal
    }
}
