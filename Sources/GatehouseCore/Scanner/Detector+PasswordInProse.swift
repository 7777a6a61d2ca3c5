extension Detector {
    /// A password given in a sentence: "the password is X", "my password's X", "wifi password: X", "pw: X",
    /// "the password for the router is X", and the same in Spanish ("la contraseña es"), French ("le mot de
    /// passe est", "c'est"), German ("das Passwort ist/lautet", "Kennwort"), Portuguese ("a senha é"),
    /// Italian ("la password è") and Dutch ("het wachtwoord is").
    ///
    /// Up to four words may stand between the word for password and the verb. X, the next token (or a
    /// quoted string), must look like a password, so people talking about passwords stay quiet: not one
    /// word of prose ("wrong", "correct", "expired", "in the vault" all start with a plain word), not a
    /// placeholder (elided `abc...` too), path, URL, e-mail, code reference or variable name (`newPassword`),
    /// 6–64 characters (8+ after `:`, as `generic-secret` requires) mixing two of upper case, lower case,
    /// digits and symbols, or 6+ digits that are not a run (`123456`). Single-case dictionary-word passwords are missed for it. Generic: where
    /// `generic-secret` reads the same assignment, one finding results.
    public static let passwordInProse = Detector(
        id: "password-in-prose",
        summary: "A password written out in a chat sentence; whoever reads the message can use it.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: [
            "password", "passwort", "kennwort", "contrase", "mot de passe", "senha", "wachtwoord", "passcode",
            "pw:", "pw is",
        ],
        isGeneric: true,
        validator: .atKeyword(PasswordInProseValidator.validate)
    )
}

enum PasswordInProseValidator {
    static let maximumLength = 64
    static let maximumInterveningWords = 4
    /// Indices in the detector's keywords: `contrase`, and the first of the `pw…` forms.
    static let spanishKeyword = 3
    static let firstShortKeyword = 8

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let before = text[hit.range.lowerBound - 1]
        guard !ScanBytes.isAlnum(before) && before != 0x5F else { return .noMatch }
        var i = hit.range.upperBound
        var colon = false
        if hit.keywordIndex >= firstShortKeyword {
            // `pw:`, `pw is`, `pw =`, `pw=`: the connector is part of the keyword.
            colon = hit.keywordIndex != firstShortKeyword + 1
        } else {
            if hit.keywordIndex == spanishKeyword {
                // `contrase` + `ña`, or `na` as typed without the tilde.
                if text[i] == 0xC3 && text[i + 1] == 0xB1 { i += 2 } else if text.lower(i) == 0x6E { i += 1 } else { return .noMatch }
                guard text.lower(i) == 0x61 else { return .noMatch }
                i += 1
            }
            guard let connector = connectorEnd(text, from: i) else { return .noMatch }
            i = connector.end
            colon = connector.colon
        }
        guard let (value, examined, standIn) = readValue(text, from: i) else { return .noMatch }
        // `pw: sk-ant-api03-...` is elided, as `generic-secret` reads it; "my password is Summer2024..." trails off.
        guard !standIn.bracketed && !(standIn.elided && colon), looksLikePassword(text, value, minimumLength: colon ? 8 : 6) else { return .noMatchBefore(examined) }
        return .match(DetectorMatch(range: value, mask: .prefixAndLength("")))
    }

    /// Where the value may start after the word for password: past `'s`, `:`, `=`, or a verb ("is", "est",
    /// "ist", "é"…) after at most four other words. Nil if none of these follows.
    static func connectorEnd(_ text: ScanText, from start: Int) -> (end: Int, colon: Bool)? {
        var i = start
        // `password's`, `password’s`
        if text[i] == 0x27 && text.lower(i + 1) == 0x73 && !ScanBytes.isAlnum(text[i + 2]) { return (i + 2, false) }
        if text[i] == 0xE2 && text[i + 1] == 0x80 && text[i + 2] == 0x99 && text.lower(i + 3) == 0x73
            && !ScanBytes.isAlnum(text[i + 4])
        {
            return (i + 4, false)
        }
        guard !ScanBytes.isAlnum(text[i]) && text[i] < 0x80 else { return nil }
        var words = 0
        while true {
            let afterSpace = skipBlanks(text, i)
            if let end = colonEnd(text, afterSpace) { return (end, true) }
            guard afterSpace > i else { return nil }
            i = afterSpace
            let wordStart = i
            while (ScanBytes.isLetter(text[i]) || ScanBytes.isDigit(text[i]) || text[i] >= 0x80 || text[i] == 0x27)
                && i - wordStart <= 16
            {
                i += 1
            }
            guard i > wordStart else { return nil }
            if isConnector(text, wordStart..<i) {
                var end = i
                if let colonEnd = colonEnd(text, end) { end = colonEnd }
                // "is now X", "ist jetzt X"
                let next = skipBlanks(text, end)
                var k = next
                while ScanBytes.isLetter(text[k]) && k - next <= 10 { k += 1 }
                if k > next && isFiller(text, next..<k) && text[k] == 0x20 { end = k }
                return (end, false)
            }
            words += 1
            if words > maximumInterveningWords { return nil }
        }
    }

    private static func skipBlanks(_ text: ScanText, _ start: Int) -> Int {
        var i = start
        while (text[i] == 0x20 || text[i] == 0x09) && i - start < 8 { i += 1 }
        return i
    }

    private static func colonEnd(_ text: ScanText, _ i: Int) -> Int? {
        let c = text[i]
        if c == 0x3A && text[i + 1] != 0x2F && text[i + 1] != 0x3A { return i + 1 }
        if c == 0xEF && text[i + 1] == 0xBC && text[i + 2] == 0x9A { return i + 3 }  // fullwidth colon
        return nil
    }

    private static let connectors: [[UInt8]] = [
        "is", "was", "es", "era", "est", "c'est", "était", "ist", "war", "lautet", "é", "è", "e'", "era", "was",
    ].map { Array($0.utf8) }

    private static let fillers: [[UInt8]] = [
        "now", "just", "simply", "still", "ahora", "maintenant", "jetzt", "agora", "ora", "nu", "actually",
    ].map { Array($0.utf8) }

    private static func isConnector(_ text: ScanText, _ word: Range<Int>) -> Bool {
        connectors.contains { text.lowered[word].elementsEqual($0) }
    }

    private static func isFiller(_ text: ScanText, _ word: Range<Int>) -> Bool {
        fillers.contains { text.lowered[word].elementsEqual($0) }
    }

    /// The value (inside quotes if quoted), the offset reading stopped at, and whether trailing punctuation
    /// showed the value to be elided (`sk-ant-...`) or bracketed (`[REDIS_PASSWORD],`).
    static func readValue(
        _ text: ScanText, from start: Int
    ) -> (Range<Int>, Int, (elided: Bool, bracketed: Bool))? {
        var i = skipBlanks(text, start)
        var close: [UInt8]? = nil
        let c = text[i]
        if c == 0x22 || c == 0x27 || c == 0x60 {
            close = [c]
            i += 1
        } else if c == 0xE2 && text[i + 1] == 0x80 && (text[i + 2] == 0x9C || text[i + 2] == 0x98) {
            close = [0xE2, 0x80, text[i + 2] + 1]  // “…” or ‘…’
            i += 3
        } else if c == 0xC2 && text[i + 1] == 0xAB {
            close = [0xC2, 0xBB]  // «…», French style with spaces inside
            i = skipBlanks(text, i + 2)
        }
        let valueStart = i
        if let close {
            while i - valueStart <= maximumLength && text[i] != 0x0A && i < text.count {
                if text[i] == close[0] && (close.count == 1 || (text[i + 1] == close[1] && (close.count == 2 || text[i + 2] == close[2]))) {
                    var end = i
                    while end > valueStart && text[end - 1] == 0x20 { end -= 1 }
                    guard end > valueStart else { return nil }
                    return (valueStart..<end, i + close.count, (elided: false, bracketed: false))
                }
                i += 1
            }
            return nil
        }
        while i < text.count && text.whitespaceLength(at: i) == 0 && i - valueStart <= maximumLength {
            // `pw: …;Next=` or `…&next=`: the value ends where another field starts, as in `generic-secret`.
            if (text[i] == 0x3B || text[i] == 0x26) && startsField(text, at: i + 1) { break }
            i += 1
        }
        guard i - valueStart <= maximumLength else { return nil }
        let examined = i
        let trimmed = ValueHeuristics.trimTrailingPunctuation(text, valueStart..<i, isPunctuation: isTrailingPunctuation)
        guard trimmed.end > valueStart else { return nil }
        return (valueStart..<trimmed.end, examined, (elided: trimmed.elided, bracketed: trimmed.bracketed))
    }

    private static func startsField(_ text: ScanText, at offset: Int) -> Bool {
        var i = offset
        while ScanBytes.isAlnum(text[i]) || text[i] == 0x5F || text[i] == 0x2D, i - offset < 32 { i += 1 }
        return i > offset && ScanBytes.isLetter(text[offset]) && text[i] == 0x3D
    }

    private static func isTrailingPunctuation(_ b: UInt8) -> Bool {
        switch b {
        case 0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x5D, 0x7D, 0x27, 0x22: true
        default: false
        }
    }

    static func looksLikePassword(_ text: ScanText, _ value: Range<Int>, minimumLength: Int) -> Bool {
        let length = text.scalarCount(value)
        guard length >= minimumLength, length <= maximumLength else { return false }
        if ValueHeuristics.isPlaceholder(text, value) || ValueHeuristics.isCodeReference(text, value)
            || ValueHeuristics.isPath(text, value) || ValueHeuristics.isProseWord(text, value)
            || ValueHeuristics.isVariableName(text, value)
        {
            return false
        }
        for word in standIns where text.lowered[value].elementsEqual(word) { return false }
        var upper = false
        var lower = false
        var digits = 0
        var symbol = false
        for i in value {
            let c = text[i]
            if ScanBytes.isUpper(c) {
                upper = true
            } else if ScanBytes.isLower(c) {
                lower = true
            } else if ScanBytes.isDigit(c) {
                digits += 1
            } else {
                symbol = true
                // URLs and e-mail addresses are where something is, not a password.
                if c == 0x40 || (c == 0x3A && text[i + 1] == 0x2F) { return false }
            }
        }
        if digits == value.count { return !isDigitRun(text, value) }
        let classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digits > 0 ? 1 : 0) + (symbol ? 1 : 0)
        return classes >= 2
    }

    /// `123456`, `987654`, `111111`: the digits step by +1, -1 or 0 throughout.
    private static func isDigitRun(_ text: ScanText, _ value: Range<Int>) -> Bool {
        let step = Int(text[value.lowerBound + 1]) - Int(text[value.lowerBound])
        guard abs(step) <= 1 else { return false }
        for i in (value.lowerBound + 1)..<value.upperBound where Int(text[i]) - Int(text[i - 1]) != step { return false }
        return true
    }

    private static let standIns: [[UInt8]] = [
        "hunter2", "1password", "lastpass", "bitwarden", "keepass", "keychain", "n/a", "p@ssw0rd", "passw0rd",
        "password1", "password123",
    ].map { Array($0.utf8) }
}
