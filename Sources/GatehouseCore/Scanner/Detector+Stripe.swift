extension Detector {
    /// Stripe live-mode secret keys (`sk_live_`) and restricted keys (`rk_live_`) + 24–247 alphanumerics
    /// (24 for older keys, 99 for current ones).
    ///
    /// Format from Stripe's API-key docs (docs.stripe.com/keys) and gitleaks' `stripe-access-token`.
    /// Publishable keys (`pk_live_`, `pk_test_`) are meant for browsers and are never flagged.
    public static let stripeSecretKey = Detector(
        id: "stripe-secret-key",
        summary: "A Stripe live secret or restricted key; it moves real money and reads customers' payment data.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["sk_live_", "rk_live_"],
        validator: .atKeyword(StripeKeyValidator.validate)
    )

    /// Stripe test-mode secret and restricted keys (`sk_test_`, `rk_test_`), shaped as live ones.
    ///
    /// Still secrets (they read and write the account's test data and settings), but no money moves, so
    /// severity medium.
    public static let stripeTestKey = Detector(
        id: "stripe-test-key",
        summary: "A Stripe test-mode secret or restricted key; it controls the account's test data and settings.",
        category: .secret,
        family: .saas,
        severity: .medium,
        keywords: ["sk_test_", "rk_test_"],
        validator: .atKeyword(StripeKeyValidator.validate)
    )
}

enum StripeKeyValidator {
    static let bodyLengths = 24...247

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyStart = hit.range.upperBound
        // Prefixes are issued in lower case: `SK_LIVE_` is an environment variable name, not a key.
        guard TokenShape.isLowerCase(text, hit.range), TokenShape.startsToken(text, at: start)
        else { return .noMatch }
        let end = TokenShape.runEnd(text, from: bodyStart, limit: bodyLengths.upperBound, ScanBytes.isAlnum)
        guard bodyLengths.contains(end - bodyStart), TokenShape.endsToken(text, at: end),
            ScanBytes.classCount(text.bytes, bodyStart..<end) >= 2,
            TokenShape.looksRandom(text, bodyStart..<end, minimumDistinct: 10)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<bodyStart))))
    }
}
