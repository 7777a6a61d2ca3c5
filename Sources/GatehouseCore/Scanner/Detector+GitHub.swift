extension Detector {
    /// GitHub classic tokens: `ghp_` (personal), `gho_` (OAuth), `ghu_` (user-to-server), `ghs_`
    /// (server-to-server), `ghr_` (refresh) + 30 random base62 characters + a 6-character checksum.
    ///
    /// The checksum is the CRC32 of the 30 random characters, in base62 (`0-9A-Za-z`), zero-padded to 6
    /// (github.blog/2021-04-05-behind-githubs-new-authentication-token-formats). Checking it makes a finding
    /// near-certain and rejects look-alikes such as `ghp_` + 36 made-up characters. Fine-grained
    /// `github_pat_` tokens are ``githubFineGrainedToken``'s.
    public static let githubToken = Detector(
        id: "github-token",
        summary: "A GitHub access token; it acts on the owner's repositories and account.",
        category: .secret,
        family: .codeHosting,
        severity: .high,
        keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        validator: .atKeyword(GitHubTokenValidator.validate)
    )
}

enum GitHubTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let end = start + 40
        // Prefixes are issued in lower case; `GHP_` is someone's shouting, not a token.
        guard text.hasPrefix("gh", at: start), ScanBytes.isLower(text[start + 2]), end <= text.count,
            !ScanBytes.isBase64URL(text[start - 1]), !ScanBytes.isBase64URL(text[end])
        else { return .noMatch }
        for i in (start + 4)..<end where !ScanBytes.isAlnum(text[i]) { return .noMatch }
        guard hasValidChecksum(text.bytes, random: (start + 4)..<(start + 34)) else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<(start + 4)))))
    }

    /// Whether the 6 bytes after `random` are the base62 CRC32 of `random`.
    static func hasValidChecksum(_ bytes: [UInt8], random: Range<Int>) -> Bool {
        var value = crc32(bytes[random])
        var i = random.upperBound + 5
        while i >= random.upperBound {
            guard bytes[i] == base62[Int(value % 62)] else { return false }
            value /= 62
            i -= 1
        }
        return value == 0
    }

    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// CRC-32 (IEEE 802.3), as zlib's `crc32`; the one implementation is the ZIP reader's.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 { CRC32.checksum(Array(bytes)) }
}
