extension Detector {
    /// PEM and PGP armored private keys: the whole block from `-----BEGIN` to the matching `-----END` line.
    ///
    /// A header alone (`-----BEGIN RSA PRIVATE KEY-----` mentioned in a sentence) is not a finding: at least
    /// 64 base64 characters must follow, as in gitleaks' `private-key` rule. A block cut off before its END
    /// line still is, covering what is there: a truncated key still leaks most of a key. Literal `\n`
    /// escapes count as line breaks, since keys pasted from JSON (`"private_key": "-----BEGIN…\n…"`) have them.
    /// So do plain spaces, for blocks collapsed onto one line: the body reads across them, and armor headers
    /// (`Proc-Type:`, `Version:`) end at the next header or body word instead of a line end.
    public static let pemPrivateKey = Detector(
        id: "pem-private-key",
        summary: "A PEM or PGP private key block; anyone holding it can impersonate its owner or decrypt their data.",
        category: .secret,
        family: .privateKey,
        severity: .high,
        keywords: ["-----begin "],
        validator: .atKeyword(PEMPrivateKeyValidator.validate)
    )
}

enum PEMPrivateKeyValidator {
    static let minimumBodyCharacters = 64

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard let labelEnd = closingDashes(text, from: hit.range.upperBound),
            isPrivateKeyLabel(text, hit.range.upperBound..<labelEnd)
        else { return .noMatch }
        let headerEnd = labelEnd + 5
        var i = skipSpace(text, from: headerEnd)

        // RFC 1421 / OpenPGP armor headers ("Proc-Type: 4,ENCRYPTED", "Version: GnuPG"): base64 has no ':'.
        var headers = 0
        while headers < 8, let lineEnd = headerLineEnd(text, from: i) {
            i = skipSpace(text, from: lineEnd)
            headers += 1
        }

        var bodyCharacters = 0
        var bodyEnd = i
        while true {
            let c = text[i]
            if ScanBytes.isBase64(c) || c == 0x3D {
                bodyCharacters += 1
                i += 1
                bodyEnd = i
            } else if let space = spaceLength(text, at: i) {
                i += space
            } else {
                break
            }
        }
        guard bodyCharacters >= minimumBodyCharacters else { return .noMatch }

        var end = bodyEnd
        if text.lowerHasPrefix("-----end ", at: i), let endLabel = closingDashes(text, from: i + 9) {
            end = endLabel + 5
        }
        return .match(
            DetectorMatch(
                range: hit.range.lowerBound..<end,
                mask: .prefixAndLength(text.string(hit.range.lowerBound..<headerEnd))
            )
        )
    }

    /// The offset of the `-----` closing a label of letters, digits, spaces and underscores, if within 64 bytes.
    private static func closingDashes(_ text: ScanText, from start: Int) -> Int? {
        var i = start
        while i - start <= 64 {
            let c = text.lower(i)
            if c == 0x2D { return text.hasPrefix("-----", at: i) && i > start ? i : nil }
            guard ScanBytes.isAlnum(c) || c == 0x20 || c == 0x5F else { return nil }
            i += 1
        }
        return nil
    }

    /// `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`…
    /// but not `PUBLIC KEY` or `CERTIFICATE`.
    private static func isPrivateKeyLabel(_ text: ScanText, _ label: Range<Int>) -> Bool {
        for suffix in ["private key", "private key block"] {
            let s = Array(suffix.utf8)
            guard label.count >= s.count else { continue }
            let start = label.upperBound - s.count
            guard text.lowered[start..<label.upperBound].elementsEqual(s) else { continue }
            if start == label.lowerBound || text.lowered[start - 1] == 0x20 { return true }
        }
        return false
    }

    /// The end of an armor header line (`Name: value`) starting at `start`, or nil if none starts there.
    ///
    /// A line holding `-----` is never a header. That keeps the scan linear: another block's BEGIN line ends
    /// this block's headers, so no two hits read the same header text.
    private static func headerLineEnd(_ text: ScanText, from start: Int) -> Int? {
        guard ScanBytes.isLetter(text[start]) else { return nil }
        var i = start
        while ScanBytes.isAlnum(text[i]) || text[i] == 0x2D, i - start < 32 { i += 1 }
        guard text[i] == 0x3A else { return nil }
        let valueStart = i + 1
        var dashes = 0
        while i - start < 256 {
            let c = text[i]
            if c == 0x0A || c == 0 && i >= text.count { return i }
            if c == 0x5C && text[i + 1] == 0x6E { return i }  // literal \n
            dashes = c == 0x2D ? dashes + 1 : 0
            if dashes == 5 { break }
            i += 1
        }
        return collapsedHeaderEnd(text, valueStart: valueStart, lineStart: start)
    }

    /// The end of a header value in a block collapsed onto one line (newlines turned into spaces), where no
    /// line end marks it: the value's words run until the next `Name:`, a body-length base64 token (20+
    /// characters) or a `-----`. Nil if the value's first word holds `-----`, which keeps the linear-time
    /// rule above: no header reads into another block's BEGIN line.
    private static func collapsedHeaderEnd(_ text: ScanText, valueStart: Int, lineStart: Int) -> Int? {
        var i = valueStart
        while text[i] == 0x20 && i - valueStart < 16 { i += 1 }
        var end: Int?
        while i - lineStart < 256 {
            let tokenStart = i
            var base64 = true
            var dashes = 0
            while i - tokenStart <= 64, i < text.count, text.whitespaceLength(at: i) == 0 {
                let c = text[i]
                dashes = c == 0x2D ? dashes + 1 : 0
                if dashes == 5 { return end }
                if !(ScanBytes.isBase64(c) || c == 0x3D) { base64 = false }
                i += 1
            }
            let length = i - tokenStart
            if length == 0 || (base64 && length >= 20) || (length > 1 && text[i - 1] == 0x3A) {
                return end ?? (length > 0 && base64 ? tokenStart : nil)
            }
            end = i
            guard text[i] == 0x20 else { return end }
            i += 1
        }
        return end
    }

    private static func skipSpace(_ text: ScanText, from start: Int) -> Int {
        var i = start
        while let space = spaceLength(text, at: i) { i += space }
        return i
    }

    /// Whitespace inside a key body, including the literal escapes `\n`, `\r`, `\t` of JSON-embedded keys.
    private static func spaceLength(_ text: ScanText, at i: Int) -> Int? {
        switch text[i] {
        case 0x20, 0x09, 0x0A, 0x0D: return 1
        case 0x5C:
            let e = text[i + 1]
            return e == 0x6E || e == 0x72 || e == 0x74 ? 2 : nil
        default: return nil
        }
    }
}
