extension Detector {
    /// Google API keys (Maps, Firebase, YouTube, Gemini and other Google Cloud APIs): `AIza` + 35 characters
    /// of `[A-Za-z0-9_-]`, 39 in all.
    ///
    /// Format from Google Cloud's "Manage API keys" docs and gitleaks' `gcp-api-key`. There is no checksum;
    /// the key must stand alone (no token character on either side, which keeps `AIza` inside base64 blobs
    /// quiet) and its body must look random, which rejects `AIzaSy…XXXX` and `AIza<your key>` placeholders.
    /// Firebase web keys are public by design but still open quota and billing, so they count.
    public static let googleAPIKey = Detector(
        id: "google-api-key",
        summary: "A Google API key; it spends the owner's quota and billing on Google Cloud APIs.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["aiza"],
        validator: .atKeyword(GoogleAPIKeyValidator.validate)
    )
}

enum GoogleAPIKeyValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let end = start + 39
        // `Aizawa` and other words fail on case, length or boundary.
        guard text.hasPrefix("AIza", at: start), end <= text.count, !ScanBytes.isBase64URL(text[start - 1]),
            !ScanBytes.isBase64URL(text[end]), TokenShape.all(text, (start + 4)..<end, ScanBytes.isBase64URL)
        else { return .noMatch }
        let body = (start + 4)..<end
        guard ScanBytes.classCount(text.bytes, body) >= 2, PlatformTokenShape.looksRandom(text, body, minimumDistinct: 15)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("AIza")))
    }
}
