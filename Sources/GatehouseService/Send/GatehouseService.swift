import Foundation
import GatehouseConfig
import GatehouseCore
import GatehouseStore
import GatehouseTransports
import Logging
import Synchronization

/// Runs sends through the gate, the audit and a transport: the one path every send takes.
///
/// Order of effects for a send: stateless checks (recipient, content, file) → one store
/// transaction that reads the windows and token, decides, and appends the attempt → transport →
/// outcome appended. If the attempt cannot be recorded nothing is sent.
public final class GatehouseService: Sendable {
    public let config: ConfigSource
    public let state: StateDirectory
    let store: (any StateStore)?
    let storeProblem: String?
    let auditKey: AuditChainKey
    let confirmationKey: ConfirmationTokenKey
    let scanner: any ContentScanner
    let transports: TransportCache
    let files: FileIntake
    let clock: @Sendable () -> Date
    let logger: Logger
    /// The gate for the policy last seen, so the policy hash is computed once per config version.
    private let lastGate = Mutex<OutboundGate?>(nil)
    /// This process's MCP session has read untrusted inbound messages (`wa_inbox`): with
    /// `taint.approve_sends_after_untrusted`, every later send is held for a person.
    private let tainted = Mutex(false)

    var sessionTainted: Bool { tainted.withLock { $0 } }
    func markTainted() { tainted.withLock { $0 = true } }

    /// - Parameters:
    ///   - store: the state store; by default the SQLite file in the state directory (``start(config:state:logger:)``
    ///     opens the one the deployment names).
    ///   - storeProblem: why no store could be opened: every send is refused with it.
    ///   - transport: used instead of the configured transport (tests, embedding).
    public init(
        config: ConfigSource, state: StateDirectory, scanner: any ContentScanner = NormalizingScanner(), logger: Logger,
        store: (any StateStore)? = nil, storeProblem: String? = nil, transport: (any MessageTransport)? = nil,
        clock: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.config = config
        self.state = state
        var keyProblem: String?
        let keys: (AuditChainKey, ConfirmationTokenKey)
        do {
            keys = (try state.auditKey(), try state.confirmationKey())
        } catch {
            // Fail closed but keep answering: throwaway keys, no store, every send refused with the reason.
            keyProblem = "the keys in \(state.keysPath) cannot be used: \(error)"
            let throwaway = { (0..<32).map { _ in UInt8.random(in: 0...255) } }
            keys = (AuditChainKey(bytes: throwaway()), ConfirmationTokenKey(bytes: throwaway()))
        }
        (self.auditKey, self.confirmationKey) = keys
        self.scanner = scanner
        self.clock = clock
        self.logger = logger
        self.transports = TransportCache(defaultOutbox: state.defaultOutbox, fixed: transport)
        self.files = FileIntake(spoolDirectory: state.spoolPath, home: config.environment["HOME"])
        if let keyProblem {
            self.store = nil
            self.storeProblem = keyProblem
            logger.error("state.keys_unusable", metadata: ["state.path": "\(state.path)"])
            return
        }
        if let storeProblem {
            self.store = nil
            self.storeProblem = storeProblem
            return
        }
        if let store {
            self.store = store
            self.storeProblem = nil
            return
        }
        do {
            self.store = try SQLiteStore(path: state.databasePath, key: auditKey)
            self.storeProblem = nil
        } catch {
            // Fail closed: keep serving, refuse every send with the reason.
            self.store = nil
            self.storeProblem = "the state store \(state.databasePath) cannot be opened: \(error)"
            logger.error("store.open_failed", metadata: ["store.path": "\(state.databasePath)"])
        }
    }

    // MARK: Read tools

    public func listRecipients() -> RecipientListing {
        switch config.current() {
        case .valid(let policy):
            return RecipientListing(
                configSource: config.path, configValid: true, configError: nil, allowUnlisted: policy.allowUnlisted,
                requireConfirmFor: policy.requireConfirmFor.sorted().map(\.rawValue),
                recipients: policy.recipients.map {
                    .init(name: $0.name, jidMasked: $0.id.masked, kind: $0.id.kind.rawValue, note: $0.note)
                })
        case .invalid(let error):
            return RecipientListing(
                configSource: config.path, configValid: false, configError: error.description, allowUnlisted: false,
                requireConfirmFor: [], recipients: [])
        }
    }

    public func auditTail(limit: Int) async throws -> [AuditRecord] {
        guard let store else { throw StoreError(storeProblem ?? "store unavailable") }
        return try await store.auditTail(limit: limit)
    }

    public var chainKey: AuditChainKey { auditKey }

    // MARK: Preview

    /// Runs every check without sending, and issues a token when the send will need one.
    public func preview(_ request: SendRequest) async -> SendReport {
        let now = clock()
        var report = SendReport(status: .allow, decisionID: Self.newDecisionID())
        guard case .valid(let configured) = config.current() else {
            report.deny(configDenial())
            return report
        }
        let (policy, recipient) = await effectivePolicy(configured, recipient: request.recipient)
        var request = request
        request.recipient = recipient
        let gate = gate(for: policy)
        guard let screened = await screen(request, gate: gate, now: now, into: &report) else { return report }
        var fileSHA256: String?
        if request.kind == .file {
            switch vet(request.filePath ?? "", gate: gate, mode: .preview, into: &report) {
            case .denied(let denial):
                report.deny(denial)
                return report
            case .accepted(let file):
                report.displayFilename = file.displayName
                report.fileSHA256 = file.sha256
                fileSHA256 = file.sha256
            }
        }
        guard let store else {
            report.deny(storeDenial(storeProblem))
            return report
        }
        do {
            let counts = try await store.rateCounts(recipientScope: scope(screened.recipient.id), now: now)
            if let denial = gate.checkRate(screened.recipient.id, counts: counts) {
                report.deny(denial)
                return report
            }
        } catch {
            report.deny(storeDenial("\(error)"))
            return report
        }
        if gate.needsConfirmation(screened) {
            var nonce = [UInt8](repeating: 0, count: 16)
            var generator = SystemRandomNumberGenerator()
            for index in nonce.indices { nonce[index] = generator.next() }
            let issued = ConfirmationToken.issue(
                for: gate.canonical(screened, fileSHA256: fileSHA256), key: confirmationKey, now: now,
                lifetimeSeconds: policy.confirmTokenLifetimeSeconds, nonce: nonce)
            report.status = .needsConfirmation
            report.confirmToken = issued.token
            report.confirmExpiresAt = AuditTime.format(issued.expiresAt)
        }
        return report
    }

    // MARK: Send

    /// `approved`: a held send a person approved; it skips the hold and counts as confirmed.
    public func send(_ original: SendRequest, approved: HeldSend? = nil) async -> SendReport {
        var request = original
        let now = clock()
        var report = SendReport(status: .blocked, decisionID: Self.newDecisionID())
        var entry = AuditEntry(event: .blocked, tool: request.tool, decisionID: report.decisionID, status: "blocked")
        describeBody(request, into: &entry)
        let ledger = ledgerKeys(for: request)
        // A retry is answered from the ledger before any check: the first call's outcome stands, and a
        // policy changed since must not turn "sent" into "blocked". (decide looks again, atomically.)
        if let ledger, let store, let first = try? await store.ledgerEntry(key: ledger.key) {
            // Name the recipient as the audit does elsewhere, if the current config still knows them.
            let known = config.current().policy.flatMap { try? RecipientResolver.resolve(request.recipient, in: $0).get() }
            if let known { report.take(known) }
            describe(request, report: report, into: &entry)
            if let known { entry.recipientHash = auditKey.fingerprint(known.id.jid) }
            return await replay(first, ledger, report: report, entry: entry, store: store)
        }
        guard case .valid(let configured) = config.current() else {
            report.deny(configDenial())
            return await recordRefusal(report, entry)
        }
        let (policy, recipient) = await effectivePolicy(configured, recipient: request.recipient)
        request.recipient = recipient
        let gate = gate(for: policy)
        // Keyed: the policy holds full numbers, and a plain hash of it could be brute-forced from the masked form.
        entry.policyHash = auditKey.fingerprint(gate.policyHash)
        guard let screened = await screen(request, gate: gate, now: now, into: &report) else {
            describe(request, report: report, into: &entry)
            return await recordRefusal(report, entry)
        }
        describe(request, report: report, into: &entry)
        entry.recipientHash = auditKey.fingerprint(screened.recipient.id.jid)

        var attachment: ApprovedAttachment?
        if request.kind == .file {
            switch vet(request.filePath ?? "", gate: gate, mode: .send, into: &report) {
            case .denied(let denial):
                report.deny(denial)
                return await recordRefusal(report, entry)
            case .accepted(let file):
                attachment = ApprovedAttachment(
                    spoolPath: file.spoolPath ?? "", displayName: file.displayName, sha256: file.sha256, size: file.byteCount)
                report.displayFilename = file.displayName
                report.fileSHA256 = file.sha256
                entry.fileName = file.displayName
                entry.fileSHA256 = file.sha256
                entry.fileSize = file.byteCount
            }
        }
        // The private copy lives until the outcome is recorded, then goes.
        defer { if let attachment { try? files.removeSpoolCopy(at: attachment.spoolPath) } }

        if let approved, let expected = approved.fileDigest, attachment?.sha256 != expected {
            report.deny(
                Denial(.approvalRequired, check: .approval, "the file changed after it was held for approval; nothing was sent"))
            return await recordRefusal(report, entry)
        }
        var serviceChat: String?
        do {
            switch try await holdStep(
                request, screened: screened, policy: configured, approved: approved, decisionID: report.decisionID, base: entry,
                fileSHA256: attachment?.sha256)
            {
            case .proceed(let chat): serviceChat = chat
            case .deny(let denial):
                report.deny(denial)
                return await recordRefusal(report, entry)
            case .hold(let held):
                report.status = .needsApproval
                report.approvalID = held.id
                report.reasons = [
                    Denial(
                        .approvalRequired, check: .approval,
                        "held for a person (\(held.reason)); the owner sends it with `gatehouse approvals approve \(held.id)`")
                ]
                return report
            }
        } catch {
            report.deny(storeDenial("\(error)"))
            return await recordRefusal(report, entry)
        }

        let transport: any MessageTransport
        do {
            transport = try transports.transport(for: policy.transport)
        } catch {
            report.deny(Denial(.transportFailed, check: .transport, "the \(policy.transport.name) transport is unavailable: \(error)"))
            return await recordRefusal(report, entry)
        }
        entry.transport = transport.name

        let token = request.confirmToken.flatMap {
            ConfirmationToken.verify($0, for: gate.canonical(screened, fileSHA256: attachment?.sha256), key: confirmationKey, now: now)
        }
        guard let store else {
            report.deny(storeDenial(storeProblem))
            return report
        }
        let recipientScope = scope(screened.recipient.id)
        // Every allowed send takes a ledger entry, keyed by the caller's key or else by its decision,
        // so a send cut off before its outcome shows in `gatehouse audit pending`.
        let reservation = LedgerReservation(
            key: ledger?.key ?? "d:" + report.decisionID, requestHash: ledger?.requestHash ?? "")
        let attemptEntry = entry
        let decided: (value: Decision, record: AuditRecord)
        do {
            decided = try await store.decide(recipientScope: recipientScope, tokenID: token?.id, ledgerKey: ledger?.key, now: now) {
                snapshot in
                var entry = attemptEntry
                // Another call with this key got there first (a concurrent retry): answer as its replay.
                if let first = snapshot.ledger {
                    entry = Self.replayEntry(first, request: reservation.requestHash, base: entry)
                    return (.replay(first), StateEffects(entry: entry))
                }
                let authorization = gate.authorize(
                    screened, snapshot: snapshot, token: token, tokenPresented: original.confirmToken != nil,
                    humanApproved: approved != nil)
                switch authorization {
                case .allow(let spend):
                    entry.event = .attempt
                    entry.status = "attempted"
                    return (
                        .gate(authorization),
                        StateEffects(countSendFor: recipientScope, spendToken: spend, reserve: reservation, entry: entry)
                    )
                case .deny(let denial):
                    entry.status = denial.check == .confirmation ? "needs_confirmation" : "blocked"
                    entry.reasons.append(denial)
                    return (.gate(authorization), StateEffects(entry: entry))
                }
            }
        } catch {
            logger.error("store.decide_failed", metadata: ["gate.decision_id": "\(report.decisionID)"])
            report.deny(storeDenial("\(error)"))
            return report
        }
        report.auditSeq = decided.record.seq
        switch decided.value {
        case .replay(let first):
            return Self.replayReport(first, requestHash: reservation.requestHash, report: report, auditSeq: decided.record.seq)
        case .gate(.deny(let denial)):
            report.deny(denial)
            if denial.check == .confirmation { report.status = .needsConfirmation }
            return report
        case .gate(.allow):
            break
        }
        report.attemptSeq = decided.record.seq

        let approved = ApprovedSend(
            decisionID: report.decisionID, recipient: screened.recipient.id, text: request.text, caption: request.caption,
            attachment: attachment, auditSeq: decided.record.seq)
        let result = await transport.send(approved)
        var outcome = attemptEntry
        outcome.event = .outcome
        outcome.attemptSeq = decided.record.seq
        report.transport = transport.name
        let settled: LedgerEntry.State
        var tail: Settlement.Tail?
        switch result.sanitized(by: scanner) {
        case .sent(let detail):
            if let serviceChat { await markContacted(serviceChat) }
            tail = sealedTail(of: screened, policy: policy, now: now)
            settled = .sent
            outcome.status = "sent"
            outcome.transportDetail = detail
            report.status = .sent
            report.transportMessage = detail
        case .failed(let detail):
            settled = .failed
            outcome.status = "failed"
            outcome.transportDetail = detail
            let denial = Denial(.transportFailed, check: .transport, "the \(transport.name) transport failed: \(detail)")
            outcome.reasons.append(denial)
            report.status = .failed
            report.reasons.append(denial)
            report.transportMessage = detail
        }
        do {
            report.auditSeq = try await store.settle(
                Settlement(key: reservation.key, state: settled, detail: report.transportMessage, entry: outcome, tail: tail),
                now: clock()
            ).seq
        } catch {
            // The message has gone; the pending attempt shows it for a person to resolve.
            report.warnings.append("the outcome could not be recorded in the audit (\(error)); the attempt record stands")
            logger.error("audit.outcome_failed", metadata: ["gate.decision_id": "\(report.decisionID)"])
        }
        return report
    }

    /// What the one store transaction decided: the gate's verdict, or a replay of an earlier call.
    enum Decision: Sendable {
        case gate(Authorization)
        case replay(LedgerEntry)
    }

    // MARK: Parts

    private func gate(for policy: Policy) -> OutboundGate {
        lastGate.withLock { cached in
            if let gate = cached, gate.policy == policy { return gate }
            let gate = OutboundGate(policy: policy, scanner: scanner)
            cached = gate
            return gate
        }
    }

    /// Checks 2 and 3. When the text passes on its own and the last message to the same recipient is
    /// recent, it is checked again joined to that message's end, for a secret split over the two.
    private func screen(
        _ request: SendRequest, gate: OutboundGate, now: Date, into report: inout SendReport
    ) async -> ScreenedSend? {
        var screening = gate.screen(request)
        if case .passed(let screened) = screening, let prior = await priorTail(screened, policy: gate.policy, now: now) {
            screening = gate.screen(request, prior: prior)
        }
        switch screening {
        case .denied(let denial, let recipient, let findings):
            if let recipient { report.take(recipient) }
            report.findings = findings
            report.deny(denial)
            return nil
        case .passed(let screened):
            report.take(screened.recipient)
            report.findings = screened.findings
            report.warnings = screened.warnings
            return screened
        }
    }

    /// The end of the last text sent to this recipient within the split window, if any.
    /// A tail that cannot be read or opened counts as none: the message was still scanned on its own.
    private func priorTail(_ send: ScreenedSend, policy: Policy, now: Date) async -> String? {
        guard policy.splitWindowSeconds > 0, send.request.kind == .text, let store else { return nil }
        let since = now.addingTimeInterval(-Double(policy.splitWindowSeconds))
        guard let sealed = try? await store.messageTail(scope: scope(send.recipient.id), since: since) else { return nil }
        return auditKey.unseal(sealed)
    }

    /// The end of a sent text, sealed, kept with the outcome for the next message's split check.
    private func sealedTail(of send: ScreenedSend, policy: Policy, now: Date) -> Settlement.Tail? {
        guard policy.splitWindowSeconds > 0, send.request.kind == .text, let text = send.request.text else { return nil }
        // The tail read when the message was screened: no second read of the store. A tail that cannot
        // be sealed is dropped: only the next message's split check loses it.
        guard let sealed = try? auditKey.seal(SplitTail.keep(text, after: send.prior)) else { return nil }
        return Settlement.Tail(
            scope: scope(send.recipient.id), sealed: sealed, forgetBefore: now.addingTimeInterval(-Double(policy.splitWindowSeconds)))
    }

    /// Check 4: the file, read once (and in send mode copied once) by ``FileIntake``, then its text
    /// judged like a message. An I/O fault is a refusal too: a file that cannot be read safely is not sent.
    private func vet(_ path: String, gate: OutboundGate, mode: FileIntake.Mode, into report: inout SendReport) -> FileVetting {
        let vetting: FileVetting
        do {
            vetting = try files.vet(path: path, policy: gate.policy.files, mode: mode)
        } catch {
            return .denied(Denial(.fileUnreadable, check: .file, "file: the file could not be read safely: \(error)"))
        }
        guard case .accepted(let file) = vetting else { return vetting }
        switch gate.judgeFile(file.text, displayName: file.displayName) {
        case .denied(let denial, let findings):
            if let copy = file.spoolPath { try? files.removeSpoolCopy(at: copy) }
            report.findings += findings
            return .denied(denial)
        case .passed(let findings, let warnings):
            report.findings += findings
            report.warnings += warnings
            return vetting
        }
    }

    /// A refusal before the store decided: audited on its own, and reported even if the audit fails.
    func recordRefusal(_ report: SendReport, _ entry: AuditEntry) async -> SendReport {
        var report = report
        var entry = entry
        entry.reasons = report.reasons
        guard let store else {
            report.reasons.append(storeDenial(storeProblem))
            return report
        }
        do {
            report.auditSeq = try await store.append(entry, now: clock()).seq
        } catch {
            report.reasons.append(storeDenial("\(error)"))
        }
        return report
    }

    private func describeBody(_ request: SendRequest, into entry: inout AuditEntry) {
        guard let body = request.kind == .text ? request.text : request.caption else { return }
        entry.bodyPreview = BodyPreview.make(body, scanner: scanner)
        entry.bodySHA256 = auditKey.fingerprint(body)
        entry.bodyLength = body.count
    }

    /// Who the send was for, as the audit keeps it: masked, and a keyed hash of the canonical JID
    /// (of the raw text when it is no valid identity), so refusals and sends to one person line up.
    func describe(_ request: SendRequest, report: SendReport, into entry: inout AuditEntry) {
        let parsed = try? RecipientNormalizer.parse(request.recipient).get()
        entry.recipientMasked = report.recipientMasked ?? parsed?.masked
        entry.recipientHash = auditKey.fingerprint(parsed?.jid ?? request.recipient)
        entry.warnings = report.warnings
    }

    private func scope(_ recipient: RecipientID) -> String { "r:" + auditKey.fingerprint(recipient.jid) }

    private func configDenial() -> Denial {
        guard case .invalid(let error) = config.current() else {
            return Denial(.configInvalid, check: .config, "the config changed while checking; try again")
        }
        return Denial(.configInvalid, check: .config, "\(error.description); nothing is sent until the config is fixed")
    }

    func storeDenial(_ problem: String?) -> Denial {
        Denial(.storeUnavailable, check: .store, "nothing was sent: the audit and state store is unavailable (\(problem ?? "unknown"))")
    }

    static func newDecisionID() -> String { UUID().uuidString.lowercased() }
}

/// The body as the audit keeps it: findings replaced by their kind, phone numbers masked, cut to 80 characters.
enum BodyPreview {
    static let length = 80

    static func make(_ body: String, scanner: any ContentScanner) -> String {
        let redacted = PhoneMask.mask(Redactor.redact(body, findings: scanner.scan(body)))
        let singleLine = String(redacted.map { $0.isNewline ? " " : $0 })
        return singleLine.count <= length ? singleLine : String(singleLine.prefix(length - 1)) + "…"
    }
}

extension TransportResult {
    /// A transport's own words (the bridge may echo the number or the text) made safe to show
    /// and to keep: secrets redacted, phone numbers masked.
    func sanitized(by scanner: any ContentScanner) -> TransportResult {
        func clean(_ text: String) -> String { PhoneMask.mask(Redactor.redact(text, findings: scanner.scan(text))) }
        switch self {
        case .sent(let detail): return .sent(detail: clean(detail))
        case .failed(let detail): return .failed(detail: clean(detail))
        }
    }
}
