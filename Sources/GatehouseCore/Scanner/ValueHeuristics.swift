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

    /// Whether a value is a stand-in rather than a secret: `<your key>`, `xxxx`, `****`, `${VAR}`, `%VAR%`,
    /// `changeme`, `INSERT_API_KEY_HERE`, `REPLACE_ME`, `TODO`, an elision (`abc...`, `abc…`).
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
        // %ENV_VAR%: a Windows environment reference.
        if a == 0x25 && z == 0x25 && range.count > 2 && isEnvName(text, (first + 1)..<last) { return true }
        for word in placeholderWords where contains(text, range, word) { return true }
        return hasPlaceholderWord(text, range)
    }

    /// Whether `range` is an environment variable's name: upper case, digits and `_`, starting with a letter.
    private static func isEnvName(_ text: ScanText, _ range: Range<Int>) -> Bool {
        guard let first = range.first, ScanBytes.isUpper(text[first]) else { return false }
        for i in range where !(ScanBytes.isUpper(text[i]) || ScanBytes.isDigit(text[i]) || text[i] == 0x5F) {
            return false
        }
        return true
    }

    /// Words that mark a template when they stand as whole words: `INSERT_API_KEY_HERE`, `REPLACE_ME`, `TODO`,
    /// `tbd`, `<fixme>`, `insertKeyHere`. Short and common, so unlike ``placeholderWords`` they must be a whole
    /// word (a run of letters, split where camel case starts a word), and one under five letters must stand
    /// between non-alphanumerics (random tokens hold `4tbd7` or `3TbdE`); `here` only as the last word and not
    /// after a digit, so `Here4you!` and `key2here` still count as passwords.
    private static let placeholderTokens: [[UInt8]] = [
        "insert", "replace", "replaceme", "todo", "tbd", "fixme", "changeit", "fillme", "pasteme",
    ].map { Array($0.utf8) }
    private static let hereToken = Array("here".utf8)

    private static func hasPlaceholderWord(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var lastWord: Range<Int>? = nil
        let found = forEachWord(text, range) { word in
            lastWord = word
            // Short words only between separators (`TODO`, `tbd-later`), or random tokens hit them: `4tbd7D`.
            guard word.count >= 5
                || ((word.lowerBound == range.lowerBound || !ScanBytes.isAlnum(text[word.lowerBound - 1]))
                    && (word.upperBound == range.upperBound || !ScanBytes.isAlnum(text[word.upperBound])))
            else { return false }
            return placeholderTokens.contains { text.lowered[word].elementsEqual($0) }
        }
        if found { return true }
        guard let lastWord, text.lowered[lastWord].elementsEqual(hereToken),
            lastWord.lowerBound == range.lowerBound || !ScanBytes.isDigit(text[lastWord.lowerBound - 1])
        else { return false }
        // `KEY_HERE`, `key-goes-here`, `PasteTokenHere`, not `key2here`: no letter or digit may follow it.
        for i in lastWord.upperBound..<range.upperBound where ScanBytes.isAlnum(text[i]) { return false }
        return true
    }

    /// Calls `body` with each word of `range`: a run of ASCII letters, split before an upper-case letter that
    /// follows a lower-case one (`insertKeyHere` is three words). Stops and returns true as soon as `body` does.
    private static func forEachWord(_ text: ScanText, _ range: Range<Int>, _ body: (Range<Int>) -> Bool) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            guard ScanBytes.isLetter(text[i]) else {
                i += 1
                continue
            }
            let start = i
            i += 1
            while i < range.upperBound && ScanBytes.isLetter(text[i])
                && !(ScanBytes.isUpper(text[i]) && ScanBytes.isLower(text[i - 1]))
            {
                i += 1
            }
            if body(start..<i) { return true }
        }
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
    /// `self.password`, `config.api_key`, `std::env::var("KEY")`, `$this->password`, `$db_password`.
    /// Developers paste such lines into chat; they reveal nothing.
    static func isCodeReference(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        let end = range.upperBound
        // A PHP or shell variable: `$password`, `$db_pass`, `$this->password`, `$_ENV['DB_PASSWORD']`.
        // `$ecretP4ss` is not one: after the `$` comes neither a variable name nor code.
        if text[i] == 0x24 && end - i > 1 && text[i + 1] != 0x24 {
            let rest = (i + 1)..<end
            return isCodeReference(text, rest) || isVariableName(text, rest) || isHintWord(text, rest)
        }
        var componentStart = true
        var dots = 0
        while i < end {
            let c = text[i]
            if ScanBytes.isLetter(c) || c == 0x5F {
                componentStart = false
            } else if ScanBytes.isDigit(c) {
                if componentStart { return false }
            } else if c == 0x2E || (c == 0x3A && text[i + 1] == 0x3A) || (c == 0x2D && text[i + 1] == 0x3E) {
                // `a.b`, `a::b` (Rust, C++, Ruby), `a->b` (PHP, C)
                if componentStart || i + (c == 0x2E ? 1 : 2) > end { return false }
                componentStart = true
                dots += 1
                if c != 0x2E { i += 1 }
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

    /// Whether a value is the name of a variable holding the secret rather than the secret: `db_password`,
    /// `hashedPassword`, `newPassword`, `DB_PASSWORD`, `api_key`. That is two or more words, in snake case
    /// (all lower or all upper case, joined by `_`) or camel case (starting lower case), of letters only, each
    /// word with a vowel or one of the hint words, and at least one hint word (`password`, `secret`, `key`,
    /// `token`, `pass`, `pwd`, `hash`, `new`, `old`, `db`, `env`, `var`, `config`…).
    ///
    /// Word-like passwords stay secrets: a digit or symbol (`Summer2024!`, `hunter2x`), a hyphen
    /// (`correct-horse-battery`), capitalised words (`CorrectHorse`), or no hint word (`correct_horse_battery`).
    static func isVariableName(_ text: ScanText, _ range: Range<Int>) -> Bool {
        guard let first = range.first, ScanBytes.isLetter(text[first]), range.count <= 64 else { return false }
        var upper = false
        var lower = false
        var underscore = false
        for i in range {
            let c = text[i]
            if ScanBytes.isUpper(c) {
                upper = true
            } else if ScanBytes.isLower(c) {
                lower = true
            } else if c == 0x5F {
                // `a__b`, `a_` and `_a` are not plain snake case.
                if text[i - 1] == 0x5F || i == range.upperBound - 1 { return false }
                underscore = true
            } else {
                return false
            }
        }
        // snake_case, SCREAMING_SNAKE_CASE, or camelCase (no `_`, starts lower case).
        let camel = !underscore && ScanBytes.isLower(text[first]) && upper
        guard (underscore && !(upper && lower)) || camel else { return false }
        var words = 0
        var hint = false
        var plain = true
        _ = forEachWord(text, range) { word in
            words += 1
            if isHintWord(text, word) {
                hint = true
            } else if !hasVowel(text, word) {
                plain = false
                return true
            }
            return false
        }
        return plain && hint && words >= 2
    }

    private static let hintWords: [[UInt8]] = [
        "password", "passwords", "passwd", "pass", "passphrase", "pwd", "pw", "secret", "secrets", "key", "keys",
        "token", "tokens", "hash", "hashed", "salt", "salted", "new", "old", "current", "stored", "plain", "raw",
        "encrypted", "db", "database", "env", "var", "vars", "config", "cfg", "conf", "settings", "api", "auth",
        "cred", "creds", "credential", "credentials", "user", "admin", "input", "value", "val", "param", "params",
        "form", "req", "request", "temp", "tmp", "default", "client", "access", "private", "app",
    ].map { Array($0.utf8) }

    /// Whether `range` is one of ``hintWords``, in any case.
    private static func isHintWord(_ text: ScanText, _ range: Range<Int>) -> Bool {
        hintWords.contains { text.lowered[range].elementsEqual($0) }
    }

    private static func hasVowel(_ text: ScanText, _ range: Range<Int>) -> Bool {
        for i in range {
            switch text.lower(i) {
            case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: return true  // a e i o u y
            default: continue
            }
        }
        return false
    }

    /// Drops sentence punctuation (as `isPunctuation` says) from the end of an unquoted value, and says whether
    /// what was dropped shows the value is a stand-in: `elided` for three or more dots (`sk-ant-api03-...`,
    /// `pypi-AgEIcHlwaS5vcmc...`), `bracketed` for the bracket closing one that opens the value
    /// (`[REDIS_PASSWORD]`, `{token},`). Checking for those after the punctuation is gone would miss them.
    /// (`…` is not punctuation: it stays in the value, where ``isPlaceholder(_:_:)`` finds it.)
    static func trimTrailingPunctuation(
        _ text: ScanText, _ range: Range<Int>, isPunctuation: (UInt8) -> Bool
    ) -> (end: Int, elided: Bool, bracketed: Bool) {
        let start = range.lowerBound
        var end = range.upperBound
        var elided = false
        var bracketed = false
        var dots = 0
        while end > start, isPunctuation(text[end - 1]) {
            let c = text[end - 1]
            dots = c == 0x2E ? dots + 1 : 0
            if dots >= 3 { elided = true }
            if end - 1 > start && ((c == 0x5D && text[start] == 0x5B) || (c == 0x7D && text[start] == 0x7B)) {
                bracketed = true
            }
            end -= 1
        }
        return (end, elided, bracketed)
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
