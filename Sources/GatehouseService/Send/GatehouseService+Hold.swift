import Foundation
import GatehouseCore

/// Sends held for a person, and the service-conversation rules on the send path.
extension GatehouseService {
    /// What the store decided for a send to a possible service chat, or about a tainted session.
    enum HoldStep: Sendable {
        /// Go on to the gate's stateful checks; `serviceChat` is marked contacted once the send is sent.
        case proceed(serviceChat: String?)
        case hold(HeldSend)
        case deny(Denial)
    }

    /// Runs after the stateless checks and before the store decides the send. A service chat's mode,
    /// daily budget and caps are read and updated in one transaction; a hold writes the held send and
    /// its audit record in that transaction too.
    func holdStep(
        _ request: SendRequest, screened: ScreenedSend, policy: Policy, approved: HeldSend?, decisionID: String, base entry: AuditEntry,
        fileSHA256: String?
    ) async throws -> HoldStep {
        let store = try requireStore()
        let id = screened.recipient.id
        let now = clock()
        let service = policy.service
        let configured = policy.recipients.contains { $0.id == id }
        let chatKey = RecordKey(RegistryKind.serviceChat, id.jid)
        let dayKey = RecordKey(RegistryKind.serviceBudget, String(AuditTime.format(now).prefix(10)))
        let tainted = policy.approveSendsAfterUntrusted && sessionTainted && approved == nil
        let serviceCandidate = service.enabled && !configured && id.kind == .phone
        guard serviceCandidate || tainted else { return .proceed(serviceChat: nil) }
        let key = auditKey
        // A retry of a held call (same idempotency key) finds its first hold rather than making a second.
        let heldID = "ap_" + (ledgerKeys(for: request).map { String(auditKey.fingerprint("held\u{0}" + $0.key).prefix(16)) }
            ?? String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)))
        let heldKey = RecordKey(RegistryKind.approval, heldID)
        var template = HeldSend(
            id: heldID, tool: request.tool,
            recipient: id.jid, recipientName: screened.recipient.name, kind: request.kind.rawValue, text: request.text,
            caption: request.caption, filePath: request.filePath, reason: "", serviceChat: false, createdAt: now)
        template.fileDigest = fileSHA256
        var baseEntry = entry
        baseEntry.event = .held
        baseEntry.status = "needs_approval"
        baseEntry.decisionID = decisionID
        let heldBase = baseEntry
        let reads: Set<RecordKey> = serviceCandidate ? [chatKey, dayKey, heldKey] : [heldKey]
        let frozen = template
        return try await store.transact(reading: reads, kinds: [], now: now) { snapshot in
            var writes: [RecordKey: String?] = [:]
            var audit: [AuditEntry] = []
            func hold(_ reason: String, service: Bool) throws -> RecordChange<HoldStep> {
                if let existing = try snapshot.decoded(HeldSend.self, heldKey) {
                    guard existing.state == .pending else {
                        return RecordChange(
                            value: .deny(
                                Denial(
                                    .approvalRequired, check: .approval,
                                    "a person already \(existing.state.rawValue) this send (approval \(existing.id)); use a new idempotency_key for a new one")))
                    }
                    return RecordChange(value: .hold(existing))
                }
                var held = frozen
                var heldEntry = heldBase
                held.reason = reason
                held.serviceChat = service
                heldEntry.detail = "approval \(held.id): \(reason)"
                writes[RecordKey(RegistryKind.approval, held.id)] = try RegistryCodec.encode(held)
                audit.append(heldEntry)
                return RecordChange(value: .hold(held), writes: writes, audit: audit)
            }
            func deny(_ code: DenialCode, _ detail: String) -> RecordChange<HoldStep> {
                RecordChange(value: .deny(Denial(code, check: .service, detail)))
            }
            if serviceCandidate {
                var chat = try snapshot.decoded(ServiceChat.self, chatKey)
                if chat == nil {
                    guard service.admits(id) else {
                        return tainted
                            ? try hold("the session has read untrusted inbound messages", service: false)
                            : RecordChange(value: .proceed(serviceChat: nil))
                    }
                    let used = Int(snapshot[dayKey] ?? "0") ?? 0
                    guard used < service.maxNewChatsPerDay else {
                        return deny(
                            .serviceDailyBudget,
                            "the daily budget of \(service.maxNewChatsPerDay) new service conversations is used up; try tomorrow (UTC)")
                    }
                    writes[dayKey] = String(used + 1)
                    // The chat opens in default_mode; a first contact that needs approval is held below either way.
                    let mode = service.defaultMode
                    chat = ServiceChat(jid: id.jid, name: id.masked, mode: mode, createdAt: now)
                    var change = AuditEntry(event: .chat, tool: request.tool, decisionID: decisionID, status: mode.rawValue)
                    change.recipientHash = key.fingerprint(id.jid)
                    change.recipientMasked = id.masked
                    change.detail = "service conversation opened (\(used + 1) of \(service.maxNewChatsPerDay) today)"
                    audit.append(change)
                }
                guard var chat else { return RecordChange(value: .proceed(serviceChat: nil)) }
                if request.kind == .file && !service.allowMedia {
                    return deny(.serviceMedia, "files to service conversations need service_conversations.allow_media: true")
                }
                switch chat.mode {
                case .revoked: return deny(.serviceRevoked, "the service conversation with \(id.masked) is revoked")
                case .paused: return deny(.servicePaused, "the service conversation with \(id.masked) is paused; the owner can resume it")
                case .draftFirst where approved == nil:
                    writes[chatKey] = try RegistryCodec.encode(chat)
                    return try hold(chat.contacted ? "service conversation in draft_first mode" : "first contact to a service provider", service: true)
                case .approvedFollowup where approved == nil && !chat.contacted && service.requireApprovalForFirstContact:
                    writes[chatKey] = try RegistryCodec.encode(chat)
                    return try hold("first contact to a service provider", service: true)
                default: break
                }
                if tainted {
                    writes[chatKey] = try RegistryCodec.encode(chat)
                    return try hold("the session has read untrusted inbound messages", service: true)
                }
                chat.recentSends = chat.recentSends.filter { now.timeIntervalSince($0) < 3600 }
                if approved == nil {
                    guard chat.recentSends.count < service.maxAutoSendsPerChatPerHour else {
                        return deny(.serviceHourlyCap, "at most \(service.maxAutoSendsPerChatPerHour) sends per hour to a service conversation")
                    }
                    guard chat.consecutiveSends < service.maxConsecutiveSendsWithoutReply else {
                        return deny(
                            .serviceAwaitingReply,
                            "\(chat.consecutiveSends) sends without a reply from \(id.masked); wait for the provider to answer")
                    }
                }
                // The hourly cap counts the agent's own sends; one a person approved is not "auto".
                if approved == nil { chat.recentSends.append(now) }
                chat.consecutiveSends += 1
                writes[chatKey] = try RegistryCodec.encode(chat)
                return RecordChange(value: .proceed(serviceChat: id.jid), writes: writes, audit: audit)
            }
            return try hold("the session has read untrusted inbound messages", service: false)
        }.value
    }

    /// After a send to a service chat went out: the provider's replies are accepted from now on.
    func markContacted(_ jid: String) async {
        guard let store else { return }
        let key = RecordKey(RegistryKind.serviceChat, jid)
        do {
            _ = try await store.transact(reading: [key], kinds: [], now: clock()) { snapshot in
                guard var chat = try snapshot.decoded(ServiceChat.self, key), !chat.contacted else { return RecordChange(value: ()) }
                chat.contacted = true
                return RecordChange(value: (), writes: [key: try RegistryCodec.encode(chat)])
            }
        } catch {
            logger.error("service.mark_contacted_failed")
        }
    }

    // MARK: Approvals

    public func heldSends() async throws -> [HeldSend] {
        try await requireStore().records(kind: RegistryKind.approval).values
            .compactMap { try? RegistryCodec.decode(HeldSend.self, from: $0) }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func heldSend(_ id: String) async throws -> HeldSend {
        guard let value = try await requireStore().records(kind: RegistryKind.approval)[id] else {
            throw InboundError("no held send with id \(InboundText.label(String(id.prefix(40))))")
        }
        return try RegistryCodec.decode(HeldSend.self, from: value)
    }

    /// Marks a pending held send approved or rejected, atomically: two approvals cannot both win.
    func decideHeld(_ id: String, approve: Bool, note: String?) async throws -> HeldSend {
        let store = try requireStore()
        let key = RecordKey(RegistryKind.approval, id)
        let now = clock()
        let fingerprint = auditKey
        return try await store.transact(reading: [key], kinds: [], now: now) { snapshot in
            guard var held = try snapshot.decoded(HeldSend.self, key) else { throw InboundError("no held send with this id") }
            guard held.state == .pending else { throw InboundError("approval \(id) was already \(held.state.rawValue)") }
            held.state = approve ? .approved : .rejected
            held.decidedAt = now
            held.note = note.map { InboundText.label($0) }
            var entry = AuditEntry(event: .approval, tool: held.tool, decisionID: id, status: held.state.rawValue)
            entry.recipientHash = fingerprint.fingerprint(held.recipient)
            entry.recipientMasked = (try? RecipientNormalizer.parse(held.recipient).get())?.masked
            entry.detail = held.note
            return RecordChange(value: held, writes: [key: try RegistryCodec.encode(held)], audit: [entry])
        }.value
    }

    /// Approves a held send and sends it now, through every check again; the outcome is returned.
    public func approveHeld(_ id: String) async throws -> SendReport {
        let held = try await decideHeld(id, approve: true, note: nil)
        let request = SendRequest(
            tool: held.tool, recipient: held.recipient, kind: held.kind == "file" ? .file : .text, text: held.text, caption: held.caption,
            filePath: held.filePath, idempotencyKey: "approval:" + held.id)
        return await send(request, approved: held)
    }

    public func rejectHeld(_ id: String, note: String?) async throws -> HeldSend {
        try await decideHeld(id, approve: false, note: note)
    }
}
