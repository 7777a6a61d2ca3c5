import GatehouseCore
import Yams

/// `inbound:`, `taint:` and `service_conversations:` (docs/inbound.md), as strict as the rest.
extension ConfigLoader {
    func parseInbound(_ node: Node, into inbound: inout InboundPolicy, reader: inout YAMLReader) {
        let keys = ["bridge_db", "drop_dir", "max_text_chars", "groups", "pairing"]
        guard let members = reader.mapping(node, at: "inbound", allowed: keys) else { return }
        if let node = members["bridge_db"], let path = reader.string(node, at: "inbound.bridge_db") { inbound.bridgeDatabase = absolute(path) }
        if let node = members["drop_dir"], let path = reader.string(node, at: "inbound.drop_dir") { inbound.dropDirectory = absolute(path) }
        if let node = members["max_text_chars"], let value = reader.int(node, at: "inbound.max_text_chars", range: 1...65_536) {
            inbound.maxTextCharacters = value
        }
        if let node = members["groups"], let list = reader.sequence(node, at: "inbound.groups") {
            for (index, item) in list.enumerated() {
                let path = "inbound.groups[\(index)]"
                guard let group = reader.mapping(item, at: path, allowed: ["jid", "name", "allow_all_members"]) else { continue }
                guard let jidNode = group["jid"], let jid = reader.string(jidNode, at: "\(path).jid") else {
                    reader.fail(path, item, "a group needs a jid")
                    continue
                }
                guard case .success(let id) = RecipientNormalizer.parse(jid), id.kind == .group else {
                    reader.fail("\(path).jid", jidNode, "not a group JID (<digits>@g.us)")
                    continue
                }
                let name = group["name"].flatMap { reader.string($0, at: "\(path).name") } ?? "Group"
                let all = group["allow_all_members"].flatMap { reader.bool($0, at: "\(path).allow_all_members") } ?? false
                inbound.groups.append(InboundGroup(id: id, name: name, allowAllMembers: all))
            }
        }
        if let node = members["pairing"],
            let pairing = reader.mapping(node, at: "inbound.pairing", allowed: ["code_ttl_minutes", "max_pending", "lockout_after", "lockout_minutes"])
        {
            func value(_ key: String, _ range: ClosedRange<Int>) -> Int? {
                pairing[key].flatMap { reader.int($0, at: "inbound.pairing.\(key)", range: range) }
            }
            if let v = value("code_ttl_minutes", 1...10_080) { inbound.pairingCodeTTLMinutes = v }
            if let v = value("max_pending", 1...20) { inbound.maxPendingCodes = v }
            if let v = value("lockout_after", 1...100) { inbound.lockoutAfter = v }
            if let v = value("lockout_minutes", 1...10_080) { inbound.lockoutMinutes = v }
        }
    }

    func parseTaint(_ node: Node, into policy: inout Policy, reader: inout YAMLReader) {
        guard let members = reader.mapping(node, at: "taint", allowed: ["approve_sends_after_untrusted"]) else { return }
        if let node = members["approve_sends_after_untrusted"], let value = reader.bool(node, at: "taint.approve_sends_after_untrusted") {
            policy.approveSendsAfterUntrusted = value
        }
    }

    func parseService(_ node: Node, into service: inout ServicePolicy, reader: inout YAMLReader) {
        let keys = [
            "enabled", "default_mode", "approved_chats", "approved_patterns", "allow_agent_initiated_service_chats",
            "auto_promote_replied_to_chats", "max_new_service_chats_per_day", "require_explicit_approval_for_first_contact",
            "allow_media", "max_auto_sends_per_chat_per_hour", "max_consecutive_sends_without_reply",
        ]
        let at = "service_conversations"
        guard let members = reader.mapping(node, at: at, allowed: keys) else { return }
        func flag(_ key: String) -> Bool? { members[key].flatMap { reader.bool($0, at: "\(at).\(key)") } }
        func count(_ key: String, _ range: ClosedRange<Int>) -> Int? { members[key].flatMap { reader.int($0, at: "\(at).\(key)", range: range) } }
        if let v = flag("enabled") { service.enabled = v }
        if let v = flag("allow_agent_initiated_service_chats") { service.allowAgentInitiated = v }
        if let v = flag("auto_promote_replied_to_chats") { service.autoPromoteRepliedChats = v }
        if let v = flag("require_explicit_approval_for_first_contact") { service.requireApprovalForFirstContact = v }
        if let v = flag("allow_media") { service.allowMedia = v }
        if let v = count("max_new_service_chats_per_day", 0...1_000) { service.maxNewChatsPerDay = v }
        if let v = count("max_auto_sends_per_chat_per_hour", 0...1_000) { service.maxAutoSendsPerChatPerHour = v }
        if let v = count("max_consecutive_sends_without_reply", 0...1_000) { service.maxConsecutiveSendsWithoutReply = v }
        if let node = members["default_mode"], let word = reader.string(node, at: "\(at).default_mode") {
            switch ServiceMode(rawValue: word) {
            case .draftFirst?, .approvedFollowup?: service.defaultMode = ServiceMode(rawValue: word)!
            default: reader.fail("\(at).default_mode", node, "expected draft_first or approved_followup, found '\(word)'")
            }
        }
        if let node = members["approved_chats"], let list = reader.sequence(node, at: "\(at).approved_chats") {
            for item in list {
                guard let text = reader.string(item, at: "\(at).approved_chats") else { continue }
                switch RecipientNormalizer.parse(text) {
                case .success(let id) where id.kind == .phone: if !service.approvedChats.contains(id) { service.approvedChats.append(id) }
                case .success: reader.fail("\(at).approved_chats", item, "a service chat is a provider's phone number, not a group or LID")
                case .failure(let error): reader.fail("\(at).approved_chats", item, "not a valid number: \(error)")
                }
            }
        }
        if let node = members["approved_patterns"], let list = reader.sequence(node, at: "\(at).approved_patterns") {
            for item in list {
                guard let pattern = reader.string(item, at: "\(at).approved_patterns") else { continue }
                let compact = pattern.filter { $0 != " " && $0 != "-" }
                guard compact.hasPrefix("+"), compact.dropFirst().allSatisfy({ $0.isNumber || $0 == "*" || $0 == "?" }),
                    compact.dropFirst().filter(\.isNumber).count >= 2
                else {
                    reader.fail("\(at).approved_patterns", item, "a pattern is an E.164 number with * and ?, e.g. +34900*, and at least a country code")
                    continue
                }
                service.approvedPatterns.append(compact)
            }
        }
    }
}
