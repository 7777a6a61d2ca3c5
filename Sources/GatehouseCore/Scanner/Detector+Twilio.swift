extension Detector {
    /// Twilio credentials, found only in Twilio context because none has a literal prefix of its own:
    ///
    /// - near the word `twilio` (up to 64 bytes before it, 160 after): an Account SID `AC` + 32 lower-case hex,
    ///   an API key SID `SK` + 32 lower-case hex, or a bare 32-hex auth token, the nearest one after the word
    ///   first. `AC…:<token>` and `SK…:<secret>` (curl's `-u`) are one finding covering both.
    /// - assigned to `auth_token` / `authToken` (Twilio's own variable names): a 32-hex auth token.
    /// - after curl's `-u ` / `--user `: the `AC…:<token>` or `SK…:<secret>` pair, which needs no context, and
    ///   is how Twilio's docs show every request (the `twilio` of the URL before it may already have been
    ///   spent on the Account SID in the path).
    ///
    /// Formats from Twilio's docs (twilio.com/docs/glossary/what-is-a-sid, "Auth tokens") and gitleaks'
    /// `twilio-api-key`. A lone `AC…` SID elsewhere is an identifier, not a credential, and 32 hex digits
    /// alone could be any hash: without context neither is reported. The hex must mix letters and digits.
    public static let twilioCredential = Detector(
        id: "twilio-credential",
        summary: "A Twilio auth token, API key or account SID beside one; it sends SMS and calls at the owner's cost.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["twilio", "auth_token", "authtoken", "-u ", "--user "],
        validator: .atKeyword(TwilioValidator.validate)
    )
}

enum TwilioValidator {
    static let search = NearbyTokenSearch(
        keyword: "twilio", behind: 64, reach: 160, maximumLength: 34, isTokenByte: ScanBytes.isAlnum,
        accept: credential
    )

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        if hit.keywordIndex == 0 { return search.search(text, hit) }
        if hit.keywordIndex >= 3 {
            // `-u AC…:token`: only the pair, so `git push -u origin` costs one comparison.
            let start = hit.range.upperBound
            let end = TokenShape.runEnd(text, from: start, limit: 34, ScanBytes.isAlnum)
            guard let pair = credential(text, start..<end), pair.upperBound > end else { return .noMatch }
            return .match(DetectorMatch(range: pair, mask: .prefixAndLength("")))
        }
        // `auth_token = …`: the value must be an auth token.
        guard let (start, _) = ValueHeuristics.assignmentValue(in: text, after: hit.range.upperBound) else {
            return .noMatch
        }
        let end = TokenShape.runEnd(text, from: start, limit: 32, ScanBytes.isAlnum)
        guard end - start == 32, isToken(text, start..<end) else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }

    /// The range to report for an alphanumeric run near `twilio`, if it is a Twilio credential.
    static func credential(_ text: ScanText, _ run: Range<Int>) -> Range<Int>? {
        // Part of an identifier or a dashed ID (`msg_…`, `…-1`), not a credential on its own.
        let before = text[run.lowerBound - 1]
        let after = text[run.upperBound]
        guard before != 0x5F && before != 0x2D && after != 0x5F && after != 0x2D else { return nil }
        if run.count == 32 { return isToken(text, run) ? run : nil }
        guard run.count == 34, isSID(text, run) else { return nil }
        // `AC…:token` / `SK…:secret`: the pair is one credential.
        if after == 0x3A {
            let secretStart = run.upperBound + 1
            let secretEnd = TokenShape.runEnd(text, from: secretStart, limit: 32, ScanBytes.isAlnum)
            let secret = secretStart..<secretEnd
            if secret.count == 32, ScanBytes.classCount(text.bytes, secret) >= 2,
                TokenShape.looksRandom(text, secret, minimumDistinct: 10)
            {
                return run.lowerBound..<secretEnd
            }
        }
        return run
    }

    /// `AC` or `SK` + 32 lower-case hex.
    static func isSID(_ text: ScanText, _ range: Range<Int>) -> Bool {
        range.count == 34 && (text.hasPrefix("AC", at: range.lowerBound) || text.hasPrefix("SK", at: range.lowerBound))
            && isToken(text, (range.lowerBound + 2)..<range.upperBound)
    }

    /// 32 lower-case hex digits, mixing letters and digits, that look random.
    static func isToken(_ text: ScanText, _ range: Range<Int>) -> Bool {
        range.count == 32 && TokenShape.all(text, range, TokenShape.isLowerHex)
            && ScanBytes.classCount(text.bytes, range) == 2 && TokenShape.looksRandom(text, range, minimumDistinct: 8)
    }
}
