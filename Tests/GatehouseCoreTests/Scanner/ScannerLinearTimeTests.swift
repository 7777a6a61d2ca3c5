import GatehouseCore
import Testing

/// Hostile inputs that make naive or regex scanners quadratic or worse. These tests assert results, not
/// wall-clock time (that is measured in release builds); a quadratic regression shows up as a test that
/// does not finish.
@Suite("Scanner on hostile input")
struct ScannerLinearTimeTests {
    let scanner = SecretScanner()
    static let size = 2 * 1024 * 1024

    static func repeated(_ unit: String, toAtLeast bytes: Int = size) -> String {
        String(repeating: unit, count: bytes / unit.utf8.count + 1)
    }

    /// One unit per code path that overlapping candidates could make quadratic.
    @Test(arguments: [
        "-eyJ", "eyJ", "4", "4 ", "4-", "sk-", "-----BEGIN ", "-----BEGIN PRIVATE KEY-----\n",
        "A: -----BEGIN PRIVATE KEY-----\n", "AKIA", "ghp_", "xoxb-1234567890-", "Bearer ", "secret_access_key=",
        "pwd: ", "api_key=\"\"", "\\n",
    ])
    func hostileRepetitionFindsNothing(unit: String) {
        #expect(scanner.scan(Self.repeated(unit)) == [])
    }

    @Test func overlappingPlaceholderAssignmentsAreReadOnce() {
        // Each block holds 40 `pwd=` hits inside one placeholder value.
        let block = "pwd=<" + String(repeating: "pwd=<", count: 40) + "> "
        #expect(scanner.scan(Self.repeated(block)) == [])
    }

    @Test func unterminatedValueIsOneFinding() {
        // No whitespace anywhere: the first value runs to the end and swallows every later hit.
        let text = Self.repeated("password=")
        let findings = scanner.scan(text)
        #expect(findings.map(\.kind) == ["generic-secret"])
        #expect(findings.first?.range == 9..<text.utf8.count)
    }

    @Test func chainedJWTSegmentsAreOneFinding() {
        let findings = scanner.scan(Self.repeated(ScannerFixtures.base64URL(#"{"alg":"HS256"}"#) + "."))
        #expect(findings.map(\.kind) == ["jwt"])
    }

    @Test func denseCardsAreAllFound() {
        var f = ScannerFixtures()
        let unit = ScannerFixtures.grouped(f.card(prefix: "4", length: 16), [4, 4, 4, 4], separator: " ") + " "
        let text = Self.repeated(unit)
        #expect(scanner.scan(text).count == text.utf8.count / unit.utf8.count)
    }

    @Test func denseTokensAreAllFound() {
        var f = ScannerFixtures()
        var parts: [String] = []
        for i in 0..<20_000 {
            switch i % 4 {
            case 0: parts.append(f.githubToken())
            case 1: parts.append(f.awsAccessKeyID())
            case 2: parts.append(f.jwt())
            default: parts.append("pwd=" + f.mixed(ScannerFixtures.base62, 12))
            }
        }
        let findings = scanner.scan(parts.joined(separator: " "))
        #expect(findings.count == 20_000)
        #expect(Set(findings.map(\.kind)) == ["github-token", "aws-access-key-id", "jwt", "generic-secret"])
    }

    @Test func longPrivateKeyBodyIsOneFinding() {
        var f = ScannerFixtures()
        let block = f.pemBlock(label: "RSA PRIVATE KEY", bodyLength: Self.size)
        #expect(scanner.scan(block).map(\.kind) == ["pem-private-key"])
    }
}
