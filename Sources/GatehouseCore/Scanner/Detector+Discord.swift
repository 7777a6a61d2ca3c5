extension Detector {
    /// Discord bot tokens: three base64url segments `<user ID>.<timestamp>.<HMAC>`, where the first is the
    /// base64 of the bot's snowflake ID in decimal (17–20 digits), the second 6 characters, the third 27–38.
    ///
    /// Format from Discord's developer docs ("Authorization: Bot <token>") and gitleaks' `discord-*` rules.
    /// The shape alone is common (`word.word.word`), so a token is looked for only next to the word
    /// `discord` (128 bytes before, 160 after) or right after `Bot ` as in the Authorization header, and its
    /// first segment must decode to the digits of a plausible snowflake (a timestamp before 2055).
    public static let discordBotToken = Detector(
        id: "discord-bot-token",
        summary: "A Discord bot token; whoever has it controls the bot in every server it has joined.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["discord", "bot "],
        validator: .atKeyword(DiscordTokenValidator.validate)
    )
}

enum DiscordTokenValidator {
    static let search = NearbyTokenSearch(
        keyword: "discord", behind: 128, reach: 160, maximumLength: 80, isTokenByte: isTokenByte,
        accept: { text, run in isToken(text, run) ? run : nil }
    )

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        if hit.keywordIndex == 0 { return search.search(text, hit) }
        // `Bot <token>`: the token follows at once.
        guard !ScanBytes.isAlnum(text[hit.range.lowerBound - 1]) else { return .noMatch }
        let start = hit.range.upperBound
        let end = TokenShape.runEnd(text, from: start, limit: 80, isTokenByte)
        guard end - start <= 80, !isTokenByte(text[end]), isToken(text, start..<end) else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }

    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool { ScanBytes.isBase64URL(b) || b == 0x2E }

    /// Whether `range` is exactly `id.timestamp.hmac` with a valid snowflake ID.
    static func isToken(_ text: ScanText, _ range: Range<Int>) -> Bool {
        guard range.count >= 23 + 1 + 6 + 1 + 27 else { return false }
        var dots: [Int] = []
        for i in range where text[i] == 0x2E {
            dots.append(i)
            if dots.count > 2 { return false }
        }
        guard dots.count == 2 else { return false }
        let id = range.lowerBound..<dots[0]
        let timestamp = (dots[0] + 1)..<dots[1]
        let hmac = (dots[1] + 1)..<range.upperBound
        guard timestamp.count == 6, (27...38).contains(hmac.count), decodesToSnowflake(text, id),
            ScanBytes.classCount(text.bytes, hmac) >= 2, TokenShape.looksRandom(text, hmac, minimumDistinct: 12)
        else { return false }
        return true
    }

    /// Whether base64 `range` (unpadded, canonical) decodes to 17–20 decimal digits, no leading zero, whose
    /// value is a snowflake: 64 bits, and a timestamp (`id >> 22` ms after 2015) before 2055.
    static func decodesToSnowflake(_ text: ScanText, _ range: Range<Int>) -> Bool {
        // 17, 18, 19 and 20 digits encode to 23, 24, 26 and 27 characters.
        guard [23, 24, 26, 27].contains(range.count) else { return false }
        var accumulator: UInt32 = 0
        var bits = 0
        var value: UInt64 = 0
        var digits = 0
        for i in range {
            guard let sextet = base64Value(text[i]) else { return false }
            accumulator = (accumulator << 6 | UInt32(sextet)) & 0xFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                guard ScanBytes.isDigit(byte), digits > 0 || byte != 0x30 else { return false }
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - 0x30))
                guard !overflow1, !overflow2 else { return false }
                value = sum
                digits += 1
            }
        }
        // Canonical encoding: the bits left over are zero.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0, (17...20).contains(digits) else { return false }
        let fortyYearsInMilliseconds: UInt64 = 40 * 365 * 24 * 3600 * 1000
        return value >> 22 < fortyYearsInMilliseconds
    }

    private static func base64Value(_ b: UInt8) -> UInt8? {
        if ScanBytes.isUpper(b) { return b - 0x41 }
        if ScanBytes.isLower(b) { return b - 0x61 + 26 }
        if ScanBytes.isDigit(b) { return b - 0x30 + 52 }
        if b == 0x2D || b == 0x2B { return 62 }
        if b == 0x5F || b == 0x2F { return 63 }
        return nil
    }
}
