import Foundation
import Testing

@testable import GatehouseCore

/// The inbound gate on snapshots built by hand: every rule blocking and allowing.
@Suite struct InboundGateTests {
    static let key = AuditChainKey(bytes: Array(repeating: 3, count: 32))
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let bob = "447700900456@s.whatsapp.net"
    static let group = "120363041234567890@g.us"

    static func policy(allowAll: Bool = false, service: Bool = false, autoPromote: Bool = false) -> Policy {
        var policy = Policy()
        policy.inbound.groups = [InboundGroup(id: try! RecipientNormalizer.parse(group).get(), name: "Team", allowAllMembers: allowAll)]
        policy.inbound.lockoutAfter = 3
        policy.service.enabled = service
        policy.service.autoPromoteRepliedChats = autoPromote
        return policy
    }

    static func message(_ text: String, chat: String = bob, sender: String = bob, attachment: InboxAttachment? = nil) -> InboundMessage {
        let raw = RawInbound(source: .drop, sourceID: "id-\(text.hashValue)", chat: chat, sender: sender, sentAt: now, text: text, attachment: attachment)
        return try! raw.message(maxTextCharacters: 4096).get()
    }

    static func sender(_ status: SenderStatus, _ capabilities: [Capability] = [.reachAgent], jid: String = bob) -> String {
        try! RegistryCodec.encode(SenderRecord(primary: jid, name: "Bob", status: status, capabilities: capabilities, updatedAt: now))
    }

    static func decide(
        _ message: InboundMessage, _ values: [RecordKey: String] = [:], policy: Policy = policy(), at time: Date = now
    ) throws -> RecordChange<InboundVerdict> {
        let gate = InboundGate(policy: policy, key: key)
        // The gate may only rely on what it asked to read.
        let asked = gate.reads(message)
        let visible = values.filter { asked.contains($0.key) || InboundGate.readKinds.contains($0.key.kind) }
        return try gate.decide(message, snapshot: RecordSnapshot(values: visible), now: time)
    }

    static let senderKey = RecordKey(RegistryKind.sender, bob)

    @Test func aStrangerIsDroppedAndOnlyCountedAndAuditedWithHashes() throws {
        let change = try Self.decide(Self.message("hello, I am +44 7700 900999"))
        #expect(change.value == .dropped(.inboundUnknownSender))
        #expect(change.writes[RecordKey(RegistryKind.counter, "dropped.unknown_sender")] == "1")
        #expect(change.audit.count == 1)
        let record = AuditChain.seal(change.audit[0], seq: 1, time: Self.now, prevHash: AuditChain.genesis, key: Self.key).record
        #expect(!record.contains("447700900456"))
        #expect(!record.contains("hello"))
        #expect(record.contains(#""status":"dropped""#))
    }

    @Test func anApprovedSenderIsDeliveredAsUntrustedData() throws {
        let change = try Self.decide(Self.message("hi"), [Self.senderKey: Self.sender(.approved)])
        guard case .deliver(let record) = change.value else { Issue.record("not delivered: \(change.value)"); return }
        #expect(record.chatKind == .direct)
        #expect(record.text == "hi")
        #expect(record.senderMasked == "+44•••••••456")
        #expect(!record.json.canonical.contains("447700900456"))
    }

    @Test func pendingBlockedAndCapabilityLessSendersAreDropped() throws {
        #expect(try Self.decide(Self.message("hi"), [Self.senderKey: Self.sender(.pending)]).value == .dropped(.inboundUnknownSender))
        #expect(try Self.decide(Self.message("hi"), [Self.senderKey: Self.sender(.blocked)]).value == .dropped(.inboundBlocked))
        #expect(try Self.decide(Self.message("hi"), [Self.senderKey: Self.sender(.approved, [])]).value == .dropped(.inboundNotPermitted))
    }

    @Test func aCommandIsACommandOnlyWithOperatorCommands() throws {
        for text in ["/reset", "!delete all"] {
            let plain = try Self.decide(Self.message(text), [Self.senderKey: Self.sender(.approved)])
            guard case .deliver(let record) = plain.value else { Issue.record("not delivered"); return }
            #expect(!record.isCommand)
            let operatorChange = try Self.decide(Self.message(text), [Self.senderKey: Self.sender(.approved, [.reachAgent, .operatorCommands])])
            guard case .deliver(let operatorRecord) = operatorChange.value else { Issue.record("not delivered"); return }
            #expect(operatorRecord.isCommand)
        }
    }

    @Test func attachmentsNeedSendMedia() throws {
        let file = InboxAttachment(sha256: String(repeating: "0", count: 64), mime: "image/jpeg", size: 3)
        let withheld = try Self.decide(Self.message("pic", attachment: file), [Self.senderKey: Self.sender(.approved)])
        guard case .deliver(let record) = withheld.value else { Issue.record("not delivered"); return }
        #expect(record.attachment == nil && record.attachmentWithheld)
        let kept = try Self.decide(Self.message("pic", attachment: file), [Self.senderKey: Self.sender(.approved, [.reachAgent, .sendMedia])])
        guard case .deliver(let keptRecord) = kept.value else { Issue.record("not delivered"); return }
        #expect(keptRecord.attachment == file && !keptRecord.attachmentWithheld)
    }

    @Test func aValidCodeApprovesTheSenderWithItsCapabilitiesAndIsSpent() throws {
        let gate = InboundGate(policy: Self.policy(), key: Self.key)
        let offer = PairingOffer(name: "Bob", capabilities: [.reachAgent, .receiveReplies], createdAt: Self.now, expiresAt: Self.now + 3600)
        let offerKey = gate.offerKey("ABCDEFGH")
        let change = try Self.decide(Self.message("abcd-efgh"), [offerKey: try RegistryCodec.encode(offer)])
        #expect(change.value == .paired)
        #expect(change.writes[offerKey] == .some(nil))
        let written = try #require(change.writes[Self.senderKey] ?? nil)
        let record = try RegistryCodec.decode(SenderRecord.self, from: written)
        #expect(record.status == .approved && record.capabilities == [.reachAgent, .receiveReplies])
        #expect(change.audit.map(\.event) == [.inbound, .registry])
    }

    @Test func anExpiredOrWrongCodeIsDroppedAndCountsTowardALockout() throws {
        let gate = InboundGate(policy: Self.policy(), key: Self.key)
        let offer = PairingOffer(name: "Bob", capabilities: [.reachAgent], createdAt: Self.now - 7200, expiresAt: Self.now - 1)
        let expired = try Self.decide(Self.message("ABCDEFGH"), [gate.offerKey("ABCDEFGH"): try RegistryCodec.encode(offer)])
        #expect(expired.value == .dropped(.inboundWrongCode))
        #expect(expired.writes[Self.senderKey] == nil)

        var values: [RecordKey: String] = [:]
        for attempt in 1...3 {
            let change = try Self.decide(Self.message("ZZZZZZZ\(attempt + 1)"), values)
            #expect(change.value == .dropped(.inboundWrongCode))
            for (key, value) in change.writes { values[key] = value }
        }
        // Locked out: now even a valid code is dropped.
        let valid = PairingOffer(name: "Bob", capabilities: [.reachAgent], createdAt: Self.now, expiresAt: Self.now + 7200)
        values[gate.offerKey("ABCDEFGH")] = try RegistryCodec.encode(valid)
        #expect(try Self.decide(Self.message("ABCDEFGH"), values).value == .dropped(.inboundLockedOut))
        // ...until the lockout ends.
        #expect(try Self.decide(Self.message("ABCDEFGH"), values, at: Self.now + 3601).value == .paired)
    }

    @Test func aBlockedSenderStaysOutEvenWithAValidCode() throws {
        let gate = InboundGate(policy: Self.policy(), key: Self.key)
        let offer = PairingOffer(name: "Bob", capabilities: [.reachAgent], createdAt: Self.now, expiresAt: Self.now + 3600)
        let change = try Self.decide(
            Self.message("ABCDEFGH"), [gate.offerKey("ABCDEFGH"): try RegistryCodec.encode(offer), Self.senderKey: Self.sender(.blocked)])
        #expect(change.value == .dropped(.inboundBlocked))
        #expect(change.writes[gate.offerKey("ABCDEFGH")] == nil, "the code is not spent")
    }

    @Test func groupsAreAllowlistedAndThenOnlyApprovedMembersUnlessAllMayWrite() throws {
        let stranger = "447700900999"
        #expect(
            try Self.decide(Self.message("hi", chat: "120363049999999999@g.us", sender: Self.bob), [Self.senderKey: Self.sender(.approved)]).value
                == .dropped(.inboundGroupNotAllowed))
        #expect(try Self.decide(Self.message("hi", chat: Self.group, sender: stranger)).value == .dropped(.inboundUnknownSender))
        let approved = try Self.decide(Self.message("hi", chat: Self.group, sender: "447700900456"), [Self.senderKey: Self.sender(.approved)])
        guard case .deliver(let record) = approved.value else { Issue.record("not delivered"); return }
        #expect(record.chatKind == .group && record.chatName == "Team")
        let open = try Self.decide(Self.message("hi", chat: Self.group, sender: stranger), policy: Self.policy(allowAll: true))
        guard case .deliver = open.value else { Issue.record("allow_all_members did not admit"); return }
        let blocked = try Self.decide(
            Self.message("hi", chat: Self.group, sender: "447700900456"), [Self.senderKey: Self.sender(.blocked)], policy: Self.policy(allowAll: true))
        #expect(blocked.value == .dropped(.inboundBlocked))
    }

    @Test func aLIDAliasFindsThePersonInAGroup() throws {
        // The registry keeps the person under both identities; the bridge gives bare LID digits.
        let lid = "123456789012345"
        let record = try RegistryCodec.encode(
            SenderRecord(primary: Self.bob, aliases: [lid + "@lid"], name: "Bob", status: .approved, capabilities: [.reachAgent], updatedAt: Self.now))
        let change = try Self.decide(Self.message("hi", chat: Self.group, sender: lid), [RecordKey(RegistryKind.sender, lid + "@lid"): record])
        guard case .deliver(let delivered) = change.value else { Issue.record("alias not matched: \(change.value)"); return }
        #expect(delivered.senderID == InboxID.sender(Self.bob, key: Self.key))
    }

    @Test func serviceChatsReplyOnlyOnceContactedNeverAsCommandsAndNotWhenRevoked() throws {
        let chatKey = RecordKey(RegistryKind.serviceChat, Self.bob)
        var chat = ServiceChat(jid: Self.bob, name: "Support", mode: .draftFirst, createdAt: Self.now)
        let policy = Self.policy(service: true, autoPromote: true)
        #expect(try Self.decide(Self.message("hello"), [chatKey: try RegistryCodec.encode(chat)], policy: policy).value == .dropped(.inboundUnknownSender))
        chat.contacted = true
        chat.consecutiveSends = 2
        let reply = try Self.decide(Self.message("/reset"), [chatKey: try RegistryCodec.encode(chat)], policy: policy)
        guard case .deliver(let record) = reply.value else { Issue.record("reply not delivered"); return }
        #expect(record.chatKind == .service && !record.isCommand)
        let updated = try RegistryCodec.decode(ServiceChat.self, from: try #require(reply.writes[chatKey] ?? nil))
        #expect(updated.consecutiveSends == 0 && updated.mode == .approvedFollowup)
        #expect(reply.audit.map(\.event).contains(.chat))
        chat.mode = .revoked
        #expect(try Self.decide(Self.message("hello"), [chatKey: try RegistryCodec.encode(chat)], policy: policy).value == .dropped(.inboundServiceRevoked))
        // With service conversations off, a chat record admits nobody.
        chat.mode = .approvedFollowup
        #expect(try Self.decide(Self.message("hello"), [chatKey: try RegistryCodec.encode(chat)]).value == .dropped(.inboundUnknownSender))
    }
}
