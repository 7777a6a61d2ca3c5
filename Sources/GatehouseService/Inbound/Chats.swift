import Foundation
import GatehouseCore

/// One chat the agent may see (`wa_list_chats`).
public struct ChatListing: Sendable, Equatable {
    public enum Kind: String, Sendable { case direct, group, service }
    public let chatID: String
    public let name: String
    public let kind: Kind
    public let masked: String
    public let canSend: Bool
    /// Service chats: the mode.
    public let mode: String?
}

/// Chats beyond the config's recipients: approved senders, allowlisted groups and service chats,
/// named to the agent by opaque chat ids (``InboxID/chat(_:key:)``) and masked numbers.
extension GatehouseService {
    public func listChats(limit: Int) async throws -> [ChatListing] {
        let policy = try requirePolicy()
        var out: [ChatListing] = []
        for sender in try await senders() where sender.status == .approved && sender.has(.reachAgent) {
            let id = try? RecipientNormalizer.parse(sender.primary).get()
            out.append(
                ChatListing(
                    chatID: InboxID.chat(sender.primary, key: auditKey), name: sender.name.isEmpty ? (id?.masked ?? "") : sender.name,
                    kind: .direct, masked: id?.masked ?? "•••", canSend: sender.has(.receiveReplies), mode: nil))
        }
        for group in policy.inbound.groups {
            out.append(
                ChatListing(
                    chatID: InboxID.chat(group.id.jid, key: auditKey), name: group.name, kind: .group, masked: group.id.masked,
                    canSend: policy.recipients.contains { $0.id == group.id }, mode: nil))
        }
        if policy.service.enabled {
            for chat in try await serviceChats() where chat.mode != .revoked {
                let id = try? RecipientNormalizer.parse(chat.jid).get()
                out.append(
                    ChatListing(
                        chatID: InboxID.chat(chat.jid, key: auditKey), name: chat.name, kind: .service, masked: id?.masked ?? "•••",
                        canSend: chat.mode == .approvedFollowup || chat.mode == .draftFirst, mode: chat.mode.rawValue))
            }
        }
        return Array(out.prefix(limit))
    }

    public func serviceChats() async throws -> [ServiceChat] {
        try await requireStore().records(kind: RegistryKind.serviceChat).values
            .compactMap { try? RegistryCodec.decode(ServiceChat.self, from: $0) }
            .sorted { $0.createdAt < $1.createdAt }
    }

    /// The policy a send is judged under: the config's recipients, plus approved senders holding
    /// `receive_replies` and service chats (and, with service conversations on, a provider the
    /// config admits). A chat id (`c_…`) is turned into its JID. Reads the store only when the
    /// recipient is not already a configured one.
    func effectivePolicy(_ policy: Policy, recipient: String) async -> (policy: Policy, recipient: String) {
        if case .success(let resolved) = RecipientResolver.resolve(recipient, in: policy), resolved.allowlisted {
            return (policy, recipient)
        }
        guard let store else { return (policy, recipient) }
        var extra: [RecipientEntry] = []
        let configured = Set(policy.recipients.map(\.id))
        let senders = (try? await store.records(kind: RegistryKind.sender)) ?? [:]
        for value in senders.values {
            guard let record = try? RegistryCodec.decode(SenderRecord.self, from: value), record.has(.receiveReplies),
                let id = try? RecipientNormalizer.parse(record.primary).get(), !configured.contains(id), !extra.contains(where: { $0.id == id })
            else { continue }
            extra.append(RecipientEntry(name: record.name.isEmpty ? id.masked : record.name, id: id, note: "approved sender"))
        }
        if policy.service.enabled {
            let chats = (try? await store.records(kind: RegistryKind.serviceChat)) ?? [:]
            for value in chats.values {
                guard let chat = try? RegistryCodec.decode(ServiceChat.self, from: value),
                    let id = try? RecipientNormalizer.parse(chat.jid).get(), !configured.contains(id), !extra.contains(where: { $0.id == id })
                else { continue }
                extra.append(RecipientEntry(name: chat.name, id: id, note: "service conversation"))
            }
            if case .success(let id) = RecipientNormalizer.parse(recipient.precomposedStringWithCompatibilityMapping),
                policy.service.admits(id), !configured.contains(id), !extra.contains(where: { $0.id == id })
            {
                extra.append(RecipientEntry(name: id.masked, id: id, note: "service provider"))
            }
        }
        var mapped = recipient
        let trimmed = recipient.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("c_") {
            let candidates = policy.recipients.map(\.id) + extra.map(\.id) + policy.inbound.groups.map(\.id)
            if let match = candidates.first(where: { InboxID.chat($0.jid, key: auditKey) == trimmed }) { mapped = match.jid }
        }
        var effective = policy
        effective.recipients += extra
        return (effective, mapped)
    }

    // MARK: Chat modes

    public enum ChatChange: String, Sendable, CaseIterable { case promote, pause, resume, revoke }

    /// Changes a service chat's mode (creating its record when the owner acts first), audited.
    public func changeChat(_ target: String, _ change: ChatChange) async throws -> ServiceChat {
        let store = try requireStore()
        // Fail closed: no chat changes under a config that does not parse.
        _ = try requirePolicy()
        let chats = try await serviceChats()
        let id: RecipientID
        if let named = chats.first(where: { NameKey($0.name) == NameKey(target) }), let parsed = try? RecipientNormalizer.parse(named.jid).get() {
            id = parsed
        } else {
            id = try Self.identity(target)
        }
        guard id.kind == .phone else { throw InboundError("a service chat is a provider's phone number") }
        let key = RecordKey(RegistryKind.serviceChat, id.jid)
        let now = clock()
        let fingerprint = auditKey
        return try await store.transact(reading: [key], kinds: [], now: now) { snapshot in
            var chat = try snapshot.decoded(ServiceChat.self, key) ?? ServiceChat(jid: id.jid, name: id.masked, mode: .draftFirst, createdAt: now)
            let before = chat.mode
            switch change {
            case .promote:
                guard chat.mode != .revoked else { throw InboundError("a revoked chat cannot be promoted") }
                chat.mode = .approvedFollowup
                chat.resumeMode = .approvedFollowup
            case .pause:
                guard chat.mode != .revoked else { throw InboundError("a revoked chat cannot be paused") }
                if chat.mode != .paused { chat.resumeMode = chat.mode }
                chat.mode = .paused
            case .resume:
                guard chat.mode == .paused else { throw InboundError("only a paused chat can be resumed (it is \(chat.mode.rawValue))") }
                chat.mode = chat.resumeMode
            case .revoke: chat.mode = .revoked
            }
            var entry = AuditEntry(event: .chat, tool: "cli", decisionID: UUID().uuidString.lowercased(), status: chat.mode.rawValue)
            entry.recipientHash = fingerprint.fingerprint(id.jid)
            entry.recipientMasked = id.masked
            entry.detail = "chats \(change.rawValue): \(before.rawValue) → \(chat.mode.rawValue)"
            return RecordChange(value: chat, writes: [key: try RegistryCodec.encode(chat)], audit: [entry])
        }.value
    }

    // MARK: Inbox

    public struct InboxPage: Sendable {
        public let records: [InboxRecord]
        public let nextSince: String?
        public let skippedInvalid: Int
    }

    /// Spool records newer than `since`, optionally of one chat (id or name), oldest first. Reading
    /// marks this session as having seen untrusted input.
    public func inbox(since: String?, chat: String?, limit: Int) throws -> InboxPage {
        let policy = try requirePolicy()
        var after: Date?
        if let since {
            guard let parsed = Timestamp.parse(since) else { throw InboundError("since must be an ISO-8601 time with an offset, e.g. a record's received_at") }
            after = parsed
        }
        markTainted()
        let spool = InboxSpool(state: state, maxTextCharacters: policy.inbound.maxTextCharacters)
        let (all, invalid) = spool.read()
        var chatID: String?
        if let chat {
            let trimmed = chat.trimmingCharacters(in: .whitespaces)
            chatID = trimmed.hasPrefix("c_") ? trimmed : all.last(where: { NameKey($0.chatName) == NameKey(trimmed) })?.chatID ?? "none"
        }
        let selected = all.filter { record in
            (after.map { record.receivedAt > $0 } ?? true) && (chatID.map { record.chatID == $0 } ?? true)
        }
        let page = Array(selected.prefix(limit))
        return InboxPage(records: page, nextSince: page.last.map { AuditTime.format($0.receivedAt) } ?? since, skippedInvalid: invalid)
    }
}
