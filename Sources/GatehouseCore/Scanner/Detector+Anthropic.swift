extension Detector {
    /// Anthropic API keys: `sk-ant-api03-` (API) and `sk-ant-admin01-` (Admin API) + 93 characters of
    /// `[A-Za-z0-9_-]` + `AA`, 95 after the prefix in all.
    ///
    /// The shape is the one gitleaks' `anthropic-api-key` and `anthropic-admin-api-key` rules and Anthropic's
    /// console issue; the fixed length and the `AA` ending are the only structure the body has, so both are
    /// required. Other versions (`api04`) are accepted with the same body, since the version is part of the
    /// public prefix. The OpenAI detector shares the `sk-` hit and refuses these (dashes in its legacy body).
    public static let anthropicAPIKey = Detector(
        id: "anthropic-api-key",
        summary: "An Anthropic API or Admin API key; it spends the owner's credit and manages their organisation.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["sk-ant-"],
        validator: .atKeyword(AnthropicKeyValidator.validate)
    )
}

enum AnthropicKeyValidator {
    static let bodyLength = 95

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        guard text.hasPrefix("sk-ant-", at: start), TokenShape.startsToken(text, at: start),
            let bodyStart = versionEnd(text, at: start + 7)
        else { return .noMatch }
        let end = bodyStart + bodyLength
        guard TokenShape.all(text, bodyStart..<end, ScanBytes.isBase64URL), TokenShape.endsToken(text, at: end),
            text[end - 2] == 0x41, text[end - 1] == 0x41,  // "AA"
            ScanBytes.classCount(text.bytes, bodyStart..<end) == 3,
            TokenShape.looksRandom(text, bodyStart..<(end - 2), minimumDistinct: 20)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<bodyStart))))
    }

    /// After `sk-ant-`: `api` or `admin` + two digits + `-`; returns where the body starts.
    static func versionEnd(_ text: ScanText, at offset: Int) -> Int? {
        let digits: Int
        if text.hasPrefix("api", at: offset) {
            digits = offset + 3
        } else if text.hasPrefix("admin", at: offset) {
            digits = offset + 5
        } else {
            return nil
        }
        guard ScanBytes.isDigit(text[digits]), ScanBytes.isDigit(text[digits + 1]), text[digits + 2] == 0x2D else {
            return nil
        }
        return digits + 3
    }
}
