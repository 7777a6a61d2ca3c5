@testable import GatehouseCore
import Testing

/// Checks specific to the AI and SaaS key detectors: checksums and decodings, boundaries, context windows.
@Suite("SaaS detectors")
struct SaaSDetectorTests {
    let scanner = SecretScanner()
    static let saasIDs: Set = [
        "anthropic-api-key", "discord-bot-token", "huggingface-token", "mailchimp-api-key", "openai-api-key",
        "sendgrid-api-key", "shopify-token", "slack-token", "slack-webhook-url", "square-token", "stripe-secret-key",
        "stripe-test-key", "telegram-bot-token", "twilio-credential",
    ]

    @Test func saasDetectorsAreSecretsOfTheSaaSFamily() {
        let saas = Detector.builtin.filter { $0.family == .saas }
        #expect(Set(saas.map(\.id)) == Self.saasIDs)
        for detector in saas {
            #expect(detector.category == .secret)
            #expect(detector.severity == (detector.id == "stripe-test-key" ? .medium : .high), "\(detector.id)")
        }
    }

    // MARK: Anthropic

    @Test func anthropicVersionIsApiOrAdminWithTwoDigits() {
        func end(_ s: String) -> Int? { AnthropicKeyValidator.versionEnd(ScanText(s), at: 0) }
        #expect(end("api03-") == 6)
        #expect(end("admin01-") == 8)
        #expect(end("api3-") == nil)
        #expect(end("oat01-") == nil)
        #expect(end("API03-") == nil)
    }

    @Test func openAIDetectorLeavesAnthropicKeysAlone() {
        var f = ScannerFixtures()
        let key = f.anthropicKey()
        #expect(scanner.scan("key: \(key)").map(\.kind) == ["anthropic-api-key"])
    }

    // MARK: Discord

    @Test func snowflakeDecodingAcceptsSeventeenToTwentyDigits() {
        for id in ["12345678901234567", "123456789012345678", "1234567890123456789", "1934567890123456789"] {
            let text = ScanText(ScannerFixtures.base64URL(id))
            #expect(DiscordTokenValidator.decodesToSnowflake(text, 0..<text.count), "\(id)")
        }
    }

    @Test func snowflakeDecodingRejectsOtherNumbersAndBytes() {
        // 16 digits, a leading zero, letters, a timestamp past 2055, beyond 64 bits.
        let rejected = [
            "1234567890123456", "01234567890123456789", "1234567890123456a", "9" + String(repeating: "9", count: 18),
            "99999999999999999999",
        ]
        for id in rejected {
            let text = ScanText(ScannerFixtures.base64URL(id))
            #expect(!DiscordTokenValidator.decodesToSnowflake(text, 0..<text.count), "\(id)")
        }
        // Non-canonical: the 2 bits left over after 17 digits are not zero.
        var encoded = Array(ScannerFixtures.base64URL("12345678901234567"))
        let alphabet = Array(ScannerFixtures.base64URL)
        encoded[encoded.count - 1] = alphabet[alphabet.firstIndex(of: encoded.last!)! + 1]
        let text = ScanText(String(encoded))
        #expect(!DiscordTokenValidator.decodesToSnowflake(text, 0..<text.count))
    }

    @Test func discordTokenIsFoundOnEitherSideOfTheKeyword() {
        var f = ScannerFixtures()
        let before = f.discordBotToken()
        let after = f.discordBotToken()
        let text = "\(before) is the old one; discord says use \(after)"
        let findings = scanner.scan(text)
        // The keyword finds the nearest token after it first; the one before needs its own keyword.
        #expect(findings.map(\.kind) == ["discord-bot-token"])
        #expect(findings.first?.range == ScannerFixtures.byteRange(of: after, in: text))
    }

    @Test func contextReachExtendsPastEveryRepeatedKeyword() {
        var f = ScannerFixtures()
        let token = f.discordBotToken()
        let filler = String(repeating: "discord ", count: 5_000)
        // Within reach of the last keyword: found, though far from the first.
        #expect(scanner.scan(filler + token).map(\.kind) == ["discord-bot-token"])
        // Beyond reach of every keyword: not found.
        #expect(scanner.scan(filler + String(repeating: "-", count: 400) + " " + token) == [])
    }

    // MARK: Twilio

    @Test func twilioEnvironmentFileYieldsEachCredential() {
        var f = ScannerFixtures()
        let sid = f.twilioSID()
        let token = f.twilioAuthToken()
        let text = "TWILIO_ACCOUNT_SID=\(sid)\nTWILIO_AUTH_TOKEN=\(token)\n"
        let findings = scanner.scan(text)
        #expect(findings.map(\.kind) == ["twilio-credential", "twilio-credential"])
        #expect(findings.map(\.range) == [sid, token].map { ScannerFixtures.byteRange(of: $0, in: text) })
    }

    @Test func twilioCurlExampleFindsThePathSIDAndTheLoginPair() throws {
        var f = ScannerFixtures()
        let sid = f.twilioSID()
        let pair = sid + ":" + f.twilioAuthToken()
        let text = "curl -X POST https://api.twilio.com/2010-04-01/Accounts/\(sid)/Messages.json -u \(pair)"
        let findings = scanner.scan(text)
        #expect(findings.map(\.kind) == ["twilio-credential", "twilio-credential"])
        // The pair after `-u`, not the SID's first occurrence in the URL path.
        let pairStart = try #require(ScannerFixtures.byteRange(of: "-u " + pair, in: text)).lowerBound + 3
        #expect(findings.last?.range == pairStart..<(pairStart + pair.utf8.count))
    }

    // MARK: Telegram

    @Test func telegramIDMustNotStartWithZeroOrTouchAWord() {
        var f = ScannerFixtures()
        let token = f.telegramBotToken()
        let zero = "0" + token.dropFirst()
        #expect(scanner.scan("token \(zero)") == [])
        #expect(scanner.scan("robot\(token)") == [])
        #expect(scanner.scan("/bot\(token)/sendMessage").map(\.kind) == ["telegram-bot-token"])
    }

    // MARK: Stripe

    @Test func stripeModesHaveTheirOwnSeverity() {
        var f = ScannerFixtures()
        let live = scanner.scan(f.stripeKey())
        let test = scanner.scan(f.stripeKey(mode: "test"))
        #expect(live.map(\.severity) == [.high])
        #expect(test.map(\.severity) == [.medium])
        #expect(test.first?.masked.hasPrefix("sk_test_…") == true)
    }

    // MARK: Shared shape checks

    @Test func looksRandomRejectsRunsAndPlaceholders() {
        func random(_ s: String) -> Bool {
            let text = ScanText(s)
            return TokenShape.looksRandom(text, 0..<text.count, minimumDistinct: 8)
        }
        var f = ScannerFixtures()
        #expect(random(f.mixed(ScannerFixtures.base62, 32)))
        #expect(!random("9f8e7d6c5b4a" + "abcdef" + "3c2b1a09f8e7d6"))  // ascending run
        #expect(!random("9f8e7d6c5b4a" + "FEDCBA" + "3c2b1a09f8e7d6"))  // descending, any case
        #expect(!random("9f8e7d6c5b4a" + "777777" + "3c2b1a09f8e7d6"))  // repeated
        #expect(!random("yourTokenGoesHere12345XYZ"))  // placeholder word
        #expect(!random("ab12ab12ab12ab12"))  // too few distinct
    }

    @Test func slackWebhookMaskKeepsOnlyThePublicPrefix() {
        var f = ScannerFixtures()
        let url = f.slackWebhookURL()
        let finding = scanner.scan(url).first
        #expect(finding?.masked == "https://hooks.slack.com/services/…[\(url.count) chars]")
    }
}
