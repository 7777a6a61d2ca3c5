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
    /// The ledger entry already holding the send's idempotency key, if any.
    public var ledger: LedgerEntry?

    public init(rates: RateCounts, tokenSpent: Bool, ledger: LedgerEntry? = nil) {
        self.rates = rates
        self.tokenSpent = tokenSpent
        self.ledger = ledger
    }
}

/// What a decision writes: the rate slots it takes, the token it spends, its audit entry.
public struct StateEffects: Sendable, Equatable {
    /// Count one send against the global windows and this recipient scope.
    public var countSendFor: String?
    public var spendToken: String?
    /// Reserve this key in the idempotency ledger, pending, against the entry appended here.
    public var reserve: LedgerReservation?
    public var entry: AuditEntry

    public init(countSendFor: String? = nil, spendToken: String? = nil, reserve: LedgerReservation? = nil, entry: AuditEntry) {
        self.countSendFor = countSendFor
        self.spendToken = spendToken
        self.reserve = reserve
        self.entry = entry
    }
}

/// An idempotency key taken by a send the gate allowed, before the transport is called.
public struct LedgerReservation: Sendable, Equatable {
    /// A keyed hash of the caller's key (or of the confirm token); the key itself is never stored.
    public var key: String
    /// A keyed hash of the request the key was first used for; the same key with another request is refused.
    public var requestHash: String

    public init(key: String, requestHash: String) {
        self.key = key
        self.requestHash = requestHash
    }
}

/// One send in the idempotency ledger: pending from its attempt until its outcome is recorded.
///
/// A pending entry whose process died is what `gatehouse audit pending` shows; it is never sent
/// again automatically, because the transport may or may not have delivered it.
public struct LedgerEntry: Sendable, Equatable {
    public enum State: String, Sendable { case pending, sent, failed }

    public var key: String
    public var requestHash: String
    public var attemptSeq: Int
    public var state: State
    /// The transport's (sanitised) words, or the operator's note when resolved by hand.
    public var detail: String?
    public var outcomeSeq: Int?
    public var createdAt: Date

    public init(
        key: String, requestHash: String, attemptSeq: Int, state: State, detail: String? = nil, outcomeSeq: Int? = nil,
        createdAt: Date
    ) {
        self.key = key
        self.requestHash = requestHash
        self.attemptSeq = attemptSeq
        self.state = state
        self.detail = detail
        self.outcomeSeq = outcomeSeq
        self.createdAt = createdAt
    }
}

/// The outcome of a pending send, recorded in one transaction: the audit record, the ledger entry
/// settled, and (for a sent text) the sealed tail kept for the split-secret check.
public struct Settlement: Sendable, Equatable {
    public struct Tail: Sendable, Equatable {
        public var scope: String
        public var sealed: [UInt8]
        public var forgetBefore: Date

        public init(scope: String, sealed: [UInt8], forgetBefore: Date) {
            self.scope = scope
            self.sealed = sealed
            self.forgetBefore = forgetBefore
        }
    }

    public var key: String
    public var state: LedgerEntry.State
    public var detail: String?
    public var entry: AuditEntry
    public var tail: Tail?

    public init(key: String, state: LedgerEntry.State, detail: String?, entry: AuditEntry, tail: Tail? = nil) {
        self.key = key
        self.state = state
        self.detail = detail
        self.entry = entry
        self.tail = tail
    }
}

/// Where the kept audit log starts after a prune: the last dropped record, vouched for by a signed
/// checkpoint (``AuditCheckpoint``), so verification resumes from it.
public struct AuditAnchor: Sendable, Equatable {
    public var seq: Int
    public var hash: String
    /// The checkpoint's JSON as signed.
    public var checkpoint: String

    public init(seq: Int, hash: String, checkpoint: String) {
        self.seq = seq
        self.hash = hash
        self.checkpoint = checkpoint
    }
}

/// Durable state behind one protocol: audit chain, rate windows, spent tokens, idempotency ledger.
///
/// `decide` is the one place a send's fate is fixed: the snapshot is read, the pure decision made
/// and its effects written in one transaction, so processes sharing the store can never both
/// take the last rate slot, spend the same token or reserve the same key. Any thrown error means
/// nothing was written; callers treat it as a refusal (fail closed).
///
/// Every engine runs the same conformance suite (`StoreConformance` in the tests).
public protocol StateStore: RecordStore {
    /// `ledgerKey`: the send's idempotency key, looked up inside the transaction for the snapshot.
    func decide<Value: Sendable>(
        recipientScope: String, tokenID: String?, ledgerKey: String?, now: Date,
        _ decide: @escaping @Sendable (StateSnapshot) -> (Value, StateEffects)
    ) async throws -> (value: Value, record: AuditRecord)

    /// The ledger entry for `key`, if the key was ever reserved.
    func ledgerEntry(key: String) async throws -> LedgerEntry?

    /// Appends the outcome and settles the pending entry, atomically. Throws (writing nothing) when
    /// the entry is missing or already settled, so an outcome is recorded at most once.
    func settle(_ settlement: Settlement, now: Date) async throws -> AuditRecord

    /// Entries still pending, oldest first: sends whose outcome is unknown.
    func pendingSends(limit: Int) async throws -> [LedgerEntry]

    /// A read-only look at the windows, for previews.
    func rateCounts(recipientScope: String, now: Date) async throws -> RateCounts

    func append(_ entry: AuditEntry, now: Date) async throws -> AuditRecord

    /// The newest `limit` records, oldest first.
    func auditTail(limit: Int) async throws -> [AuditRecord]

    /// Records with `seq > after`, in order, at most `limit`.
    func auditRecords(after: Int, limit: Int) async throws -> [AuditRecord]

    func auditHead() async throws -> AuditHead?

    /// Where the kept log starts, if it was ever pruned.
    func auditAnchor() async throws -> AuditAnchor?

    /// Drops every record with `seq <= anchor.seq` and keeps the anchor, in one transaction.
    /// Throws when `anchor` does not name a present record by its hash, or a pending send's attempt
    /// would be dropped. Returns how many records were dropped.
    func pruneAudit(to anchor: AuditAnchor) async throws -> Int

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
