extension Detector {
    /// Mailchimp (Marketing API) keys: 32 lower-case hex digits + `-us` + the 1–2 digit data-centre number
    /// (`…-us21`).
    ///
    /// Format from Mailchimp's API docs (the suffix names the server, `us21.api.mailchimp.com`) and gitleaks'
    /// `mailchimp-api-key`. The keyword is the `-us` suffix; the validator reads back 32 bytes from it, so a
    /// hit costs a bounded window. The hex part must mix letters and digits and look random.
    public static let mailchimpAPIKey = Detector(
        id: "mailchimp-api-key",
        summary: "A Mailchimp API key; it reads the owner's audiences and sends campaigns in their name.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["-us"],
        validator: .atKeyword(MailchimpKeyValidator.validate)
    )
}

enum MailchimpKeyValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let suffix = hit.range.lowerBound
        let start = suffix - 32
        guard text.hasPrefix("-us", at: suffix), ScanBytes.isDigit(text[suffix + 3]), start >= 0 else {
            return .noMatch
        }
        let end = ScanBytes.isDigit(text[suffix + 4]) ? suffix + 5 : suffix + 4
        let key = start..<suffix
        guard TokenShape.endsToken(text, at: end), TokenShape.startsToken(text, at: start),
            TokenShape.all(text, key, TokenShape.isLowerHex), ScanBytes.classCount(text.bytes, key) == 2,
            TokenShape.looksRandom(text, key, minimumDistinct: 8)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }
}
