extension Detector {
    /// SendGrid API keys: `SG.` + 22 characters of `[A-Za-z0-9_-]` (the key ID) + `.` + 43 more (the secret),
    /// 69 characters in all.
    ///
    /// Format from SendGrid's API-key docs and gitleaks' `sendgrid-api-token`. The prefix is case-sensitive;
    /// `sg.` and `msg.` are other words.
    public static let sendGridAPIKey = Detector(
        id: "sendgrid-api-key",
        summary: "A SendGrid API key; it sends email as the owner's domains and reads their contact lists.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["sg."],
        validator: .atKeyword(SendGridKeyValidator.validate)
    )
}

enum SendGridKeyValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let id = (start + 3)..<(start + 25)
        let secret = (start + 26)..<(start + 69)
        guard text.hasPrefix("SG.", at: start), TokenShape.startsToken(text, at: start), text[start - 1] != 0x2E,
            TokenShape.all(text, id, ScanBytes.isBase64URL), text[id.upperBound] == 0x2E,
            TokenShape.all(text, secret, ScanBytes.isBase64URL), TokenShape.endsToken(text, at: secret.upperBound),
            text[secret.upperBound] != 0x2E || !ScanBytes.isBase64URL(text[secret.upperBound + 1]),
            ScanBytes.classCount(text.bytes, id) >= 2, ScanBytes.classCount(text.bytes, secret) >= 2,
            TokenShape.looksRandom(text, id, minimumDistinct: 10),
            TokenShape.looksRandom(text, secret, minimumDistinct: 16)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<secret.upperBound, mask: .prefixAndLength("SG.")))
    }
}
