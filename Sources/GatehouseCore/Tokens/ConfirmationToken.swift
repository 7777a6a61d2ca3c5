import Crypto
import Foundation

/// The key that signs confirmation tokens. Its bytes never print.
public struct ConfirmationTokenKey: Sendable, CustomStringConvertible {
    let key: SymmetricKey

    public init(bytes: [UInt8]) { key = SymmetricKey(data: bytes) }
    public var description: String { "ConfirmationTokenKey(redacted)" }
}

/// A confirmation token: proof that this exact send was previewed under these rules, recently.
///
/// Layout `ghc1_` + base64url(nonce 16 ‖ expiry 8 ‖ HMAC-SHA256 truncated to 16) where the MAC
/// covers nonce, expiry and the ``CanonicalSend``. The model cannot forge one without the key in
/// the state dir, a changed body, recipient, file or policy voids it, it expires, and the store
/// spends its nonce once.
public struct ConfirmationToken: Sendable, Equatable {
    public static let prefix = "ghc1_"
    public let nonce: [UInt8]
    public let expiresAt: Date

    /// The nonce in the form the store remembers spent tokens by.
    public var id: String { nonce.hexString }

    public static func issue(
        for send: CanonicalSend, key: ConfirmationTokenKey, now: Date, lifetimeSeconds: Int,
        nonce: [UInt8]
    ) -> (token: String, expiresAt: Date) {
        precondition(nonce.count == 16, "a token nonce is 16 bytes")
        let expiry = UInt64(max(0, now.timeIntervalSince1970.rounded(.down))) + UInt64(lifetimeSeconds)
        let head = nonce + withUnsafeBytes(of: expiry.bigEndian, Array.init)
        let mac = Self.mac(head: head, send: send, key: key)
        let token = prefix + Base64URL.encode(head + mac)
        return (token, Date(timeIntervalSince1970: TimeInterval(expiry)))
    }

    /// Checks form, MAC and expiry. Whether it was spent is the store's to say.
    ///
    /// Every failure is the same `nil`: the caller answers "invalid or expired" whatever the cause.
    public static func verify(_ token: String, for send: CanonicalSend, key: ConfirmationTokenKey, now: Date)
        -> ConfirmationToken?
    {
        guard token.hasPrefix(prefix), token.utf8.count < 128,
            let raw = Base64URL.decode(String(token.dropFirst(prefix.count))), raw.count == 40
        else { return nil }
        let head = Array(raw[0..<24])
        let expected = Self.mac(head: head, send: send, key: key)
        guard SafeCompare.equal(expected, Array(raw[24..<40])) else { return nil }
        let expiry = head[16..<24].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard now < expiresAt else { return nil }
        return ConfirmationToken(nonce: Array(head[0..<16]), expiresAt: expiresAt)
    }

    static func mac(head: [UInt8], send: CanonicalSend, key: ConfirmationTokenKey) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(for: head + send.bytes, using: key.key)
        return Array(Array(code).prefix(16))
    }
}

/// Constant-time comparison, the one way secrets and MACs are compared.
public enum SafeCompare {
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// RFC 4648 §5 base64url without padding.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes the canonical spelling only: the URL-safe alphabet, no padding, zero spare bits,
    /// so one value has exactly one text form (a token cannot be respelt to dodge its spent-list).
    public static func decode(_ text: String) -> [UInt8]? {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard text.utf8.allSatisfy({ alphabet.contains($0) }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64.append("=") }
        guard let bytes = Data(base64Encoded: base64).map(Array.init), encode(bytes) == text else { return nil }
        return bytes
    }
}
