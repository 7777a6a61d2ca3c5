import GatehouseCore
import Testing

@Suite("Redactor")
struct RedactorTests {
    let scanner = SecretScanner()

    @Test func replacesEachFindingWithItsKind() {
        // Given: a message with an access key ID, a card and an assigned password
        var f = ScannerFixtures()
        let key = f.awsAccessKeyID()
        let card = ScannerFixtures.grouped(f.card(prefix: "51", length: 16), [4, 4, 4, 4], separator: "-")
        let password = f.mixed(ScannerFixtures.base62, 16)
        let message = "key \(key), card \(card), DB_PASSWORD=\(password) ok"
        // When
        let redacted = Redactor.redact(message, findings: scanner.scan(message))
        // Then: the names around each value survive, the values do not
        let expected =
            "key [REDACTED:aws-access-key-id], card [REDACTED:payment-card], DB_PASSWORD=[REDACTED:generic-secret] ok"
        #expect(redacted == expected)
        #expect(!redacted.contains(key) && !redacted.contains(password))
    }

    @Test func redactsWholePrivateKeyBlocks() {
        var f = ScannerFixtures()
        let block = f.pemBlock(label: "OPENSSH PRIVATE KEY", bodyLength: 300)
        let message = "my key:\n\(block)\nplease keep it safe"
        #expect(
            Redactor.redact(message, findings: scanner.scan(message))
                == "my key:\n[REDACTED:pem-private-key]\nplease keep it safe"
        )
    }

    @Test func redactedTextScansClean() {
        var f = ScannerFixtures()
        let password = f.mixed(ScannerFixtures.base62, 12)
        let bearer = f.mixed(ScannerFixtures.base62, 30)
        let message = "password=\(password) \(f.githubToken()) Bearer \(bearer) \(f.jwt())"
        let redacted = Redactor.redact(message, findings: scanner.scan(message))
        #expect(scanner.scan(redacted) == [], "\(redacted)")
    }

    @Test func keepsMultiByteTextAroundRanges() {
        var f = ScannerFixtures()
        let token = f.githubToken()
        let message = "😊 токен \(token) 你好"
        let redacted = Redactor.redact(message, findings: scanner.scan(message))
        #expect(redacted == "😊 токен [REDACTED:github-token] 你好")
    }

    @Test func withoutFindingsReturnsTheText() {
        #expect(Redactor.redact("nothing here", findings: []) == "nothing here")
    }

    @Test func toleratesUnsortedOverlappingAndOutOfRangeFindings() {
        func finding(_ kind: String, _ range: Range<Int>) -> Finding {
            Finding(kind: kind, category: .secret, severity: .high, range: range, masked: "…")
        }
        let text = "0123456789abcdef"
        let findings = [
            finding("c", 12..<40),  // clamped to the end
            finding("a", 2..<5),
            finding("b", 4..<7),  // overlaps a: replaced once, as the union, under a's kind
            finding("e", 9..<9),  // empty: ignored
            finding("d", -3..<1),  // clamped to the start
        ]
        #expect(Redactor.redact(text, findings: findings) == "[REDACTED:d]1[REDACTED:a]789ab[REDACTED:c]")
    }
}
