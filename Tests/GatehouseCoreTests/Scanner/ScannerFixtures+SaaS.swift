/// Generators for AI and SaaS API keys. Every prefix is joined to random parts at run time, so the source
/// holds no credential-shaped literal for push-protection scanners to flag.
extension ScannerFixtures {
    static let letters = upper + lower
    static let upperAlnum = upper + digits

    /// `sk-ant-<kind>-` + 93 base64url + `AA`; `kind` is `api03` or `admin01`.
    mutating func anthropicKey(kind: String = "api03") -> String {
        "sk-" + "ant-" + kind + "-" + mixed(Self.base64URL, 93) + "AA"
    }

    /// `hf_` or `api_org_` + 34 letters with at least 8 of each case, as random bodies have.
    mutating func huggingFaceToken(prefix: String = "hf" + "_") -> String {
        while true {
            let body = string(Self.letters, 34)
            let upper = body.filter(\.isUppercase).count
            if upper >= 8 && upper <= 26 { return prefix + body }
        }
    }

    /// `sk_live_`, `rk_live_`, `sk_test_` or `rk_test_` + `length` alphanumerics (24 old, 99 current).
    mutating func stripeKey(kind: String = "sk", mode: String = "live", length: Int = 99) -> String {
        kind + "_" + mode + "_" + mixed(Self.base62, length)
    }

    /// A Slack ID: its type letter + 10 upper-case letters and digits.
    mutating func slackID(_ type: String) -> String { type + string(Self.upperAlnum, 10) }

    mutating func slackWebhookURL() -> String {
        "https://hooks" + ".slack.com/services/" + slackID("T") + "/" + slackID("B") + "/" + mixed(Self.base62, 24)
    }

    mutating func slackWorkflowURL() -> String {
        "https://hooks" + ".slack.com/workflows/" + slackID("T") + "/" + slackID("A") + "/"
            + "1" + string(Self.digits, 17) + "/" + mixed(Self.base62, 32)
    }

    /// `AC` or `SK` + 32 lower-case hex.
    mutating func twilioSID(_ prefix: String = "AC") -> String { prefix + mixed(Self.hex, 32) }

    mutating func twilioAuthToken() -> String { mixed(Self.hex, 32) }

    mutating func sendGridKey() -> String { "S" + "G." + mixed(Self.base64URL, 22) + "." + mixed(Self.base64URL, 43) }

    mutating func mailchimpKey(dataCentre: Int = 21) -> String { mixed(Self.hex, 32) + "-us\(dataCentre)" }

    /// `shpat_`, `shpca_`, `shppa_` or `shpss_` + 32 hex.
    mutating func shopifyToken(kind: String = "at") -> String { "shp" + kind + "_" + mixed(Self.hex, 32) }

    mutating func squareAccessToken() -> String { "EA" + "AA" + mixed(Self.base64URL, 60) }

    /// `sq0atp-` + 22 or `sq0csp-` + 43.
    mutating func squareLegacyToken(kind: String = "atp") -> String {
        "sq0" + kind + "-" + mixed(Self.base64URL, kind == "atp" ? 22 : 43)
    }

    /// A 10-digit bot ID, `:`, and a 35-character secret starting `AA`.
    mutating func telegramBotToken(idLength: Int = 10) -> String {
        "7" + string(Self.digits, idLength - 1) + ":" + "AA" + mixed(Self.base64URL, 33)
    }

    /// A snowflake: milliseconds since 2015 (within 10 years) above 22 random bits, in decimal.
    mutating func snowflake() -> String {
        let milliseconds = 100_000_000_000 + next() % 200_000_000_000
        return String(milliseconds << 22 | next() % (1 << 22))
    }

    /// `base64(snowflake).<6>.<38>` as Discord issues bot tokens.
    mutating func discordBotToken(id: String? = nil, hmacLength: Int = 38) -> String {
        Self.base64URL(id ?? snowflake()) + "." + mixed(Self.base64URL, 6) + "." + mixed(Self.base64URL, hmacLength)
    }
}
