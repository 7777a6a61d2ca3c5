extension Detector {
    /// DigitalOcean tokens: `dop_v1_` (personal access), `doo_v1_` (OAuth access), `dor_v1_` (OAuth refresh)
    /// + 64 lower-case hex characters.
    ///
    /// Prefixes from DigitalOcean's 2021 token-format change (docs.digitalocean.com, "API tokens"; GitHub secret
    /// scanning partner list). No checksum is published, so the body must look random: 64 hex characters
    /// with many distinct values, not a sequence (`0123…`) or a placeholder.
    public static let digitalOceanToken = Detector(
        id: "digitalocean-token",
        summary: "A DigitalOcean API token; it controls the owner's droplets, databases and storage.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["dop_v1_", "doo_v1_", "dor_v1_"],
        validator: .atKeyword(DigitalOceanTokenValidator.validate)
    )
}

enum DigitalOceanTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyStart = start + 7
        let end = bodyStart + 64
        guard text.hasPrefix("do", at: start), text.hasPrefix("_v1_", at: start + 3), ScanBytes.isLower(text[start + 2]),
            end <= text.count, !ScanBytes.isBase64URL(text[start - 1]), !ScanBytes.isBase64URL(text[end]),
            TokenShape.all(text, bodyStart..<end, TokenShape.isLowerHex),
            PlatformTokenShape.looksRandom(text, bodyStart..<end, minimumDistinct: 10)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<bodyStart))))
    }
}
