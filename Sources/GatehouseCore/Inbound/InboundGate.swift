import Foundation

/// One inbound message as a source read it, identities parsed, text sanitised.
public struct InboundMessage: Sendable, Equatable {
    public var source: InboxRecord.Source
    public var sourceID: String
    public var chat: InboundChat
    /// Who the sender may be, most likely first (``InboundIdentity/candidates(sender:chat:)``).
    public var senderCandidates: [RecipientID]
    public var senderName: String
    public var chatName: String
    public var sentAt: Date
    public var text: InboundText.Sanitized
    public var attachment: InboxAttachment?

    public init(
        source: InboxRecord.Source, sourceID: String, chat: InboundChat, senderCandidates: [RecipientID], senderName: String,
        chatName: String, sentAt: Date, text: InboundText.Sanitized, attachment: InboxAttachment?
    ) {
        self.source = source
        self.sourceID = sourceID
        self.chat = chat
        self.senderCandidates = senderCandidates
        self.senderName = senderName
        self.chatName = chatName
        self.sentAt = sentAt
        self.text = text
        self.attachment = attachment
    }

    var chatJID: String {
        switch chat {
        case .direct(let id), .group(let id): return id.jid
        }
    }
}

/// What the inbound gate decided for one message.
public enum InboundVerdict: Sendable, Equatable {
    /// Into the spool as this record.
    case deliver(InboxRecord)
    /// A valid pairing code: the sender is now approved. The message itself goes nowhere.
    case paired
    /// Dropped silently: nothing is sent back, only a counter and an audit record.
    case dropped(DenialCode)
}

/// The inbound gate: pure. Given a message, the registry records it reads (``reads(_:)``) and the
/// clock, it decides and says what to write, in the order of docs/inbound.md ("The inbound gate").
public struct InboundGate: Sendable {
    public let policy: Policy
    public let key: AuditChainKey

    public init(policy: Policy, key: AuditChainKey) {
        self.policy = policy
        self.key = key
    }

    public static let readKinds: Set<String> = [RegistryKind.counter]

    /// The records ``decide(_:snapshot:now:receivedAt:)`` reads.
    public func reads(_ message: InboundMessage) -> Set<RecordKey> {
        var keys = Set(message.senderCandidates.map { RecordKey(RegistryKind.sender, $0.jid) })
        keys.insert(lockoutKey(message))
        if case .direct(let id) = message.chat { keys.insert(RecordKey(RegistryKind.serviceChat, id.jid)) }
        if let code = PairingCode.candidate(in: message.text.text) { keys.insert(offerKey(code)) }
        return keys
    }

    public func offerKey(_ code: String) -> RecordKey { RecordKey(RegistryKind.pairing, key.fingerprint("pairing\u{0}" + code)) }

    func lockoutKey(_ message: InboundMessage) -> RecordKey {
        Self.lockoutKey(jid: message.senderCandidates.first?.jid ?? "", key: key)
    }

    /// Where wrong-code failures of one identity are counted.
    public static func lockoutKey(jid: String, key: AuditChainKey) -> RecordKey {
        RecordKey(RegistryKind.lockout, key.fingerprint("lockout\u{0}" + jid))
    }

    public func decide(_ message: InboundMessage, snapshot: RecordSnapshot, now: Date) throws -> RecordChange<InboundVerdict> {
        let recordID = InboxID.message(source: message.source.rawValue, sourceID: message.sourceID, chat: message.chatJID, key: key)
        var change = RecordChange<InboundVerdict>(value: .dropped(.inboundUnknownSender))
        var entry = AuditEntry(event: .inbound, tool: "ingest", decisionID: recordID, status: "dropped")
        entry.recipientHash = message.senderCandidates.first.map { key.fingerprint($0.jid) }
        entry.chatHash = key.fingerprint(message.chatJID)

        func finish(_ verdict: InboundVerdict) -> RecordChange<InboundVerdict> {
            change.value = verdict
            let counter: String
            switch verdict {
            case .deliver(let record):
                entry.status = "delivered"
                entry.detail = record.chatKind.rawValue
                counter = "delivered"
            case .paired:
                entry.status = "paired"
                counter = "paired"
            case .dropped(let code):
                entry.status = "dropped"
                entry.reasons = [Denial(code, check: .inbound, Self.explain(code))]
                counter = Self.droppedCounter(code)
            }
            let counterKey = RecordKey(RegistryKind.counter, counter)
            let count = Int(snapshot[counterKey] ?? "0") ?? 0
            change.writes[counterKey] = String(count + 1)
            change.audit.insert(entry, at: 0)
            return change
        }

        // 3. Blocked or locked out.
        let records = try message.senderCandidates.compactMap { try snapshot.decoded(SenderRecord.self, RecordKey(RegistryKind.sender, $0.jid)) }
        if records.contains(where: { $0.status == .blocked }) { return finish(.dropped(.inboundBlocked)) }
        let lockoutKey = lockoutKey(message)
        var lockout = try snapshot.decoded(Lockout.self, lockoutKey)
        if let until = lockout?.lockedUntil, until > now { return finish(.dropped(.inboundLockedOut)) }
        let sender = records.first { $0.status == .approved }
        let senderJID = sender?.primary ?? message.senderCandidates.first?.jid ?? ""

        func record(_ kind: InboxRecord.ChatKind, name: String, commands: Bool, media: Bool) -> InboxRecord {
            let masked = (try? RecipientNormalizer.parse(senderJID).get())?.masked ?? "•••"
            let text = message.text.text
            return InboxRecord(
                id: recordID, source: message.source, receivedAt: now, sentAt: message.sentAt,
                chatID: InboxID.chat(message.chatJID, key: key), chatKind: kind, chatName: InboundText.label(name),
                senderID: InboxID.sender(senderJID, key: key), senderName: InboundText.label(sender?.name ?? message.senderName),
                senderMasked: masked, text: text, textTruncated: message.text.truncated,
                isCommand: commands && (text.hasPrefix("/") || text.hasPrefix("!")),
                attachment: media ? message.attachment : nil, attachmentWithheld: !media && message.attachment != nil)
        }

        // 4. Groups.
        if case .group(let groupID) = message.chat {
            guard let group = policy.inbound.group(groupID) else { return finish(.dropped(.inboundGroupNotAllowed)) }
            if let sender {
                guard sender.has(.reachAgent) else { return finish(.dropped(.inboundNotPermitted)) }
                return finish(.deliver(record(.group, name: group.name, commands: sender.has(.operatorCommands), media: sender.has(.sendMedia))))
            }
            guard group.allowAllMembers else { return finish(.dropped(.inboundUnknownSender)) }
            return finish(.deliver(record(.group, name: group.name, commands: false, media: false)))
        }
        // 5. Approved senders.
        if let sender {
            guard sender.has(.reachAgent) else { return finish(.dropped(.inboundNotPermitted)) }
            return finish(.deliver(record(.direct, name: sender.name, commands: sender.has(.operatorCommands), media: sender.has(.sendMedia))))
        }
        // 6. Service conversations.
        let chatKey = RecordKey(RegistryKind.serviceChat, message.chatJID)
        if policy.service.enabled, var chat = try snapshot.decoded(ServiceChat.self, chatKey) {
            if chat.mode == .revoked { return finish(.dropped(.inboundServiceRevoked)) }
            if chat.contacted {
                chat.consecutiveSends = 0
                if policy.service.autoPromoteRepliedChats, chat.mode == .draftFirst {
                    chat.mode = .approvedFollowup
                    chat.resumeMode = .approvedFollowup
                    var promoted = AuditEntry(event: .chat, tool: "ingest", decisionID: recordID, status: ServiceMode.approvedFollowup.rawValue)
                    promoted.recipientHash = key.fingerprint(chat.jid)
                    promoted.detail = "auto-promoted: the provider replied"
                    change.audit.append(promoted)
                }
                change.writes[chatKey] = try RegistryCodec.encode(chat)
                return finish(.deliver(record(.service, name: chat.name, commands: false, media: policy.service.allowMedia)))
            }
        }
        // 7-8. Pairing codes.
        if let code = PairingCode.candidate(in: message.text.text), let senderID = message.senderCandidates.first {
            let offerKey = offerKey(code)
            if let offer = try snapshot.decoded(PairingOffer.self, offerKey), offer.expiresAt > now {
                let approved = SenderRecord(
                    primary: senderID.jid, name: offer.name, status: .approved, capabilities: offer.capabilities, updatedAt: now)
                change.writes[RecordKey(RegistryKind.sender, senderID.jid)] = try RegistryCodec.encode(approved)
                change.writes[offerKey] = .some(nil)
                change.writes[lockoutKey] = .some(nil)
                var registry = AuditEntry(event: .registry, tool: "ingest", decisionID: recordID, status: SenderStatus.approved.rawValue)
                registry.recipientHash = key.fingerprint(senderID.jid)
                registry.detail = "paired with a code; capabilities: " + offer.capabilities.map(\.rawValue).joined(separator: ",")
                change.audit.append(registry)
                return finish(.paired)
            }
            var counted = lockout ?? Lockout(failures: 0, since: now)
            if now.timeIntervalSince(counted.since) > Double(policy.inbound.lockoutMinutes * 60) { counted = Lockout(failures: 0, since: now) }
            counted.failures += 1
            if counted.failures >= policy.inbound.lockoutAfter {
                counted.lockedUntil = now.addingTimeInterval(Double(policy.inbound.lockoutMinutes * 60))
            }
            lockout = counted
            change.writes[lockoutKey] = try RegistryCodec.encode(counted)
            return finish(.dropped(.inboundWrongCode))
        }
        // 9. Unknown or pending.
        return finish(.dropped(.inboundUnknownSender))
    }

    static func explain(_ code: DenialCode) -> String {
        switch code {
        case .inboundBlocked: return "the sender is blocked"
        case .inboundLockedOut: return "the sender is locked out after wrong pairing codes"
        case .inboundGroupNotAllowed: return "the group is not in inbound.groups"
        case .inboundWrongCode: return "a wrong or expired pairing code"
        case .inboundServiceRevoked: return "the service conversation is revoked"
        case .inboundNotPermitted: return "the sender lacks reach_agent"
        case .inboundUnsupportedChat: return "status, broadcast and channel chats are not read"
        default: return "the sender is not approved"
        }
    }

    static func droppedCounter(_ code: DenialCode) -> String {
        "dropped." + code.rawValue.replacingOccurrences(of: "inbound.", with: "")
    }

    /// A record dropped before it had identities to judge (a status or broadcast chat): its counter
    /// and audit record, no content.
    public func droppedUnread(_ code: DenialCode) -> (counter: RecordKey, entry: AuditEntry) {
        var entry = AuditEntry(event: .inbound, tool: "ingest", decisionID: UUID().uuidString.lowercased(), status: "dropped")
        entry.reasons = [Denial(code, check: .inbound, Self.explain(code))]
        return (RecordKey(RegistryKind.counter, Self.droppedCounter(code)), entry)
    }

    /// A record that failed validation: its counter and audit record; no content, only where and why.
    public func quarantined(source: String, reason: String) -> (counter: RecordKey, entry: AuditEntry) {
        var entry = AuditEntry(event: .inbound, tool: "ingest", decisionID: UUID().uuidString.lowercased(), status: "quarantined")
        entry.detail = "\(source): \(reason)"
        return (RecordKey(RegistryKind.counter, "quarantined"), entry)
    }
}
