/// Shared shape checks for prefixed API tokens (Anthropic, Stripe, Shopify, …): boundaries, runs of one
/// alphabet, and the "does this look random" test that keeps documentation placeholders quiet.
enum TokenShape {
    /// Whether a token may start at `offset`: the byte before does not continue a token.
    @inline(__always)
    static func startsToken(_ text: ScanText, at offset: Int) -> Bool {
        !ScanBytes.isBase64URL(text[offset - 1])
    }

    /// Whether a token may end at `offset`: the byte there does not continue it.
    @inline(__always)
    static func endsToken(_ text: ScanText, at offset: Int) -> Bool {
        !ScanBytes.isBase64URL(text[offset])
    }

    /// Whether the keyword at `range` is written in lower case, as issued (`SK_LIVE_` is a variable name).
    static func isLowerCase(_ text: ScanText, _ range: Range<Int>) -> Bool {
        for i in range where text[i] != text.lower(i) { return false }
        return true
    }

    /// Whether `text[range]` lies inside the text and every byte passes `isMember`.
    static func all(_ text: ScanText, _ range: Range<Int>, _ isMember: (UInt8) -> Bool) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= text.count else { return false }
        for i in range where !isMember(text[i]) { return false }
        return true
    }

    /// The end of the run of `isMember` bytes starting at `offset`, reading at most `limit + 1` bytes,
    /// so a caller can tell "exactly `limit`" from "longer".
    static func runEnd(_ text: ScanText, from offset: Int, limit: Int, _ isMember: (UInt8) -> Bool) -> Int {
        var end = offset
        while end - offset <= limit && isMember(text[end]) { end += 1 }
        return end
    }

    /// `[0-9a-f]`: the lower-case hex that Twilio, Mailchimp and Shopify issue.
    @inline(__always)
    static func isLowerHex(_ b: UInt8) -> Bool { ScanBytes.isDigit(b) || b &- 0x61 < 6 }

    /// `[0-9A-Fa-f]`.
    @inline(__always)
    static func isHex(_ b: UInt8) -> Bool { ScanBytes.isDigit(b) || (b | 0x20) &- 0x61 < 6 }

    /// Whether a token body looks machine-generated rather than typed: at least `minimumDistinct` distinct
    /// bytes, no placeholder word (``ValueHeuristics/isPlaceholder(_:_:)``), and no run of 6 repeated or
    /// sequential characters (`aaaaaa`, `123456`, `abcdef`), which a random body of these lengths almost
    /// never holds but hand-made examples (`sk_live_1234567890abcdef…`) always do.
    static func looksRandom(_ text: ScanText, _ range: Range<Int>, minimumDistinct: Int) -> Bool {
        guard ScanBytes.distinctCount(text.bytes, range) >= minimumDistinct,
            !ValueHeuristics.isPlaceholder(text, range)
        else { return false }
        var repeated = 1
        var ascending = 1
        var descending = 1
        var previous = text[range.lowerBound]
        for i in (range.lowerBound + 1)..<range.upperBound {
            let b = text.lower(i)
            let p = previous | (ScanBytes.isUpper(previous) ? 0x20 : 0)
            repeated = b == p ? repeated + 1 : 1
            ascending = b == p &+ 1 ? ascending + 1 : 1
            descending = b == p &- 1 ? descending + 1 : 1
            if repeated >= 6 || ascending >= 6 || descending >= 6 { return false }
            previous = b
        }
        return true
    }
}

/// Looks for a token near a context keyword (`twilio`, `discord`) for formats with no literal prefix of
/// their own.
///
/// Tokens are maximal runs of `isTokenByte`; a run is offered to `accept` whole, so a candidate is never a
/// slice of a longer word. The search reads `behind` bytes before the keyword and `reach` bytes after it,
/// and extends `reach` past every further occurrence of the keyword it meets. It therefore covers the
/// windows of all later hits that start before where it stopped, and a miss can return
/// `.noMatchBefore(stop)`: a text full of the keyword is read once, not once per hit.
struct NearbyTokenSearch: Sendable {
    let keyword: StaticString
    var behind: Int
    var reach: Int
    /// Runs longer than this are never candidates; they are walked, not offered.
    var maximumLength: Int
    var isTokenByte: @Sendable (UInt8) -> Bool
    /// The range to report for a run, or nil. May extend past the run (`AC…:token` pairs).
    var accept: @Sendable (_ text: ScanText, _ run: Range<Int>) -> Range<Int>?

    func search(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        // Before the keyword: the nearest acceptable run wins, so take the last one.
        var before: Range<Int>?
        forEachRun(text, from: max(0, hit.range.lowerBound - behind), to: hit.range.lowerBound) { run in
            if let range = accept(text, run), range.upperBound <= hit.range.lowerBound { before = range }
            return true
        }
        // After it: the first acceptable run wins.
        var after: Range<Int>?
        var limit = min(text.count, hit.range.upperBound + reach)
        let first = keyword.utf8Start[0]
        let length = keyword.utf8CodeUnitCount
        var stop = hit.range.upperBound
        forEachRun(
            text, from: hit.range.upperBound, to: nil,
            extendLimit: { i in
                if text.lowered[i] == first && text.lowerHasPrefix(keyword, at: i) {
                    limit = min(text.count, max(limit, i + length + reach))
                }
                return limit
            },
            stopped: { stop = $0 }
        ) { run in
            if let range = accept(text, run) {
                after = range
                return false
            }
            return true
        }
        if let after { return .match(DetectorMatch(range: after, mask: .prefixAndLength(""))) }
        if let before { return .match(DetectorMatch(range: before, mask: .prefixAndLength(""))) }
        return .noMatchBefore(stop)
    }

    /// Calls `body` with each token run of at most `maximumLength` bytes that starts in the scanned span,
    /// until it returns false. With a fixed end `to`, scans `[from, to)`; otherwise scans until the limit
    /// `extendLimit` reports (called at every byte) and the run in progress there ends.
    private func forEachRun(
        _ text: ScanText, from: Int, to end: Int?, extendLimit: ((Int) -> Int)? = nil,
        stopped: ((Int) -> Void)? = nil, _ body: (Range<Int>) -> Bool
    ) {
        let bytes = text.bytes
        let n = bytes.count
        var i = from
        // A run already in progress at `from` started outside the span: not a whole token we can offer.
        var runStart: Int? = nil
        var dead = from > 0 && from <= n && isTokenByte(text[from - 1])
        var limit = end ?? n
        while i < n {
            if let extendLimit { limit = extendLimit(i) }
            // Past the limit, only a candidate run in progress is finished (at most `maximumLength` more bytes).
            if i >= limit && runStart == nil { break }
            if isTokenByte(bytes[i]) {
                if runStart == nil && !dead { runStart = i }
                if let s = runStart, i - s >= maximumLength {
                    runStart = nil
                    dead = true
                }
            } else {
                if let s = runStart, !body(s..<i) {
                    stopped?(i)
                    return
                }
                runStart = nil
                dead = false
            }
            i += 1
        }
        if i >= n, let s = runStart, !body(s..<n) {
            stopped?(n)
            return
        }
        stopped?(i)
    }
}
