extension Detector {
    /// TOTP/HOTP shared secrets: the `secret=` parameter of an `otpauth://totp/…` or `otpauth://hotp/…` URI
    /// (Google Authenticator's Key Uri Format), and a bare base32 seed after words such as `2FA secret`,
    /// `TOTP`, `MFA key`, `authenticator key`, `backup code key`, `setup key`, `OTP secret`.
    ///
    /// A seed is RFC 4648 base32 (`A-Z2-7`, one case, optional `=` padding), 16–128 characters, solid or in
    /// groups of 4 split by single spaces or dashes as authenticator apps display it (`jbsw y3dp …`).
    /// Base32 has no checksum, so a bare seed needs the context word within 40 bytes before it, and must hold
    /// a digit 2–7 and 8+ distinct characters: prose in capitals (`2FA AUTHENTICATION`) and placeholders
    /// (`AAAAAAAAAAAAAAAA`) stay quiet; seeds without a digit (3.6% of 16-character ones) are missed for it.
    /// The finding covers the seed only.
    public static let totpSeed = Detector(
        id: "totp-seed",
        summary: "A TOTP/HOTP authenticator seed; whoever has it can generate the owner's second-factor codes.",
        category: .secret,
        family: .privateKey,
        severity: .high,
        keywords: [
            "otpauth://", "totp", "hotp", "2fa", "mfa", "authenticator", "backup code", "otp secret", "otp key",
            "otp seed", "setup key",
        ],
        validator: .atKeyword(TOTPSeedValidator.validate)
    )
}

enum TOTPSeedValidator {
    static let minimumLength = 16
    static let maximumLength = 128
    /// How far after the context word the seed may start (`2FA secret key for GitHub: …`).
    static let contextWindow = 40

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard !ScanBytes.isAlnum(text[hit.range.lowerBound - 1]) else { return .noMatch }
        if hit.keywordIndex == 0 { return validateURI(text, hit) }
        // The context word ends a word (`2fa`, not `2fab3…` inside a hash).
        guard !ScanBytes.isAlnum(text[hit.range.upperBound]) else { return .noMatch }
        var i = hit.range.upperBound
        let limit = hit.range.upperBound + contextWindow
        // Try each token start in the window: the label's own words (`secret`, `key`, `is`) fail the seed checks.
        while i < limit && i < text.count {
            let c = text[i]
            if ScanBytes.isAlnum(c) && !ScanBytes.isAlnum(text[i - 1]) {
                let (seed, examined) = seed(text, from: i)
                if let seed { return .match(DetectorMatch(range: seed, mask: .prefixAndLength(""))) }
                // Tokens inside a rejected group chain are read with it, so each byte is parsed once per hit.
                i = max(i + 1, examined)
                continue
            } else if c == 0x0A && text[i + 1] == 0x0A {
                break  // a blank line ends the context
            }
            i += 1
        }
        return .noMatch
    }

    /// `otpauth://totp/Label?secret=SEED&issuer=…`: the seed of the `secret` parameter.
    private static func validateURI(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        var i = hit.range.upperBound
        guard text.lowerHasPrefix("totp/", at: i) || text.lowerHasPrefix("hotp/", at: i) else { return .noMatch }
        // The URI ends at whitespace, a quote or `>`; parameters are read within 512 bytes.
        while i - hit.range.upperBound < 512 {
            let c = text[i]
            if c == 0 || c <= 0x20 || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x3E { break }
            if (c == 0x3F || c == 0x26) && text.lowerHasPrefix("secret=", at: i + 1) {
                let start = i + 8
                guard let seed = seed(text, from: start, grouped: false).range, seedEndsParameter(text, seed.upperBound)
                else {
                    return .noMatchBefore(i + 8)
                }
                return .match(DetectorMatch(range: seed, mask: .prefixAndLength("")))
            }
            i += 1
        }
        return .noMatchBefore(i)
    }

    private static func seedEndsParameter(_ text: ScanText, _ end: Int) -> Bool {
        let c = text[end]
        return c == 0 || c == 0x26 || c == 0x23 || c <= 0x20 || c == 0x22 || c == 0x27 || c == 0x3E
    }

    /// A base32 seed starting at `start`: solid, or (if `grouped`) groups of 4 joined by one space or dash.
    static func seed(_ text: ScanText, from start: Int, grouped: Bool = true) -> (range: Range<Int>?, examined: Int) {
        guard isBase32(text[start]) else { return (nil, start + 1) }
        var i = start
        while isBase32(text[i]) && i - start <= maximumLength { i += 1 }
        var end = i
        var characters = i - start
        if grouped && characters == 4 {
            // Groups of four; the last may be shorter. One separator kind throughout.
            let separator = text[end]
            if separator == 0x20 || separator == 0x2D {
                while text[end] == separator && isBase32(text[end + 1]) && characters <= maximumLength {
                    var k = end + 1
                    while isBase32(text[k]) && k - end <= 5 { k += 1 }
                    let group = k - end - 1
                    guard group <= 4 else { break }
                    characters += group
                    end = k
                    if group < 4 { break }
                }
            }
        }
        // Padding, then a boundary: the seed is not part of a longer word.
        while text[end] == 0x3D { end += 1 }
        guard !ScanBytes.isAlnum(text[end]), text[end] != 0x5F, characters >= minimumLength,
            characters <= maximumLength
        else { return (nil, end) }
        return (looksRandom(text, start..<end) ? start..<end : nil, end)
    }

    /// One letter case, a digit 2–7, and 8+ distinct characters.
    private static func looksRandom(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var upper = false
        var lower = false
        var digit = false
        for i in range {
            let c = text[i]
            if ScanBytes.isUpper(c) { upper = true } else if ScanBytes.isLower(c) { lower = true } else if ScanBytes.isDigit(c) {
                digit = true
            }
        }
        guard digit, !(upper && lower), ScanBytes.distinctCount(text.lowered, range) >= 8 else { return false }
        return !ValueHeuristics.isPlaceholder(text, range)
    }

    /// RFC 4648 base32: letters (either case) and digits 2–7.
    @inline(__always) private static func isBase32(_ b: UInt8) -> Bool {
        ScanBytes.isLetter(b) || (b >= 0x32 && b <= 0x37)
    }
}
