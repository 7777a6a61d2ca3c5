extension Detector {
    /// Square credentials: access tokens `EAAA` + 60 characters of `[A-Za-z0-9_-]`, legacy access tokens
    /// `sq0atp-` + 22, and OAuth application secrets `sq0csp-` + 43.
    ///
    /// Formats from Square's developer docs (developer.squareup.com, "Access tokens") and gitleaks'
    /// `square-access-token` / `square-secret`. `EAAA` is case-sensitive and the length exact, which keeps
    /// Facebook's longer `EAA…` tokens and words like `yEAAAh` apart.
    public static let squareToken = Detector(
        id: "square-token",
        summary: "A Square access token or application secret; it takes payments and reads the seller's data.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["eaaa", "sq0atp-", "sq0csp-"],
        validator: .atKeyword(SquareTokenValidator.validate)
    )
}

enum SquareTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyLength: Int
        switch hit.keywordIndex {
        case 0:
            guard text.hasPrefix("EAAA", at: start) else { return .noMatch }
            bodyLength = 60
        case 1: bodyLength = 22
        default: bodyLength = 43
        }
        let body = hit.range.upperBound..<(hit.range.upperBound + bodyLength)
        guard TokenShape.startsToken(text, at: start), hit.keywordIndex == 0 || TokenShape.isLowerCase(text, hit.range),
            TokenShape.all(text, body, ScanBytes.isBase64URL), TokenShape.endsToken(text, at: body.upperBound),
            ScanBytes.classCount(text.bytes, body) >= (bodyLength >= 43 ? 3 : 2),
            TokenShape.looksRandom(text, body, minimumDistinct: 10)
        else { return .noMatch }
        return .match(
            DetectorMatch(range: start..<body.upperBound, mask: .prefixAndLength(text.string(hit.range)))
        )
    }
}
