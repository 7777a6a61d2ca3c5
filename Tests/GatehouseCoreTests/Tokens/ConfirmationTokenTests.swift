import Foundation
import Testing

@testable import GatehouseCore
import GatehouseTesting

@Suite struct ConfirmationTokenTests {
    private static let key = ConfirmationTokenKey(bytes: Array(repeating: 0x42, count: 32))
    private static let otherKey = ConfirmationTokenKey(bytes: Array(repeating: 0x43, count: 32))
    private static let alice = try! RecipientNormalizer.parse("+447700900123").get()
    private static let bob = try! RecipientNormalizer.parse("+447700900456").get()
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)
    private static let nonce: [UInt8] = Array(0..<16)
    private static let fileHash = String(repeating: "a", count: 64)

    private static func send(
        kind: CanonicalSend.Kind = .file, recipient: RecipientID = alice, text: String? = nil, caption: String? = "the report",
        file: String? = fileHash, policy: String = "policy-1"
    ) -> CanonicalSend {
        CanonicalSend(kind: kind, recipient: recipient, text: text, caption: caption, fileSHA256: file, policyHash: policy)
    }

    private static func issue(_ send: CanonicalSend = send(), lifetime: Int = 600, nonce: [UInt8] = nonce) -> String {
        ConfirmationToken.issue(for: send, key: key, now: now, lifetimeSeconds: lifetime, nonce: nonce).token
    }

    private func verify(_ token: String, _ send: CanonicalSend = send(), key: ConfirmationTokenKey = key, at time: Date = now)
        -> ConfirmationToken?
    {
        ConfirmationToken.verify(token, for: send, key: key, now: time)
    }

    @Test func issueThenVerifyRoundTrips() throws {
        // Given
        let issued = ConfirmationToken.issue(for: Self.send(), key: Self.key, now: Self.now, lifetimeSeconds: 600, nonce: Self.nonce)
        // When
        let token = try #require(verify(issued.token))
        // Then
        #expect(token.nonce == Self.nonce)
        #expect(token.expiresAt == issued.expiresAt)
        #expect(issued.expiresAt == Self.now.addingTimeInterval(600))
        #expect(token.id == "000102030405060708090a0b0c0d0e0f")
    }

    @Test func textTokenRoundTrips() {
        let text = Self.send(kind: .text, text: "hello", caption: nil, file: nil)
        #expect(verify(Self.issue(text), text) != nil)
    }

    @Test func tokenHasTheConstantPrefixAndIsURLSafe() {
        let token = Self.issue()
        #expect(ConfirmationToken.prefix == "ghc1_")
        #expect(token.hasPrefix("ghc1_"))
        let body = token.dropFirst(5)
        #expect(body.count == 54)  // 40 bytes, base64url, unpadded
        #expect(body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test func differentNoncesGiveDifferentTokens() {
        #expect(Self.issue(nonce: Array(repeating: 1, count: 16)) != Self.issue(nonce: Array(repeating: 2, count: 16)))
    }

    // MARK: Voided by any change

    @Test(arguments: [
        ("text", send(kind: .text, text: "hello", caption: nil, file: nil), send(kind: .text, text: "hellp", caption: nil, file: nil)),
        ("text absent vs empty", send(kind: .text, text: nil, caption: nil, file: nil), send(kind: .text, text: "", caption: nil, file: nil)),
        ("caption", send(), send(caption: "the report!")),
        ("caption absent vs empty", send(caption: nil), send(caption: "")),
        ("recipient", send(), send(recipient: bob)),
        ("file sha", send(), send(file: String(repeating: "b", count: 64))),
        ("file dropped", send(), send(file: nil)),
        ("policy hash", send(), send(policy: "policy-2")),
        ("kind", send(kind: .file, text: nil, caption: "x", file: nil), send(kind: .text, text: nil, caption: "x", file: nil)),
        ("text moved to caption", send(kind: .file, text: "x", caption: nil), send(kind: .file, text: nil, caption: "x")),
    ])
    func anyChangeVoidsTheToken(label: String, issuedFor: CanonicalSend, presentedFor: CanonicalSend) {
        let token = Self.issue(issuedFor)
        #expect(verify(token, issuedFor) != nil, "\(label): control")
        #expect(verify(token, presentedFor) == nil, "\(label)")
    }

    // MARK: Expiry

    @Test func expiresAfterItsLifetime() {
        let token = Self.issue(lifetime: 600)
        #expect(verify(token, at: Self.now.addingTimeInterval(599)) != nil)
        #expect(verify(token, at: Self.now.addingTimeInterval(599.999)) != nil)
        #expect(verify(token, at: Self.now.addingTimeInterval(600)) == nil)
        #expect(verify(token, at: Self.now.addingTimeInterval(86_400)) == nil)
    }

    @Test func lifetimeCountsFromTheWholeSecond() {
        // Issued at x.9 s: expiry is floor(now) + lifetime, never later than now + lifetime.
        let issued = ConfirmationToken.issue(
            for: Self.send(), key: Self.key, now: Self.now.addingTimeInterval(0.9), lifetimeSeconds: 10, nonce: Self.nonce)
        #expect(issued.expiresAt == Self.now.addingTimeInterval(10))
        #expect(verify(issued.token, at: Self.now.addingTimeInterval(10)) == nil)
    }

    // MARK: Forged, garbled, truncated

    @Test func otherKeyIsRefused() {
        #expect(verify(Self.issue(), key: Self.otherKey) == nil)
    }

    @Test func forgedTokensAreRefused() {
        var generator = SeededTokenGenerator(seed: 99)
        for _ in 0..<500 {
            let bytes = (0..<40).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(verify("ghc1_" + Base64URL.encode(bytes)) == nil)
        }
        // Same nonce and expiry, MAC all zeros
        let raw = Base64URL.decode(String(Self.issue().dropFirst(5)))!
        #expect(verify("ghc1_" + Base64URL.encode(Array(raw[0..<24]) + Array(repeating: 0, count: 16))) == nil)
    }

    @Test func extendedExpiryIsRefused() {
        // Given a real token whose expiry bytes were pushed a day later
        var raw = Base64URL.decode(String(Self.issue().dropFirst(5)))!
        var expiry = raw[16..<24].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        expiry += 86_400
        raw.replaceSubrange(16..<24, with: withUnsafeBytes(of: expiry.bigEndian, Array.init))
        #expect(verify("ghc1_" + Base64URL.encode(raw)) == nil)
    }

    @Test func everyCharacterChangeIsRefused() {
        let token = Self.issue()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var characters = Array(token)
        // The last character carries only 2 data bits; its 4 spare bits are covered separately below.
        for index in 5..<(characters.count - 1) {
            let original = characters[index]
            let replacement = alphabet[(alphabet.firstIndex(of: original)! + 17) % alphabet.count]
            characters[index] = replacement
            #expect(verify(String(characters)) == nil, "position \(index)")
            characters[index] = original
        }
        #expect(verify(String(characters)) != nil)
    }

    @Test(arguments: [
        "", "ghc1_", "ghc1", "ghc1_=", "ghc1_!!!!", "GHC1_", "ghc2_AAAA",
        "ghc1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ghc1_" + String(repeating: "A", count: 200),
        "ghc1_é", "ghc1_\u{0}",
    ])
    func garbageIsRefused(token: String) {
        #expect(verify(token) == nil)
    }

    @Test func truncatedOrExtendedTokensAreRefused() {
        let token = Self.issue()
        for cut in 1..<(token.count - 5) {
            #expect(verify(String(token.dropLast(cut))) == nil, "dropped \(cut)")
        }
        #expect(verify(token + "A") == nil)
        #expect(verify(token + "AAAA") == nil)
        #expect(verify(token + "=") == nil)
        #expect(verify(" " + token) == nil)
        #expect(verify(String(token.dropFirst(5))) == nil)  // prefix missing
        #expect(verify("ghc2_" + token.dropFirst(5)) == nil)
    }

    /// Other spellings of the same 40 bytes: the standard alphabet, and the 4 spare bits of the last character.
    private static func respellings(of token: String) -> [String] {
        let body = String(token.dropFirst(5))
        var out: [String] = []
        let standard = body.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if standard != body { out.append("ghc1_" + standard) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = alphabet.firstIndex(of: body.last!)!
        for spare in 1..<16 { out.append("ghc1_" + body.dropLast() + String(alphabet[(last & ~15) | ((last + spare) & 15)])) }
        return out
    }

    @Test func respelledTokensNeverNameAnotherNonce() {
        // Whatever spelling verifies must carry the issued nonce, so the store's spend-once still holds.
        let token = Self.issue(nonce: Array(repeating: 0xFB, count: 16))
        for respelled in Self.respellings(of: token) {
            if let verified = verify(respelled) {
                #expect(verified.id == String(repeating: "fb", count: 16))
            }
        }
    }

    @Test func onlyTheIssuedSpellingVerifies() {
        let token = Self.issue(nonce: Array(repeating: 0xFB, count: 16))
        let accepted = Self.respellings(of: token).filter { verify($0) != nil }
        #expect(Self.respellings(of: token).count > 10)
        #expect(accepted.isEmpty, "\(accepted)")
    }

    @Test func keyNeverPrints() {
        #expect("\(Self.key)" == "ConfirmationTokenKey(redacted)")
        #expect(!String(reflecting: Self.key).contains("42"))
    }

    // MARK: Helpers

    @Test func base64URLRoundTripsEveryLength() {
        var generator = SeededTokenGenerator(seed: 3)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test func safeCompare() {
        #expect(SafeCompare.equal([1, 2, 3], [1, 2, 3]))
        #expect(!SafeCompare.equal([1, 2, 3], [1, 2, 4]))
        #expect(!SafeCompare.equal([1, 2, 3], [1, 2]))
        #expect(SafeCompare.equal([], []))
    }
}

private typealias SeededTokenGenerator = SeededGenerator
