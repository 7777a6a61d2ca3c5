import Testing

@testable import GatehouseCore

/// Invisible characters and compatibility forms do not hide a secret; what is found is hidden whole.
@Suite struct NormalizingScannerTests {
    let scanner = NormalizingScanner()
    let key = "AKIAZ3MSJV4WWFMJXHQM"

    @Test(arguments: ["\u{200B}", "\u{00AD}", "\u{2060}", "\u{202E}", "\u{FEFF}"])
    func anInvisibleCharacterInsideAKeyDoesNotHideIt(mark: String) {
        let text = "creds: " + String(key.prefix(8)) + mark + String(key.dropFirst(8)) + " ok"
        let findings = scanner.scan(text)
        #expect(findings.map(\.kind) == ["aws-access-key-id"])
        #expect(findings.first?.severity == .high)
        #expect(Redactor.redact(text, findings: findings) == "[REDACTED:aws-access-key-id]")
    }

    @Test func fullwidthLettersDoNotHideAKey() {
        let fullwidth = String(String.UnicodeScalarView(key.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        #expect(scanner.scan("key \(fullwidth)").map(\.kind) == ["aws-access-key-id"])
    }

    @Test func plainTextKeepsExactOffsetsAndCleanTextStaysQuiet() {
        let findings = scanner.scan("key \(key) end")
        #expect(findings.map(\.range) == [4..<24])
        #expect(scanner.scan("Café ☕️ at 10? \u{200B}").isEmpty)
    }
}
