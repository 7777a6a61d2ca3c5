extension Detector {
    /// OpenAI API keys: legacy `sk-` + 48 alphanumerics, and `sk-proj-`, `sk-svcacct-`, `sk-admin-`,
    /// `sk-None-` + 40–256 characters of `[A-Za-z0-9_-]` (today 48, 124 or 156, with `T3BlbkFJ`,
    /// base64 of "OpenAI", inside).
    ///
    /// The key must stand alone (no token character before `sk-`), which keeps `task-`, `risk-` and `disk-`
    /// quiet, and must mix upper case, lower case and digits, which keeps `sk-xxxx…` and `sk-your-key` quiet.
    public static let openAIAPIKey = Detector(
        id: "openai-api-key",
        summary: "An OpenAI API key; it spends the owner's credit and reads their organisation's data.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["sk-"],
        validator: .atKeyword(OpenAIKeyValidator.validate)
    )
}

enum OpenAIKeyValidator {
    static let maximumLength = 256

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        guard text.hasPrefix("sk-", at: start), !ScanBytes.isBase64URL(text[start - 1]) else { return .noMatch }
        let afterDash = start + 3
        var bodyStart = afterDash
        for kind in ["proj-", "svcacct-", "admin-", "None-"] where hasPrefix(text, kind, at: afterDash) {
            bodyStart = afterDash + kind.utf8.count
        }

        if bodyStart == afterDash {
            // Legacy: exactly 48 alphanumerics.
            let end = afterDash + 48
            guard end <= text.count, !ScanBytes.isBase64URL(text[end]) else { return .noMatch }
            for i in afterDash..<end where !ScanBytes.isAlnum(text[i]) { return .noMatch }
            return accept(text, start..<end, prefixEnd: afterDash)
        }

        var end = bodyStart
        while ScanBytes.isBase64URL(text[end]) {
            end += 1
            if end - bodyStart > maximumLength { return .noMatch }
        }
        guard end - bodyStart >= 40 else { return .noMatch }
        return accept(text, start..<end, prefixEnd: bodyStart)
    }

    private static func accept(_ text: ScanText, _ range: Range<Int>, prefixEnd: Int) -> DetectorVerdict {
        let body = prefixEnd..<range.upperBound
        guard ScanBytes.classCount(text.bytes, body) == 3, !ValueHeuristics.isPlaceholder(text, body) else {
            return .noMatch
        }
        return .match(DetectorMatch(range: range, mask: .prefixAndLength(text.string(range.lowerBound..<prefixEnd))))
    }

    private static func hasPrefix(_ text: ScanText, _ literal: String, at offset: Int) -> Bool {
        var i = offset
        for byte in literal.utf8 {
            guard text[i] == byte else { return false }
            i += 1
        }
        return true
    }
}
