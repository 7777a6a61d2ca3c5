import Foundation
import GatehouseCore
import Testing

@Suite("SecretScanner")
struct SecretScannerTests {
    let scanner = SecretScanner()

    /// Ordinary chat that must never trip the gate.
    static let benignMessages: [String] = [
        "Hey, are we still on for lunch tomorrow at 12:30?",
        "Ich komme um 18 Uhr, bis später! 😊",
        "¿Puedes enviarme el informe antes del viernes?",
        "Merci beaucoup pour ton aide, à demain.",
        "明天下午三点开会，请准时参加。",
        "Приходи в субботу, адрес: ул. Ленина 12, кв. 34.",
        "मैं कल सुबह 9 बजे पहुँचूँगा।",
        "مرحبا، كيف حالك؟ سأتصل بك الساعة 5",
        "Fixed in commit 3f9a2b7c1d4e5f60718293a4b5c6d7e8f9012345, please pull.",
        "Short sha a1b2c3d merged; see 9fceb02d0ae598e95dc970b74767f19372d61af8 too.",
        "Request id 123e4567-e89b-12d3-a456-426614174000 failed, UUID 550e8400-e29b-41d4-a716-446655440000.",
        "Your order #100234556 has shipped; tracking 1Z999AA10123456784.",
        "Order number 4000-1234-56 arrives Tuesday. Invoice INV-2024-000123 total €1,234.56.",
        "Call me at +44 7700 900123 or +1 (415) 555-0132, or 0049 151 23456789.",
        "German mobile +4915112345678, office 020 7946 0958.",
        "https://example.com/path?query=1&ref=abc#section",
        "See https://github.com/apple/swift-nio/pull/2841 and https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "The password policy requires at least 12 characters.",
        "I forgot my password again, can you reset it?",
        "Password reset link sent to your email.",
        "Top secret: Tomorrow's surprise party! Keep this a secret: surprise",
        "She's a skilled task-master; the risk-reward of a desk-job, ask-me-anything.",
        "Meeting at 2024-05-17 14:30 in room 4.12; pi is 3.14159265358979 roughly.",
        "The bearer of this letter is my friend.",
        "Bank transfer to DE89 3704 0044 0532 0130 00 done, or FR76 3000 6000 0112 3456 7890 189.",
        "Numbers: 1234 5678 9012 3456, timestamp 1700000000123, ISBN 978-3-16-148410-0.",
        "Build 1.2.3-beta+exp.sha.5114f85, version 10.15.7.",
        "xoxo, Anna",
        "AWS keys start with AKIA; GitHub tokens with ghp_; OpenAI keys with sk-.",
        "Temperature 21.5°C, humidity 45%, wind 12 km/h.",
        "Let's split the bill: 23.50 each, IBAN on request.",
        "export OPENAI_API_KEY=sk-... and GITHUB_TOKEN=ghp_xxx in your shell",
        "```swift\nlet password = try keychain.read(\"db\")\n```",
        "password = getpass(prompt=\"Password: \")",
    ]

    @Test func benignChatYieldsNoFindings() {
        for message in Self.benignMessages {
            #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        }
        #expect(scanner.scan(Self.benignMessages.joined(separator: "\n")) == [])
    }

    @Test func emptyTextYieldsNoFindings() {
        #expect(scanner.scan("") == [])
    }

    @Test func findingsCarryCategorySeverityAndMask() {
        var f = ScannerFixtures()
        let key = f.awsAccessKeyID()
        let card = f.card(prefix: "4", length: 16)
        let project = f.openAIProjectKey()
        let findings = scanner.scan("\(key) / \(card) / \(project)")
        #expect(findings.map(\.kind) == ["aws-access-key-id", "payment-card", "openai-api-key"])
        #expect(findings.map(\.category) == [.secret, .personal, .secret])
        #expect(findings.allSatisfy { $0.severity == .high })
        #expect(findings.map(\.masked) == ["AKIA…[20 chars]", "card …\(card.suffix(4))", "sk-proj-…[164 chars]"])
    }

    @Test func findingsAreSortedByStartAndRangesAreUTF8Offsets() throws {
        // Given: multi-byte text before and between secrets
        var f = ScannerFixtures()
        let token = f.githubToken()
        let key = f.awsAccessKeyID()
        let message = "Привет 😊 \(token) — 你好 \(key)"
        // When
        let findings = scanner.scan(message)
        // Then: byte offsets select exactly the secrets
        let bytes = Array(message.utf8)
        try #require(findings.count == 2)
        #expect(findings[0].range.lowerBound < findings[1].range.lowerBound)
        #expect(String(decoding: bytes[findings[0].range], as: UTF8.self) == token)
        #expect(String(decoding: bytes[findings[1].range], as: UTF8.self) == key)
    }

    @Test func specificDetectorNamesAnOverlapWithAGenericOne() throws {
        var f = ScannerFixtures()
        let token = f.githubToken()
        let jwt = f.jwt()
        // Same bytes: `generic-secret` and `github-token`; `bearer-token` and `jwt`.
        #expect(scanner.scan("password=\(token)").map(\.kind) == ["github-token"])
        #expect(scanner.scan("Authorization: Bearer \(jwt)").map(\.kind) == ["jwt"])

        // Partial overlap: the quoted value runs past the token. The union is reported, under the token's kind.
        let message = "password: \"\(token) and more\""
        let findings = scanner.scan(message)
        try #require(findings.count == 1)
        #expect(findings[0].kind == "github-token")
        #expect(findings[0].range == ScannerFixtures.byteRange(of: "\(token) and more", in: message))
        #expect(findings[0].masked == "ghp_…[49 chars]")
    }

    @Test func adjacentSecretsStaySeparate() {
        var f = ScannerFixtures()
        let cards = (0..<3).map { _ in
            ScannerFixtures.grouped(f.card(prefix: "4", length: 16), [4, 4, 4, 4], separator: " ")
        }
        let findings = scanner.scan(cards.joined(separator: " "))
        #expect(findings.map(\.kind) == ["payment-card", "payment-card", "payment-card"])
    }

    @Test func githubChecksumIsCRC32InBase62() {
        // The fixture's bitwise CRC32 against the standard check value, so generated tokens are right.
        #expect(ScannerFixtures.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(ScannerFixtures.githubChecksum("000000000000000000000000000000").count == 6)
        // Every one of 200 generated tokens validates; the same with any one checksum character changed does not.
        var f = ScannerFixtures(seed: 7)
        for _ in 0..<200 {
            let token = f.githubToken()
            #expect(scanner.scan(token).map(\.kind) == ["github-token"])
            var broken = Array(token)
            let i = 34 + Int(f.next() % 6)
            broken[i] = broken[i] == "0" ? "1" : "0"
            #expect(scanner.scan(String(broken)) == [], "\(String(broken))")
        }
    }

    @Test func resultDoesNotDependOnDetectorOrder() {
        var f = ScannerFixtures()
        let password = f.mixed(ScannerFixtures.base62, 12)
        let message = "pwd=\(password) \(f.githubToken()) Bearer \(f.jwt()) \(f.card(prefix: "37", length: 15))"
        let reversed = SecretScanner(detectors: Detector.builtin.reversed())
        #expect(scanner.scan(message) == reversed.scan(message))
        #expect(scanner.scan(message).count == 4)
    }

    @Test func detectorsCanBeDisabledByID() {
        var f = ScannerFixtures()
        let card = f.card(prefix: "4", length: 16)
        let withoutCards = SecretScanner(detectors: Detector.builtin.filter { $0.id != "payment-card" })
        #expect(withoutCards.scan("card \(card)") == [])
        #expect(scanner.scan("card \(card)").count == 1)
    }

    @Test func customDetectorsPlugIn() {
        // Given: a keyword detector for a made-up `acme_` + 8 digits token, and a sweep for "TOPSECRET"
        let acme = Detector(
            id: "acme-token",
            summary: "Test token.",
            category: .secret,
            family: .saas,
            severity: .medium,
            keywords: ["acme_"],
            validator: .atKeyword { text, hit in
                let end = hit.range.upperBound + 8
                guard end <= text.count,
                    (hit.range.upperBound..<end).allSatisfy({ text[$0] >= 0x30 && text[$0] <= 0x39 })
                else { return .noMatch }
                return .match(DetectorMatch(range: hit.range.lowerBound..<end, mask: .prefixAndLength("acme_")))
            }
        )
        let marker = Detector(
            id: "marker",
            summary: "Test sweep.",
            category: .personal,
            family: .nationalID,
            severity: .low,
            keywords: [],
            validator: .sweep { text in
                let needle = Array("TOPSECRET".utf8)
                guard text.count >= needle.count else { return [] }
                return (0...(text.count - needle.count)).filter {
                    text.bytes[$0..<($0 + needle.count)].elementsEqual(needle)
                }
                .map { DetectorMatch(range: $0..<($0 + needle.count), mask: .fixed("marker")) }
            }
        )
        let custom = SecretScanner(detectors: [acme, marker])
        // When / Then: keywords match case-insensitively; validators decide
        let findings = custom.scan("ACME_12345678 TOPSECRET acme_1234")
        #expect(findings.map(\.kind) == ["acme-token", "marker"])
        #expect(findings.map(\.masked) == ["acme_…[13 chars]", "marker"])
        #expect(findings.map(\.severity) == [.medium, .low])
    }

    @Test func severityIsOrdered() {
        #expect(FindingSeverity.low < .medium && FindingSeverity.medium < .high)
        #expect([FindingSeverity.medium, .high, .low].max() == .high)
    }

    @Test func findingRoundTripsThroughCodable() throws {
        let finding = Finding(kind: "jwt", category: .secret, severity: .high, range: 3..<10, masked: "eyJ…[7 chars]")
        let data = try JSONEncoder().encode(finding)
        #expect(try JSONDecoder().decode(Finding.self, from: data) == finding)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""severity":"high""#) && json.contains(#""category":"secret""#))
    }
}
