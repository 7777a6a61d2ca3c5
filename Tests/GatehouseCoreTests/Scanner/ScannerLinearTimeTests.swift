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
        // AI and SaaS keys
        "sk-ant-api03-", "sk-ant-", "hf_", "api_org_", "sk_live_", "rk_test_", "https://hooks.slack.com/services/T",
        "hooks.slack.com/", "twilio ", "twilio", "AC0123456789abcdef", "auth_token=", "-u AC", "SG.", "-us1",
        "0123456789abcdef-us", "shpat_", "EAAA", "sq0csp-", "12345678:AA", ":AA", "discord ", "discord", "Bot ",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4.", "a1", "AbCd",
        // Cloud and code-hosting tokens.
        "AIza", "AccountKey=", "--account-key ", "sig=", "&sig=", "?sv=2022-11-02&sig=", "private_key_id",
        "\"private_key_id\": \"", "service_account\" ", "dop_v1_", "dapi", "dapi0", "github_pat_", "glpat-",
        "glpat-a.", "glrt-t1_", "GR1348941", "glcbt-", "npm_", "pypi-AgEIcHlwaS5vcmc", "a", "0",
        // Private keys, wallets and credentials in context.
        "age-secret-key-1", "AGE-SECRET-KEY-1", "otpauth://totp/x ", "otpauth://totp/?secret=A ", "2fa ",
        "TOTP ABCD ", "Basic ", "Basic QUFB", "://", "x://u:p@", "postgres://", "postgres://u:@", "redis://:",
        "Server=;Password=;", "host=x password=* ", "password is ", "the password for ", "pw: ", "la contraseña es ",
        "abandon ", "abandon ability able about above ", "ABANDON ", "1. abandon ",
        "-----BEGIN RSA PRIVATE KEY----- Proc-Type: ",
        // The identity-number sweep: IBAN heads, letter prefixes, grouped digits, context words.
        "DE89", "DE89 ", "de12 3", "AB12", "AB 12 ", "X1234567", "S1234567", "123-45-", "123 45 ", "123 456 ",
        "123.456.", "1234 ", "1 85 ", "131052-", "850101+", "SSN ", "SSN 1", "aadhaar 2", "bsn 12345678",
        "आधार ", "身份证",
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
