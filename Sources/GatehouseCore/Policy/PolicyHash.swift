import Crypto

extension Policy {
    /// SHA-256 over a canonical rendering of every field that decides a send.
    ///
    /// Goes into every audit record and every confirmation token, so a record says which rules
    /// judged it and a token issued under other rules no longer verifies.
    ///
    /// The rendering is canonical JSON (``JSONValue/canonical``), so no name or path, whatever
    /// characters it holds, can make two different policies render alike.
    public var hash: String {
        let transportValue: JSONValue
        switch transport {
        case .outbox(let directory):
            transportValue = .object(["kind": .string("outbox"), "directory": directory.map(JSONValue.string) ?? .null])
        case .bridge(let url, let allowNonLoopback):
            transportValue = .object(["kind": .string("bridge"), "url": .string(url), "allow_non_loopback": .bool(allowNonLoopback)])
        }
        let rendering = JSONValue.object([
            "transport": transportValue,
            "allow_unlisted": .bool(allowUnlisted),
            "require_confirm_for": .array(requireConfirmFor.sorted().map { .string($0.rawValue) }),
            "confirm_ttl": .int(confirmTokenLifetimeSeconds),
            "global": Self.render(globalLimits),
            "per_recipient": Self.render(perRecipientLimits),
            "files": .object([
                "roots": .array(files.roots.map(JSONValue.string)),
                "max_bytes": .int(files.maxBytes),
                "extensions": .array(files.allowedExtensions.sorted().map(JSONValue.string)),
                "unscannable": .string(files.unscannable.rawValue),
            ]),
            "secrets": .string(onSecret.rawValue),
            "secret_actions": .object(secretActions.mapValues { .string($0.rawValue) }),
            "secret_allow": .array(allowedValues.sorted().map(JSONValue.string)),
            "split_window": .int(splitWindowSeconds),
            "taint_approve": .bool(approveSendsAfterUntrusted),
            "service": .object([
                "enabled": .bool(service.enabled), "default_mode": .string(service.defaultMode.rawValue),
                "approved_chats": .array(service.approvedChats.map { .string($0.jid) }),
                "approved_patterns": .array(service.approvedPatterns.map(JSONValue.string)),
                "agent_initiated": .bool(service.allowAgentInitiated), "auto_promote": .bool(service.autoPromoteRepliedChats),
                "per_day": .int(service.maxNewChatsPerDay), "first_contact_approval": .bool(service.requireApprovalForFirstContact),
                "media": .bool(service.allowMedia), "per_hour": .int(service.maxAutoSendsPerChatPerHour),
                "consecutive": .int(service.maxConsecutiveSendsWithoutReply),
            ]),
            "recipients": .array(
                recipients.map {
                    .object([
                        "name": .string($0.name), "jid": .string($0.id.jid),
                        "limits": $0.rateLimits.map(Self.render) ?? .null,
                    ])
                }),
        ])
        return SHA256.hash(data: Array(rendering.canonical.utf8)).hexString
    }

    private static func render(_ limits: RateLimits) -> JSONValue {
        .object(["per_minute": limits.perMinute.map(JSONValue.int) ?? .null, "per_hour": limits.perHour.map(JSONValue.int) ?? .null])
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, the one form digests take in records and tokens.
    public var hexString: String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Digest {
    public var hexString: String { Array(self).hexString }
}
