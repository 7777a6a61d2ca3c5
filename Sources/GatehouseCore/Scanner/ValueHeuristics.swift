/// Shared judgement for detectors that key on context (`password=`, `Bearer `) rather than on a token format.
enum ValueHeuristics {
    /// Where the value of `key = value` / `key: value` starts, given the offset just after the key.
    ///
    /// Accepts an optional closing quote after the key (`"password": …`), up to 16 spaces or tabs, then
    /// `=`, `=>`, `:`, `:=` or the full-width colon `：`, more spaces, and an optional opening quote,
    /// returned so the caller can find its partner. Refuses `==` (a comparison), `::` and `://` (a path or URL).
    static func assignmentValue(in text: ScanText, after keyEnd: Int) -> (start: Int, quote: UInt8?)? {
        var i = keyEnd
        if ScanBytes.isQuote(text[i]) { i += 1 }
        i = skipBlanks(text, from: i)
        switch text[i] {
        case 0x3D:  // =
            if text[i + 1] == 0x3D { return nil }
            i += text[i + 1] == 0x3E ? 2 : 1  // =>
        case 0x3A:  // :
            if text[i + 1] == 0x3A || (text[i + 1] == 0x2F && text[i + 2] == 0x2F) { return nil }
            i += text[i + 1] == 0x3D ? 2 : 1  // :=
        case 0xEF where text[i + 1] == 0xBC && text[i + 2] == 0x9A:  // U+FF1A
            i += 3
        default:
            return nil
        }
        i = skipBlanks(text, from: i)
        if ScanBytes.isQuote(text[i]) { return (i + 1, text[i]) }
        return (i, nil)
    }

    private static func skipBlanks(_ text: ScanText, from offset: Int) -> Int {
        var i = offset
        while (text[i] == 0x20 || text[i] == 0x09) && i - offset < 16 { i += 1 }
        return i
    }

    /// Whether a value is a stand-in rather than a secret: `<your key>`, `xxxx`, `****`, `${VAR}`, `changeme`.
    ///
    /// Gitleaks calls these stopwords. Words are matched anywhere, case-insensitively, because a real random
    /// token contains `your` or `example` with negligible probability, while docs and chat use them constantly.
    static func isPlaceholder(_ text: ScanText, _ range: Range<Int>) -> Bool {
        guard let first = range.first, let last = range.last else { return true }
        let a = text.lower(first)
        let z = text.lower(last)
        // One repeated character: ********, xxxxxxxx, 00000000.
        if ScanBytes.distinctCount(text.lowered, range) == 1 { return true }
        // Wrapped or templated: <your-key>, [token], {token}, ${VAR}, $(cmd), {{ var }}, %(name)s, #{var}.
        if (a == 0x3C && z == 0x3E) || (a == 0x5B && z == 0x5D) || (a == 0x7B && z == 0x7D) { return true }
        let b = text.lower(first + 1)
        if (a == 0x24 || a == 0x25 || a == 0x23) && (b == 0x7B || b == 0x28) { return true }
        // $ENV_VAR: an environment reference, not its value; upper case by convention, so $ecretP4ss still counts.
        if a == 0x24 && range.count > 1 {
            var allEnvName = true
            for i in (first + 1)..<range.upperBound {
                let c = text[i]
                if !(ScanBytes.isUpper(c) || ScanBytes.isDigit(c) || c == 0x5F) {
                    allEnvName = false
                    break
                }
            }
            if allEnvName { return true }
        }
        for word in placeholderWords where contains(text, range, word) { return true }
        return false
    }

    private static let placeholderWords: [[UInt8]] = [
        "your", "changeme", "change_me", "change-me", "placeholder", "redacted", "example", "dummy",
        "xxxx", "****", "...", "\u{2026}", "mypassword", "my_password",
    ].map { Array($0.utf8) }

    /// Whether the lower-cased text in `range` contains `word` (lower-case); `range` is short, so naive is fine.
    private static func contains(_ text: ScanText, _ range: Range<Int>, _ word: [UInt8]) -> Bool {
        guard range.count >= word.count else { return false }
        let lowered = text.lowered
        let head = word[0]
        var i = range.lowerBound
        let end = range.upperBound - word.count
        while i <= end {
            if lowered[i] == head {
                var k = 1
                while k < word.count && lowered[i + k] == word[k] { k += 1 }
                if k == word.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether a value is code that reads a secret from elsewhere: `getpass()`, `os.environ['PW']`,
    /// `self.password`, `config.api_key`. Developers paste such lines into chat; they reveal nothing.
    static func isCodeReference(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        let end = range.upperBound
        var componentStart = true
        var dots = 0
        while i < end {
            let c = text[i]
            if ScanBytes.isLetter(c) || c == 0x5F {
                componentStart = false
            } else if ScanBytes.isDigit(c) {
                if componentStart { return false }
            } else if c == 0x2E {
                if componentStart { return false }
                componentStart = true
                dots += 1
            } else if c == 0x28 || c == 0x5B {
                // identifier( or identifier[ : a call or subscript.
                return i > range.lowerBound && !componentStart
            } else {
                return false
            }
            i += 1
        }
        return dots > 0 && !componentStart
    }

    /// Whether a value is a file path (`/run/secrets/db`, `~/.ssh/id_rsa`): where a secret lives, not the secret.
    /// Also keeps `pwd: /home/alice/src` (shell output) quiet.
    static func isPath(_ text: ScanText, _ range: Range<Int>) -> Bool {
        let a = text[range.lowerBound]
        guard a == 0x2F || a == 0x7E || a == 0x2E else { return false }
        var slashes = 0
        for i in range {
            let c = text[i]
            if c == 0x2F {
                slashes += 1
            } else if !(ScanBytes.isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x2D || c == 0x7E) {
                return false
            }
        }
        return slashes >= 2
    }

    /// Whether a value reads as one word of prose (`Tomorrow`, `surprise`, `ÜBERRASCHUNG`) rather than a
    /// password: letters only, in one case or capitalised. Keeps `Secret: Tomorrow's plan` quiet; the price
    /// is missing single-case dictionary-word passwords, which the gate accepts.
    static func isProseWord(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var upperAfterFirst = false
        var lower = false
        var seenLetter = false
        for i in range {
            let c = text[i]
            if ScanBytes.isUpper(c) {
                if seenLetter { upperAfterFirst = true }
                seenLetter = true
            } else if ScanBytes.isLower(c) {
                lower = true
                seenLetter = true
            } else if c >= 0x80 {
                seenLetter = true  // letters outside ASCII; case is not inspected
            } else if c != 0x27 && c != 0x2D {
                return false  // a digit or symbol: not a plain word
            }
        }
        return !(upperAfterFirst && lower)
    }
}
