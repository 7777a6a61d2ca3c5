extension Detector {
    /// Passwords in URLs: `scheme://user:password@host` (RFC 3986 userinfo) for any scheme, including an
    /// empty user (`redis://:password@host`, `https://:token@host`).
    ///
    /// `user@host` alone carries no secret and is not a finding. Documentation stand-ins are refused:
    /// `user:password@`, `user:pass@`, `<pass>`, `***`, `${DB_PASS}`, `$PASSWORD`, `:xxxx@`, and a password
    /// equal to the user name (`guest:guest`, the public default of many images). The finding covers the
    /// password only, so the redacted URL still names its host. Database schemes are reported by the more
    /// specific `database-url`, which wins the overlap.
    public static let urlCredentials = Detector(
        id: "url-credentials",
        summary: "A URL with an embedded password; anyone who sees the URL can log in as that user.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: ["://"],
        isGeneric: true,
        validator: .atKeyword(URLCredentialsValidator.validate)
    )
}

enum URLCredentialsValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard hasScheme(text, before: hit.range.lowerBound) else { return .noMatch }
        return verdict(text, authorityStart: hit.range.upperBound)
    }

    /// The verdict for the authority starting at `authorityStart`, shared with `database-url`.
    static func verdict(_ text: ScanText, authorityStart: Int) -> DetectorVerdict {
        switch password(text, authorityStart: authorityStart) {
        case .some(.some(let range)): .match(DetectorMatch(range: range, mask: .prefixAndLength("")))
        case .some(.none): .noMatchBefore(authorityStart)
        case .none: .noMatch
        }
    }

    /// A URL scheme ends at `end`: a letter, then letters, digits, `+`, `-`, `.` (at most 32), not inside a word.
    static func hasScheme(_ text: ScanText, before end: Int) -> Bool {
        var i = end - 1
        while i >= 0 && end - i <= 32 {
            let c = text[i]
            guard ScanBytes.isAlnum(c) || c == 0x2B || c == 0x2D || c == 0x2E else { break }
            i -= 1
        }
        return i < end - 1 && ScanBytes.isLetter(text[i + 1])
    }

    static let maximumUserinfo = 256

    /// The password of the userinfo starting at `start`: nil when there is no `user:password@` there,
    /// `.some(nil)` when there is one but its password is a stand-in.
    static func password(_ text: ScanText, authorityStart start: Int) -> Range<Int>?? {
        // The userinfo ends at the last `@` before the host's end; unescaped `@` in passwords happen in chat.
        var i = start
        var at = -1
        var colon = -1
        while i - start <= maximumUserinfo {
            let c = text[i]
            if c <= 0x20 || c == 0x2F || c == 0x3F || c == 0x23 || c == 0x22 || c == 0x27 || c == 0x60 || c == 0x3C
                || c == 0x3E || c == 0x5C
            {
                break
            }
            if c == 0x40 { at = i }
            if c == 0x3A && colon < 0 { colon = i }
            i += 1
        }
        guard at > 0, colon >= 0, colon < at else { return nil }
        // A host after the `@`.
        let host = text[at + 1]
        guard ScanBytes.isAlnum(host) || host == 0x5B else { return nil }
        let user = start..<colon
        let password = (colon + 1)..<at
        guard isRealPassword(text, password, user: user) else { return .some(nil) }
        return .some(password)
    }

    /// Not empty, not a stand-in, not the user name repeated.
    static func isRealPassword(_ text: ScanText, _ password: Range<Int>, user: Range<Int>) -> Bool {
        guard password.count >= 4, !ValueHeuristics.isPlaceholder(text, password) else { return false }
        if text.lowered[password].elementsEqual(text.lowered[user]) { return false }
        for word in standIns where text.lowered[password].elementsEqual(word) { return false }
        // `%s`, `{pass}` and `:pass@` style templates.
        if text[password.lowerBound] == 0x25 || text[password.lowerBound] == 0x3A { return false }
        return true
    }

    private static let standIns: [[UInt8]] = [
        "pass", "password", "passwd", "passw0rd", "pwd", "secret", "mypassword", "mypass", "userpass", "user_password",
        "db_password", "dbpass", "pass123", "secretpassword", "token", "apikey", "api_key", "username", "user",
    ].map { Array($0.utf8) }
}
