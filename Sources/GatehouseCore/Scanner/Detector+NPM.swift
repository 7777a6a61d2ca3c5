extension Detector {
    /// npm access tokens (granular and legacy, read-only, publish and automation): `npm_` + 30 random base62
    /// characters + a 6-character checksum, 40 in all.
    ///
    /// npm adopted GitHub's token format in 2021: the checksum is the CRC32 of the 30 random characters in
    /// base62, zero-padded, exactly as for `ghp_` tokens (see ``githubToken``), so a made-up `npm_…` fails it.
    /// Pre-2021 tokens were bare UUIDs and cannot be told from any other UUID; they are not covered.
    public static let npmToken = Detector(
        id: "npm-token",
        summary: "An npm access token; it can publish packages as its owner, a supply-chain risk.",
        category: .secret,
        family: .codeHosting,
        severity: .high,
        keywords: ["npm_"],
        validator: .atKeyword(NPMTokenValidator.validate)
    )
}

enum NPMTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let end = start + 40
        // `npm_config_…` and `npm_package_version` are environment names, stopped by the alphabet or length.
        guard text.hasPrefix("npm_", at: start), end <= text.count, !ScanBytes.isBase64URL(text[start - 1]),
            !ScanBytes.isBase64URL(text[end]), TokenShape.all(text, (start + 4)..<end, ScanBytes.isAlnum),
            GitHubTokenValidator.hasValidChecksum(text.bytes, random: (start + 4)..<(start + 34))
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("npm_")))
    }
}
