extension Detector {
    /// Slack incoming-webhook and workflow URLs: anyone holding one can post into the channel.
    ///
    /// - `hooks.slack.com/services/T…/B…/<24 alphanumerics>` (incoming webhooks, api.slack.com/messaging/webhooks)
    /// - `hooks.slack.com/workflows/T…/A…/<digits>/<secret>` and `hooks.slack.com/triggers/T…/<digits>/<secret>`
    ///   (Workflow Builder webhooks), whose secret is 20–48 alphanumerics.
    ///
    /// IDs are upper-case letters and digits after their type letter (`T` team, `B` bot, `A` app), 8–12
    /// characters, as gitleaks' `slack-webhook-url` expects. The finding starts at `https://` (or `http://`)
    /// when present; the mask keeps the public part up to the path kind.
    public static let slackWebhookURL = Detector(
        id: "slack-webhook-url",
        summary: "A Slack incoming-webhook or workflow URL; whoever has it can post into the channel.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["hooks.slack.com/"],
        validator: .atKeyword(SlackWebhookValidator.validate)
    )
}

enum SlackWebhookValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        var start = hit.range.lowerBound
        if text.lowerHasPrefix("https://", at: start - 8) {
            start -= 8
        } else if text.lowerHasPrefix("http://", at: start - 7) {
            start -= 7
        } else if ScanBytes.isBase64URL(text[start - 1]) || text[start - 1] == 0x2E {
            return .noMatch  // another host, such as `myhooks.slack.com`
        }
        let kindStart = hit.range.upperBound
        let isServices = text.hasPrefix("services/", at: kindStart)
        let kindEnd: Int
        if isServices {
            kindEnd = kindStart + 9
        } else if text.hasPrefix("workflows/", at: kindStart) {
            kindEnd = kindStart + 10
        } else if text.hasPrefix("triggers/", at: kindStart) {
            kindEnd = kindStart + 9
        } else {
            return .noMatch
        }

        // Up to 6 alphanumeric path segments of at most 64 bytes each.
        var segments: [Range<Int>] = []
        var i = kindEnd
        while segments.count < 6 {
            let end = TokenShape.runEnd(text, from: i, limit: 64, ScanBytes.isAlnum)
            guard end > i, end - i <= 64 else { return .noMatch }
            segments.append(i..<end)
            i = end
            guard text[i] == 0x2F, ScanBytes.isAlnum(text[i + 1]) else { break }
            i += 1
        }
        guard let secret = segments.last, segments.count >= 3, !ScanBytes.isBase64URL(text[secret.upperBound]),
            isID(text, segments[0], type: 0x54)  // T: the workspace
        else { return .noMatch }

        if isServices {
            // Bot ID (B…), then a 24-character secret.
            guard segments.count == 3, isID(text, segments[1], type: 0x42), secret.count == 24 else { return .noMatch }
        } else {
            // Workflow webhooks: app ID and numeric trigger IDs between team and secret.
            guard segments.count <= 5, (20...48).contains(secret.count),
                segments[1..<(segments.count - 1)].allSatisfy({ isID(text, $0, type: 0x41) || isNumber(text, $0) })
            else { return .noMatch }
        }
        guard ScanBytes.classCount(text.bytes, secret) >= 2,
            TokenShape.looksRandom(text, secret, minimumDistinct: 10)
        else { return .noMatch }
        return .match(
            DetectorMatch(range: start..<secret.upperBound, mask: .prefixAndLength(text.string(start..<kindEnd)))
        )
    }

    /// A Slack ID: its type letter, then 8–12 upper-case letters and digits.
    private static func isID(_ text: ScanText, _ range: Range<Int>, type: UInt8) -> Bool {
        (9...13).contains(range.count) && text[range.lowerBound] == type
            && TokenShape.all(text, range) { ScanBytes.isUpper($0) || ScanBytes.isDigit($0) }
    }

    private static func isNumber(_ text: ScanText, _ range: Range<Int>) -> Bool {
        (8...24).contains(range.count) && TokenShape.all(text, range, ScanBytes.isDigit)
    }
}
