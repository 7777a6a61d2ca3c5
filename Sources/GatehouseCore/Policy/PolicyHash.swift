import Crypto

extension Policy {
    /// SHA-256 over a canonical rendering of every field that decides a send.
    ///
    /// Goes into every audit record and every confirmation token, so a record says which rules
    /// judged it and a token issued under other rules no longer verifies.
    public var hash: String {
        var lines: [String] = []
        switch transport {
        case .outbox(let directory): lines.append("transport=outbox:\(directory ?? "")")
        case .bridge(let url, let allowNonLoopback): lines.append("transport=bridge:\(url):\(allowNonLoopback)")
        }
        lines.append("allow_unlisted=\(allowUnlisted)")
        lines.append("require_confirm_for=\(requireConfirmFor.sorted().map(\.rawValue).joined(separator: ","))")
        lines.append("confirm_ttl=\(confirmTokenLifetimeSeconds)")
        lines.append("global=\(render(globalLimits))")
        lines.append("per_recipient=\(render(perRecipientLimits))")
        lines.append("files.roots=\(files.roots.joined(separator: "\u{1F}"))")
        lines.append("files.max=\(files.maxBytes)")
        lines.append("files.ext=\(files.allowedExtensions.sorted().joined(separator: ","))")
        lines.append("secrets=\(onSecret.rawValue)")
        for entry in recipients {
            lines.append("recipient=\(entry.name)\u{1F}\(entry.id.jid)\u{1F}\(entry.rateLimits.map(render) ?? "-")")
        }
        let digest = SHA256.hash(data: Array(lines.joined(separator: "\n").utf8))
        return digest.hexString
    }

    private func render(_ limits: RateLimits) -> String {
        "\(limits.perMinute.map(String.init) ?? "-")/\(limits.perHour.map(String.init) ?? "-")"
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
