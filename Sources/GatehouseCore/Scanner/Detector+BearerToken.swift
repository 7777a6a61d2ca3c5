extension Detector {
    /// `Bearer <token>` (RFC 6750 §2.1): an HTTP credential pasted from a curl line, header dump or log.
    ///
    /// The token must be 20+ characters of the RFC's `b64token` alphabet and mix at least two of upper case,
    /// lower case and digits, so prose ("bearer of bad news") and `Bearer YOUR_ACCESS_TOKEN_HERE` stay quiet.
    /// The finding covers the token only; the word `Bearer` stays readable.
    public static let bearerToken = Detector(
        id: "bearer-token",
        summary: "An HTTP bearer token; whoever presents it is treated as its owner.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: ["bearer"],
        isGeneric: true,
        validator: .atKeyword(BearerTokenValidator.validate)
    )
}

enum BearerTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard !ScanBytes.isAlnum(text[hit.range.lowerBound - 1]) else { return .noMatch }
        var start = hit.range.upperBound
        while (text[start] == 0x20 || text[start] == 0x09) && start - hit.range.upperBound < 8 { start += 1 }
        guard start > hit.range.upperBound else { return .noMatch }
        // A space ends the token, and the next hit needs `bearer` after a non-letter, so hits never
        // fall inside a token this loop reads: the scan stays linear without a cap.
        var end = start
        while isTokenByte(text[end]) { end += 1 }
        while text[end] == 0x3D { end += 1 }
        let token = start..<end
        guard token.count >= 20, ScanBytes.classCount(text.bytes, token) >= 2,
            !ValueHeuristics.isPlaceholder(text, token)
        else { return .noMatch }
        return .match(DetectorMatch(range: token, mask: .prefixAndLength("")))
    }

    /// RFC 6750 `b64token`: `ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/"`.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        ScanBytes.isAlnum(b) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E || b == 0x2B || b == 0x2F
    }
}
