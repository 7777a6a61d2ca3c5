extension Detector {
    /// Slack tokens, checked against the segment shapes Slack issues (api.slack.com/authentication/token-types):
    ///
    /// - `xoxb-` bot: team and bot numbers then a 20–40 character secret, or the legacy `xoxb-<digits>-<secret>`.
    /// - `xoxp-`, `xoxe-` user and refresh: three numbers then a 24–40 character secret.
    /// - `xoxa-`, `xoxr-` workspace access and refresh: an optional version digit, then segments ending in an
    ///   8+ character secret with a digit.
    /// - `xoxs-`, `xoxo-` legacy: three numbers then 10+ hex digits.
    ///
    /// Requiring numeric segments keeps `xoxo-Anna`, `xoxb-your-token-here` and `xoxp-XXXX…` quiet.
    public static let slackToken = Detector(
        id: "slack-token",
        summary: "A Slack API token; it reads and posts in the workspace as its bot or user.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["xox"],
        validator: .atKeyword(SlackValidator.validate)
    )
}

enum SlackValidator {
    private struct Segment {
        var range: Range<Int>
        var allDigits = true
        var allHex = true
        var hasDigit = false
    }

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        guard text.hasPrefix("xox", at: start), !ScanBytes.isBase64URL(text[start - 1]), text[start + 4] == 0x2D
        else { return .noMatch }
        let type = text[start + 3]

        // Up to 8 alphanumeric segments joined by single dashes, at most 256 bytes in all.
        var segments: [Segment] = []
        var i = start + 5
        while segments.count < 8 && i - start < 256 {
            var segment = Segment(range: i..<i)
            while ScanBytes.isAlnum(text[i]) && i - start < 256 {
                let c = text[i]
                if !ScanBytes.isDigit(c) {
                    segment.allDigits = false
                    if !((c | 0x20) &- 0x61 < 6) { segment.allHex = false }
                } else {
                    segment.hasDigit = true
                }
                i += 1
            }
            segment.range = segment.range.lowerBound..<i
            guard !segment.range.isEmpty else { break }
            segments.append(segment)
            guard text[i] == 0x2D, ScanBytes.isAlnum(text[i + 1]) else { break }
            i += 1
        }
        guard let last = segments.last, !ScanBytes.isAlnum(text[last.range.upperBound]) else { return .noMatch }

        func digits(_ s: Segment, _ lengths: ClosedRange<Int>) -> Bool {
            s.allDigits && lengths.contains(s.range.count)
        }
        func secret(_ s: Segment, _ lengths: ClosedRange<Int>) -> Bool {
            !s.allDigits && lengths.contains(s.range.count) && ScanBytes.distinctCount(text.bytes, s.range) >= 8
        }

        let valid: Bool
        switch type {
        case 0x62:  // b
            valid =
                (segments.count == 3 && digits(segments[0], 8...14) && digits(segments[1], 8...14)
                    && secret(segments[2], 20...40))
                || (segments.count == 2 && digits(segments[0], 8...14) && secret(segments[1], 18...32))
        case 0x70, 0x65:  // p, e
            valid =
                segments.count == 4 && digits(segments[0], 8...14) && digits(segments[1], 8...14)
                && digits(segments[2], 8...14) && secret(segments[3], 24...40)
        case 0x61, 0x72:  // a, r
            let rest = segments.count > 1 && digits(segments[0], 1...1) ? segments.dropFirst() : segments[...]
            valid = secret(last, 8...64) && last.hasDigit && rest.dropLast().allSatisfy { $0.allDigits }
        case 0x73, 0x6F:  // s, o
            valid =
                segments.count == 4 && digits(segments[0], 1...14) && digits(segments[1], 1...14)
                && digits(segments[2], 1...14) && last.allHex && !last.allDigits && last.range.count >= 10
                && ScanBytes.distinctCount(text.bytes, last.range) >= 5
        default:
            valid = false
        }
        guard valid else { return .noMatch }
        return .match(
            DetectorMatch(
                range: start..<last.range.upperBound,
                mask: .prefixAndLength(text.string(start..<(start + 5)))
            )
        )
    }
}
