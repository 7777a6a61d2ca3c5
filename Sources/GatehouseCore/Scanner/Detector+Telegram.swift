extension Detector {
    /// Telegram Bot API tokens: the bot's numeric ID (8–10 digits), `:`, then a 35-character secret of
    /// `[A-Za-z0-9_-]` that starts with `AA` (core.telegram.org/bots/api, "Authorizing your bot";
    /// gitleaks' `telegram-bot-api-token`).
    ///
    /// The keyword is `:AA`; the validator reads back at most 11 bytes for the ID. The ID may follow `bot`
    /// as in request URLs (`api.telegram.org/bot123…:AA…/getMe`); the finding covers ID and secret.
    public static let telegramBotToken = Detector(
        id: "telegram-bot-token",
        summary: "A Telegram bot token; whoever has it controls the bot and reads its chats.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: [":aa"],
        validator: .atKeyword(TelegramTokenValidator.validate)
    )
}

enum TelegramTokenValidator {
    static let secretLength = 35

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let colon = hit.range.lowerBound
        let secret = (colon + 1)..<(colon + 1 + secretLength)
        guard text.hasPrefix(":AA", at: colon), TokenShape.all(text, secret, ScanBytes.isBase64URL),
            TokenShape.endsToken(text, at: secret.upperBound)
        else { return .noMatch }
        var start = colon
        while start > 0 && colon - start <= 10 && ScanBytes.isDigit(text[start - 1]) { start -= 1 }
        guard (8...10).contains(colon - start), text[start] != 0x30, isIDBoundary(text, before: start),
            ScanBytes.classCount(text.bytes, (colon + 3)..<secret.upperBound) >= 2,
            TokenShape.looksRandom(text, (colon + 3)..<secret.upperBound, minimumDistinct: 12)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<secret.upperBound, mask: .prefixAndLength("")))
    }

    /// Nothing token-like before the ID, or the `bot` of a Bot API URL path (`/bot123…`).
    private static func isIDBoundary(_ text: ScanText, before start: Int) -> Bool {
        let b = text[start - 1]
        if !ScanBytes.isBase64URL(b) && b != 0x3A && b != 0x2E { return true }
        return text.lowerHasPrefix("bot", at: start - 3) && !ScanBytes.isAlnum(text[start - 4])
    }
}
