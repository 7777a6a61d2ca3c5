/// The one keywordless pass shared by the IBAN and national-ID detectors: it visits each run of digits once
/// and asks the formats whose shape starts there (``IdentityNumberSweep/match(_:run:)``) to confirm one.
///
/// Every format here is anchored on a digit run (`DE89…`, `X1234567L`, `123-45-6789`), so the pass costs one
/// compare per byte of text plus a bounded look around each run: at most ~40 bytes ahead for the number and
/// ``contextWindow`` bytes back for a context word, so its time is linear in the text whatever it holds.
enum IdentityNumberSweep {
    static let shared = SharedSweep(name: "identity-numbers", run: scan)

    static func scan(_ text: ScanText) -> [SharedSweep.Match] {
        var matches: [SharedSweep.Match] = []
        text.bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var i = 0
            let base = UnsafeRawPointer(p.baseAddress)
            while i < n {
                // The hot loop: chat is mostly letters, spaces and punctuation, so skip eight bytes at a time
                // to the word holding the next digit, then find it.
                if let base {
                    while i + 8 <= n && !Self.hasDigit(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                        i += 8
                    }
                }
                while i < n && p[i] &- 0x30 >= 10 { i += 1 }
                guard i < n else { break }
                let start = i
                while i < n && p[i] &- 0x30 < 10 { i += 1 }
                if let found = match(text, run: start..<i) {
                    matches.append(found)
                    i = max(i, found.match.range.upperBound)
                }
            }
        }
        return matches
    }

    /// Whether any of the eight bytes of `word` is an ASCII digit, without a branch per byte ("hasbetween",
    /// Sean Anderson's bit hacks): a byte's high bit ends up set exactly when it is below 0x80, above 0x2F
    /// and below 0x3A. No byte carries or borrows into its neighbour, so there are no false hits.
    @inline(__always) static func hasDigit(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7 = word & (ones &* 0x7F)
        let belowColon = (ones &* (0x7F + 0x3A)) &- low7
        let aboveSlash = low7 &+ (ones &* (0x7F - 0x2F))
        return belowColon & aboveSlash & ~word & (ones &* 0x80) != 0
    }

    static func found(_ kind: IdentityNumberKind, _ range: Range<Int>) -> SharedSweep.Match {
        SharedSweep.Match(detectorID: kind.rawValue, match: DetectorMatch(range: range, mask: .fixed(kind.maskLabel)))
    }

    // MARK: Boundaries

    /// Whether a number may start at `start`: not inside a word or identifier, not after `+` (a phone number),
    /// and not continuing a number (`12.345`, `12-345`, `12/345`, `12:345`).
    static func startsToken(_ t: ScanText, at start: Int) -> Bool {
        let b = t[start - 1]
        if ScanBytes.isAlnum(b) || b == 0x5F || b == 0x2B { return false }
        return !(isJoiner(b) && ScanBytes.isDigit(t[start - 2]))
    }

    /// Whether a number may end at `end`: the same rules as ``startsToken(_:at:)``, looking right.
    static func endsToken(_ t: ScanText, at end: Int) -> Bool {
        let b = t[end]
        if ScanBytes.isAlnum(b) || b == 0x5F { return false }
        return !(isJoiner(b) && ScanBytes.isDigit(t[end + 1]))
    }

    /// `.`, `,`, `-`, `/`, `:`: between digits they join one number (decimals, dates, times, ranges).
    @inline(__always) static func isJoiner(_ b: UInt8) -> Bool {
        b == 0x2E || b == 0x2C || b == 0x2D || b == 0x2F || b == 0x3A
    }

    // MARK: Grouped digits

    /// The end of a number of `sizes` digit groups from `start`, each group joined to the next by exactly one
    /// `separator`, or nil. It must be a whole token: a group of the same separator and digits on either side
    /// means a longer number (a card's first twelve digits are not an Aadhaar number).
    static func groupedEnd(_ t: ScanText, from start: Int, sizes: [Int], separator: UInt8) -> Int? {
        guard startsToken(t, at: start), !(t[start - 1] == separator && ScanBytes.isDigit(t[start - 2])) else {
            return nil
        }
        var i = start
        for (k, size) in sizes.enumerated() {
            if k > 0 {
                guard t[i] == separator else { return nil }
                i += 1
            }
            for _ in 0..<size {
                guard ScanBytes.isDigit(t[i]) else { return nil }
                i += 1
            }
        }
        guard endsToken(t, at: i), !(t[i] == separator && ScanBytes.isDigit(t[i + 1])) else { return nil }
        return i
    }

    /// The digit values in `range`, separators skipped.
    static func digits(_ t: ScanText, _ range: Range<Int>) -> [Int] {
        var values: [Int] = []
        values.reserveCapacity(range.count)
        for i in range where ScanBytes.isDigit(t[i]) { values.append(Int(t[i] &- 0x30)) }
        return values
    }

    // MARK: Context

    /// How far before a number a context word may end: "Burgerservicenummer (BSN): " fits, as does
    /// "my social security number is ".
    static let contextWindow = 48

    /// Whether one of `words` occurs in the `contextWindow` bytes before `start`.
    ///
    /// ASCII words match case-insensitively and as whole words (`sin` is not in `using`); a word written with
    /// capitals matches only as written, for words that are ordinary in lower case (`SIN` but not Spanish
    /// "sin", "without"). Words in other scripts match as their UTF-8 bytes.
    static func hasContext(_ t: ScanText, before start: Int, _ words: [ContextWord]) -> Bool {
        let from = max(0, start - contextWindow)
        for word in words {
            let w = word.bytes
            let source = word.caseSensitive ? t.bytes : t.lowered
            var i = from
            while i + w.count <= start {
                if source[i] == w[0] {
                    var k = 1
                    while k < w.count && source[i + k] == w[k] { k += 1 }
                    if k == w.count
                        && (!word.isASCII || (!ScanBytes.isLetter(t[i - 1]) && !ScanBytes.isLetter(t[i + k])))
                    {
                        return true
                    }
                }
                i += 1
            }
        }
        return false
    }
}

/// A word that names an ID near its number, such as `SSN` or `burgerservicenummer`.
struct ContextWord: Sendable, ExpressibleByStringLiteral {
    let bytes: [UInt8]
    /// Written with a capital: match exactly; otherwise match the lower-cased text.
    let caseSensitive: Bool
    let isASCII: Bool

    init(stringLiteral value: String) {
        bytes = Array(value.utf8)
        caseSensitive = bytes.contains(where: ScanBytes.isUpper)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }
}
