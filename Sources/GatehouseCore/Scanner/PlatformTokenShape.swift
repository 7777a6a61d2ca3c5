/// Shared checks for prefixed platform tokens (cloud keys, code-hosting and registry tokens): runs of a
/// token alphabet, checksum encodings and the "is this random?" judgement for formats without a checksum.
enum PlatformTokenShape {
    /// The end of the run of bytes satisfying `isMember` that starts at `start`, reading at most `limit`
    /// bytes; nil if the run is longer, so a hostile run costs at most `limit` reads.
    @inline(__always)
    static func runEnd(_ text: ScanText, from start: Int, limit: Int, _ isMember: (UInt8) -> Bool) -> Int? {
        var i = start
        while isMember(text[i]) {
            i += 1
            if i - start > limit { return nil }
        }
        return i
    }

    /// `[0-9a-z]`: base36, as GitLab writes lengths and checksums.
    @inline(__always)
    static func isBase36(_ b: UInt8) -> Bool { ScanBytes.isDigit(b) || ScanBytes.isLower(b) }

    /// Whether a token body without a checksum looks random rather than typed by a person: enough distinct
    /// characters, not mostly ascending runs (`0123456789abcdef…`, `abcabc…`), and no placeholder word
    /// (``ValueHeuristics/isPlaceholder(_:_:)``: `xxxx`, `your`, `example`, `...`).
    ///
    /// A random body of 20+ characters has far more distinct characters than `minimumDistinct` and about one
    /// ascending pair in 16 (hex) or 62 (base62), so real tokens pass with near certainty.
    static func looksRandom(_ text: ScanText, _ range: Range<Int>, minimumDistinct: Int) -> Bool {
        guard ScanBytes.distinctCount(text.bytes, range) >= minimumDistinct else { return false }
        var ascending = 0
        var i = range.lowerBound + 1
        while i < range.upperBound {
            if text[i] == text[i - 1] &+ 1 { ascending += 1 }
            i += 1
        }
        guard ascending * 3 < range.count else { return false }
        return !ValueHeuristics.isPlaceholder(text, range)
    }

    /// Whether `text[range]` is `value` written in base `radix` with lower-case digits, zero-padded to the
    /// range's length (GitLab's CRC32 in base 36, padded to 7).
    static func matchesLowercaseRadix(_ text: ScanText, _ range: Range<Int>, value: UInt32, radix: UInt32) -> Bool {
        var remaining = value
        var i = range.upperBound - 1
        while i >= range.lowerBound {
            let digit = UInt8(remaining % radix)
            let expected = digit < 10 ? 0x30 + digit : 0x61 + digit - 10
            guard text[i] == expected else { return false }
            remaining /= radix
            i -= 1
        }
        return remaining == 0
    }

    /// The value of `text[range]` as lower-case base-36 digits, or nil if it holds anything else.
    static func base36Value(_ text: ScanText, _ range: Range<Int>) -> Int? {
        var value = 0
        for i in range {
            let b = text[i]
            if ScanBytes.isDigit(b) {
                value = value * 36 + Int(b - 0x30)
            } else if ScanBytes.isLower(b) {
                value = value * 36 + Int(b - 0x61) + 10
            } else {
                return nil
            }
        }
        return value
    }

    /// The 6-bit value of a base64 or base64url character, or nil.
    @inline(__always)
    static func base64Value(_ b: UInt8) -> UInt8? {
        if ScanBytes.isUpper(b) { return b - 0x41 }
        if ScanBytes.isLower(b) { return b - 0x61 + 26 }
        if ScanBytes.isDigit(b) { return b - 0x30 + 52 }
        switch b {
        case 0x2B, 0x2D: return 62  // + -
        case 0x2F, 0x5F: return 63  // / _
        default: return nil
        }
    }

    /// The byte at `index` of the base64 (or base64url) data encoded in `text[range]`, or nil if out of range.
    /// Reads the two characters that hold it, so a check of a few bytes does not decode the whole value.
    static func decodedByte(_ text: ScanText, _ range: Range<Int>, at index: Int) -> UInt8? {
        let bit = index * 8
        let c = range.lowerBound + bit / 6
        guard index >= 0, c + 1 < range.upperBound, let a = base64Value(text[c]), let b = base64Value(text[c + 1])
        else { return nil }
        let pair = UInt16(a) << 6 | UInt16(b)  // 12 bits; the byte starts `bit % 6` bits in
        return UInt8(truncatingIfNeeded: pair >> (4 - bit % 6))
    }

    /// How many bytes the unpadded base64 (or base64url) text of `length` characters decodes to.
    static func decodedCount(length: Int) -> Int { length * 6 / 8 }
}
