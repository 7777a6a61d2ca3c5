extension Detector {
    /// GitHub fine-grained personal access tokens: `github_pat_` + 22 base62 + `_` + 59 base62 (93 characters).
    ///
    /// GitHub lists the prefix (docs.github.com, "GitHub's token formats") but documents neither the layout
    /// nor a checksum; the 22 + 59 split is what every issued token shows and what gitleaks and secretlint
    /// match. The last six characters are not a CRC32 of any part of the token as they are for `ghp_`
    /// tokens (checked against published, revoked tokens), so nothing is verified beyond the shape. The
    /// prefix is unique to GitHub, so the shape is enough; bodies that are not random (`xxxx…`, sequences,
    /// one character class) are placeholders.
    public static let githubFineGrainedToken = Detector(
        id: "github-fine-grained-token",
        summary: "A GitHub fine-grained personal access token; it acts on the repositories it was granted.",
        category: .secret,
        family: .codeHosting,
        severity: .high,
        keywords: ["github_pat_"],
        validator: .atKeyword(GitHubFineGrainedTokenValidator.validate)
    )
}

enum GitHubFineGrainedTokenValidator {
    static let prefixLength = 11  // github_pat_
    static let length = 93

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let end = start + length
        let separator = start + prefixLength + 22
        // Issued in lower case; the token stands alone.
        guard text.hasPrefix("github_pat_", at: start), end <= text.count,
            !ScanBytes.isBase64URL(text[start - 1]), !ScanBytes.isBase64URL(text[end]), text[separator] == 0x5F,
            TokenShape.all(text, (start + prefixLength)..<separator, ScanBytes.isAlnum),
            TokenShape.all(text, (separator + 1)..<end, ScanBytes.isAlnum)
        else { return .noMatch }
        let body = (start + prefixLength)..<end
        guard ScanBytes.classCount(text.bytes, body) == 3, PlatformTokenShape.looksRandom(text, body, minimumDistinct: 20)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("github_pat_")))
    }
}
