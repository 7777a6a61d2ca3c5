/// The text a detector examines: its UTF-8 bytes, and an ASCII-lower-cased copy made once per scan.
///
/// Validators read `lowered` for case-insensitive context (keywords, labels) and `bytes` where case
/// matters (token alphabets, checksums). Reading past either end yields 0, which is no character class,
/// so boundary checks need no separate range test.
public struct ScanText: Sendable {
    public let bytes: [UInt8]
    public let lowered: [UInt8]

    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        // Only A-Z change, so byte offsets in `lowered` equal those in `bytes`.
        self.lowered = bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                for i in 0..<source.count {
                    let b = source[i]
                    target[i] = b &- 0x41 < 26 ? b | 0x20 : b
                }
                count = source.count
            }
        }
    }

    public var count: Int { bytes.count }

    /// The original byte at `offset`, or 0 outside the text.
    @inline(__always)
    public subscript(offset: Int) -> UInt8 {
        offset >= 0 && offset < bytes.count ? bytes[offset] : 0
    }

    /// The lower-cased byte at `offset`, or 0 outside the text.
    @inline(__always)
    public func lower(_ offset: Int) -> UInt8 {
        offset >= 0 && offset < lowered.count ? lowered[offset] : 0
    }

    /// Whether the lower-cased text at `offset` starts with `literal` (given in lower case).
    func lowerHasPrefix(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, offset + count <= lowered.count else { return false }
        let base = literal.utf8Start
        for k in 0..<count where lowered[offset + k] != base[k] { return false }
        return true
    }

    /// Whether the original text at `offset` starts with `literal`, case-sensitively.
    func hasPrefix(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        let base = literal.utf8Start
        for k in 0..<count where bytes[offset + k] != base[k] { return false }
        return true
    }

    /// The original text of `range` as a `String`; use only for parts that are not secret.
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The number of Unicode scalars in `range`, which is the byte count for ASCII.
    func scalarCount(_ range: Range<Int>) -> Int {
        var count = 0
        for i in range where bytes[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The byte length of the whitespace character at `offset`, or 0 if there is none.
    ///
    /// Covers ASCII whitespace and the Unicode spaces phones insert (no-break, thin, ideographic),
    /// so a value typed on a phone ends where a person sees it end.
    func whitespaceLength(at offset: Int) -> Int {
        let b = self[offset]
        switch b {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return 1
        case 0xC2: return self[offset + 1] == 0xA0 ? 2 : 0  // U+00A0
        case 0xE2:
            let b1 = self[offset + 1]
            let b2 = self[offset + 2]
            // U+2000–200B, U+2028, U+2029, U+202F
            if b1 == 0x80 && (b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { return 3 }
            if b1 == 0x81 && b2 == 0x9F { return 3 }  // U+205F
            return 0
        case 0xE3: return self[offset + 1] == 0x80 && self[offset + 2] == 0x80 ? 3 : 0  // U+3000
        default: return 0
        }
    }
}

/// ASCII character classes for hand-written validators.
enum ScanBytes {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) }
    /// `[A-Za-z0-9_-]`: base64url, and the body alphabet of most API tokens.
    @inline(__always) static func isBase64URL(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F || b == 0x2D }
    /// `[A-Za-z0-9+/]`: standard base64 without padding.
    @inline(__always) static func isBase64(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2B || b == 0x2F }
    @inline(__always) static func isQuote(_ b: UInt8) -> Bool { b == 0x22 || b == 0x27 || b == 0x60 }

    /// Which of upper case, lower case and digits `bytes[range]` contains, as a count 0...3.
    static func classCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var upper = false
        var lower = false
        var digit = false
        for i in range {
            let b = bytes[i]
            if isUpper(b) { upper = true } else if isLower(b) { lower = true } else if isDigit(b) { digit = true }
        }
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0)
    }

    /// How many distinct byte values `bytes[range]` holds; random tokens have many, placeholders few.
    static func distinctCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var seen = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var count = 0
        for i in range {
            let b = bytes[i]
            let bit = UInt64(1) << UInt64(b & 63)
            switch b >> 6 {
            case 0:
                if seen.0 & bit == 0 {
                    seen.0 |= bit
                    count += 1
                }
            case 1:
                if seen.1 & bit == 0 {
                    seen.1 |= bit
                    count += 1
                }
            case 2:
                if seen.2 & bit == 0 {
                    seen.2 |= bit
                    count += 1
                }
            default:
                if seen.3 & bit == 0 {
                    seen.3 |= bit
                    count += 1
                }
            }
        }
        return count
    }
}
