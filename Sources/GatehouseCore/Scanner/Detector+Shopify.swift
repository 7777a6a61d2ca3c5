extension Detector {
    /// Shopify tokens: `shpat_` (Admin API access token), `shpca_` (custom app), `shppa_` (private app) and
    /// `shpss_` (shared secret) + 32 hex digits.
    ///
    /// Format from Shopify's token-prefix announcement (shopify.dev, "access token prefixes") and gitleaks'
    /// `shopify-*` rules. The hex must mix letters and digits and look random.
    public static let shopifyToken = Detector(
        id: "shopify-token",
        summary: "A Shopify access token or app secret; it reads and changes the store's orders and customers.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["shpat_", "shpca_", "shppa_", "shpss_"],
        validator: .atKeyword(ShopifyTokenValidator.validate)
    )
}

enum ShopifyTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let body = hit.range.upperBound..<(hit.range.upperBound + 32)
        guard TokenShape.isLowerCase(text, hit.range), TokenShape.startsToken(text, at: start),
            TokenShape.all(text, body, TokenShape.isHex), TokenShape.endsToken(text, at: body.upperBound),
            hasLettersAndDigits(text, body), TokenShape.looksRandom(text, body, minimumDistinct: 8)
        else { return .noMatch }
        return .match(
            DetectorMatch(range: start..<body.upperBound, mask: .prefixAndLength(text.string(hit.range)))
        )
    }

    private static func hasLettersAndDigits(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var letters = false
        var digits = false
        for i in range {
            if ScanBytes.isDigit(text[i]) { digits = true } else { letters = true }
        }
        return letters && digits
    }
}
