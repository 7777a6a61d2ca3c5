extension Detector {
    /// GitLab tokens, by the prefixes GitLab documents ("Token prefixes", docs.gitlab.com/security/tokens):
    ///
    /// | Prefix | Token | Legacy body |
    /// |---|---|---|
    /// | `glpat-` | personal, project, group access and impersonation tokens | 20 of `[A-Za-z0-9_-]` |
    /// | `gldt-` | deploy token | 20 |
    /// | `glrt-`, `glrtr-` | runner authentication token | 20 |
    /// | `GR1348941` | runner registration token (deprecated) | 20 |
    /// | `gloas-` | OAuth application secret | 64 |
    /// | `glft-` | feed token | 20 |
    /// | `glimt-` | incoming email token | 25 |
    /// | `glptt-` | pipeline trigger token | 40 lower-case hex |
    /// | `glagent-` | agent for Kubernetes token | 50 |
    /// | `glsoat-` | SCIM token | 20 |
    /// | `glffct-` | feature flags client token | 20 |
    /// | `glcbt-` | CI/CD job token | 1–5 alphanumerics, `_`, 20 |
    ///
    /// Any of them may also be in the newer routable format (GitLab `Authn::TokenField::Generator::RoutableToken`):
    /// prefix + base64url payload (27–300) + `.` + its length in base 36 (2 characters) + the CRC32 of everything
    /// before it in base 36, zero-padded to 7. A versioned form puts `.` + 2 version characters before the
    /// length. The CRC is checked, so routable tokens are near-certain; legacy bodies have no checksum and must
    /// look random. Lower-case prefixes only, and no token character before the prefix.
    public static let gitlabToken = Detector(
        id: "gitlab-token",
        summary: "A GitLab access, deploy, runner, trigger or other token; it acts on the owner's projects.",
        category: .secret,
        family: .codeHosting,
        severity: .high,
        keywords: GitLabTokenValidator.kinds.map(\.keyword),
        validator: .atKeyword(GitLabTokenValidator.validate)
    )
}

enum GitLabTokenValidator {
    enum Body: Sendable {
        /// This many characters of `[A-Za-z0-9_-]`.
        case base64URL(Int)
        /// This many lower-case hex characters.
        case hex(Int)
        /// CI/CD job tokens: a partition of 1–5 alphanumerics, `_`, then this many of `[A-Za-z0-9_-]`.
        case partitioned(Int)
    }

    struct Kind: Sendable {
        /// The prefix as issued (case-sensitive).
        let prefix: String
        let legacy: Body
        var keyword: String { prefix.lowercased() }
    }

    static let kinds: [Kind] = [
        Kind(prefix: "glpat-", legacy: .base64URL(20)),
        Kind(prefix: "gldt-", legacy: .base64URL(20)),
        Kind(prefix: "glrt-", legacy: .base64URL(20)),
        Kind(prefix: "glrtr-", legacy: .base64URL(20)),
        Kind(prefix: "GR1348941", legacy: .base64URL(20)),
        Kind(prefix: "gloas-", legacy: .base64URL(64)),
        Kind(prefix: "glft-", legacy: .base64URL(20)),
        Kind(prefix: "glimt-", legacy: .base64URL(25)),
        Kind(prefix: "glptt-", legacy: .hex(40)),
        Kind(prefix: "glagent-", legacy: .base64URL(50)),
        Kind(prefix: "glsoat-", legacy: .base64URL(20)),
        Kind(prefix: "glffct-", legacy: .base64URL(20)),
        Kind(prefix: "glcbt-", legacy: .partitioned(20)),
    ]
    private static let prefixBytes: [[UInt8]] = kinds.map { Array($0.prefix.utf8) }

    /// Longest body read: a routable payload (300) plus a sub-prefix such as a runner's `t1_`.
    static let maximumRun = 320
    static let routablePayload = 27...300

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let prefix = prefixBytes[hit.keywordIndex]
        let bodyStart = hit.range.upperBound
        for (k, byte) in prefix.enumerated() where text[start + k] != byte { return .noMatch }
        guard !ScanBytes.isBase64URL(text[start - 1]) else { return .noMatch }
        guard let runEnd = PlatformTokenShape.runEnd(text, from: bodyStart, limit: maximumRun, ScanBytes.isBase64URL) else {
            // Later hits inside this run have a token character before them and fail the boundary anyway.
            return .noMatchBefore(bodyStart + maximumRun)
        }
        let mask = MaskStyle.prefixAndLength(kinds[hit.keywordIndex].prefix)
        if text[runEnd] == 0x2E, let end = routableEnd(text, tokenStart: start, bodyStart: bodyStart, dot: runEnd) {
            return .match(DetectorMatch(range: start..<end, mask: mask))
        }
        // A legacy token may end a sentence (`… glpat-….`), so a failed routable parse falls through.
        guard isLegacyBody(text, bodyStart..<runEnd, kinds[hit.keywordIndex].legacy) else { return .noMatch }
        return .match(DetectorMatch(range: start..<runEnd, mask: mask))
    }

    static func isLegacyBody(_ text: ScanText, _ body: Range<Int>, _ shape: Body) -> Bool {
        switch shape {
        case .base64URL(let length):
            return body.count == length && ScanBytes.classCount(text.bytes, body) >= 2
                && PlatformTokenShape.looksRandom(text, body, minimumDistinct: min(10, length / 2))
        case .hex(let length):
            return body.count == length && TokenShape.all(text, body, TokenShape.isLowerHex)
                && ScanBytes.classCount(text.bytes, body) == 2 && PlatformTokenShape.looksRandom(text, body, minimumDistinct: 8)
        case .partitioned(let length):
            var i = body.lowerBound
            while i < body.upperBound && ScanBytes.isAlnum(text[i]) && i - body.lowerBound < 5 { i += 1 }
            let random = (i + 1)..<body.upperBound
            return i > body.lowerBound && text[i] == 0x5F && random.count == length
                && ScanBytes.classCount(text.bytes, random) >= 2 && PlatformTokenShape.looksRandom(text, random, minimumDistinct: 10)
        }
    }

    /// The end of a routable token whose base64url run ends at `dot`, if its length field and CRC hold.
    ///
    /// Unversioned: `<payload>.<len:2><crc:7>`. Versioned: `<payload>.<ver:2>.<len:2><crc:7>`, where published
    /// descriptions differ on whether the CRC covers the version, so both readings are accepted.
    static func routableEnd(_ text: ScanText, tokenStart: Int, bodyStart: Int, dot: Int) -> Int? {
        var lengthStart = dot + 1
        var versioned = false
        if text[dot + 3] == 0x2E && PlatformTokenShape.isBase36(text[dot + 1]) && PlatformTokenShape.isBase36(text[dot + 2]) {
            lengthStart = dot + 4
            versioned = true
        }
        let crcStart = lengthStart + 2
        let end = crcStart + 7
        guard end <= text.count, TokenShape.all(text, lengthStart..<end, PlatformTokenShape.isBase36),
            !ScanBytes.isBase64URL(text[end]),
            let payloadLength = PlatformTokenShape.base36Value(text, lengthStart..<crcStart),
            routablePayload.contains(payloadLength),
            // The payload is the run's tail; anything before it is a sub-prefix such as a runner's `t1_`.
            dot - payloadLength >= bodyStart, dot - payloadLength - bodyStart <= 8
        else { return nil }
        let crcRange = crcStart..<end
        let bytes = text.bytes
        let whole = GitHubTokenValidator.crc32(bytes[tokenStart..<crcStart])
        if PlatformTokenShape.matchesLowercaseRadix(text, crcRange, value: whole, radix: 36) { return end }
        guard versioned else { return nil }
        // The CRC of `<prefix><payload>.<len>`, leaving out the version segment.
        let withoutVersion = GitHubTokenValidator.crc32(
            bytes[tokenStart..<(dot + 1)] + bytes[lengthStart..<crcStart]
        )
        return PlatformTokenShape.matchesLowercaseRadix(text, crcRange, value: withoutVersion, radix: 36) ? end : nil
    }
}
