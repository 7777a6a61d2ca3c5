extension Detector {
    /// Secrets assigned to a telling name: `password`, `passwd`, `pwd`, `secret`, `api_key`, `apikey`,
    /// `api-key`, `api key` (as people type it in chat), `access_token`, `private_key`, `client_secret`, in
    /// any case, as the last word of the key (`DB_PASSWORD=…`, `"client_secret": "…"`, `x-api-key: …`,
    /// `My API key: …`), then `=`, `:`, `:=` or `=>`.
    ///
    /// The finding covers the value only, so the redacted text still says what was removed. A value counts
    /// if, after trailing sentence punctuation is dropped, it is 8+ characters and none of:
    /// - a placeholder (``ValueHeuristics/isPlaceholder(_:_:)``): `<your key>`, `xxxxxxxx`, `********`,
    ///   `${DB_PASSWORD}`, `$DB_PASSWORD`, `%DB_PASSWORD%`, `changeme`, anything containing `your` or `example`,
    ///   the words `insert`, `replace`, `todo`, `tbd`, `fixme` (`INSERT_API_KEY_HERE`, `REPLACE_ME`), a last word
    ///   `here`, a value wrapped in `[…]` or `{…}` even before a comma, or elided (`sk-ant-api03-...`, `pypi-AgEI…`);
    /// - code reading it from elsewhere: `getpass()`, `os.environ["PW"]`, `self.password`, `std::env::var("K")`,
    ///   `$this->password`, `$db_password`;
    /// - the name of a variable holding it (``ValueHeuristics/isVariableName(_:_:)``): `db_password`,
    ///   `hashedPassword`, `:'db_password'` (psql), `DB_PASSWORD`;
    /// - a path: `/run/secrets/db`;
    /// - one word of prose: `Secret: Tomorrow's`. Single-case dictionary-word passwords are missed for this.
    ///
    /// Unquoted values end at whitespace, or at a `;` or `&` that starts another `key=` field (connection
    /// strings, query strings); quoted ones at their closing quote. A value longer than 256 bytes
    /// is reported without those checks, to the end of the string or line: long values are not placeholders.
    public static let genericSecret = Detector(
        id: "generic-secret",
        summary: "A password, API key or other secret assigned to a telling name in config, code or chat.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: [
            "password", "passwd", "pwd", "secret", "api_key", "apikey", "api-key", "api key", "access_token",
            "private_key", "client_secret",
        ],
        isGeneric: true,
        validator: .atKeyword(GenericSecretValidator.validate)
    )
}

enum GenericSecretValidator {
    static let minimumLength = 8
    /// Beyond this a value is reported unchecked; it also bounds the work a rejected value costs.
    static let checkedLength = 256

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        // The keyword must end the key: `password_hash`, `passwords`, `secretary`, `password.txt` are other words.
        let after = text.lower(hit.range.upperBound)
        guard !(ScanBytes.isAlnum(after) || after == 0x5F || after == 0x2D || after == 0x2E),
            let (start, quote) = ValueHeuristics.assignmentValue(in: text, after: hit.range.upperBound)
        else { return .noMatch }

        var end = start
        var long = false
        var quoted = false
        if let quote {
            // Closing quote on the same line; past the checked length, report to the quote or the line's end.
            while end < text.count && text[end] != quote && text[end] != 0x0A && end - start <= checkedLength {
                end += 1
            }
            if text[end] == quote && end < text.count {
                quoted = true
            } else if end - start > checkedLength {
                long = true
                while end < text.count && text[end] != quote && text[end] != 0x0A { end += 1 }
            } else {
                end = start  // unterminated: read it as unquoted
            }
        }
        if !quoted && !long {
            while end < text.count && text.whitespaceLength(at: end) == 0 && text[end] != 0x22 && text[end] != 0x60 {
                if (text[end] == 0x3B || text[end] == 0x26) && startsField(text, at: end + 1) { break }
                end += 1
                if end - start > checkedLength { long = true }
            }
        }
        let examined = end
        if !quoted && !long {
            // Sentence punctuation after a value: `password=hunter22.` or `(pwd: hunter22)`. What it drops may
            // show a stand-in: `sk-ant-api03-...`, `[REDIS_PASSWORD]`.
            let trimmed = ValueHeuristics.trimTrailingPunctuation(text, start..<end, isPunctuation: isTrailingPunctuation)
            if trimmed.elided || trimmed.bracketed { return .noMatchBefore(examined) }
            end = trimmed.end
        }
        let value = start..<end
        guard text.scalarCount(value) >= minimumLength else { return .noMatchBefore(examined) }
        if !long {
            if ValueHeuristics.isPlaceholder(text, value) || ValueHeuristics.isCodeReference(text, value)
                || ValueHeuristics.isPath(text, value) || ValueHeuristics.isProseWord(text, value)
                || ValueHeuristics.isVariableName(text, value)
            {
                return .noMatchBefore(examined)
            }
        }
        return .match(DetectorMatch(range: value, mask: .prefixAndLength("")))
    }

    /// Whether `key=` starts at `offset`: then a `;` or `&` before it ends the value, as in a connection
    /// string (`Password=…;Encrypt=True`) or a query (`?secret=…&issuer=…`).
    private static func startsField(_ text: ScanText, at offset: Int) -> Bool {
        var i = offset
        while ScanBytes.isAlnum(text[i]) || text[i] == 0x5F || text[i] == 0x2D || text[i] == 0x20, i - offset < 32 {
            i += 1
        }
        return i > offset && ScanBytes.isLetter(text[offset]) && text[i] == 0x3D
    }

    private static func isTrailingPunctuation(_ b: UInt8) -> Bool {
        switch b {
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x27: true  // . , ; : ! ? ) ] } '
        default: false
        }
    }
}
