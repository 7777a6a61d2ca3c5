/// Decodes the encoded runs of one or more views into a single decoded view, within a byte budget.
///
/// Each decoded byte maps to the characters that encoded it (`%41` → 3 characters, a hex pair → 2, a base64
/// byte → the 2 characters holding its bits), so a finding in decoded text maps to the smallest encoded span of
/// the original. Runs are separated by a newline that maps nowhere.
///
/// A run is kept only if it decodes to text: at most 1 byte in 10 may be a control character or broken UTF-8.
/// The first 48 decoded bytes are checked before the rest is decoded, so an image or a random ID costs a few
/// dozen operations. Base64 is tried at each of its 4 alignments and hex at both, since a run may carry a
/// prefix that is not part of the encoding (a chunk the ``TokenJoiner`` glued on, `0x` before hex).
///
/// Every byte decoded, kept or not, is charged to `budget`; when it runs out, decoding stops. That bounds the
/// work a hostile message can cause, however its encodings nest.
struct RunDecoder {
    /// Bytes left to decode in this scan.
    var budget: Int

    static let probeLength = 48

    init(budget: Int) { self.budget = budget }

    /// A view of every candidate run in `sources` that decodes to text, or nil if none does. With `onlyChanged`,
    /// a source's runs are tried only where that view differs from its own source (a folded view's runs that
    /// are not simply the message's).
    mutating func decode(_ sources: [(text: MappedText, onlyChanged: Bool)]) -> MappedText? {
        var builder = MappedText.Builder(capacity: 0)
        var any = false
        for (text, onlyChanged) in sources {
            for run in EncodedRunFinder.runs(in: text) {
                guard budget > 0 else { break }
                if onlyChanged && text.obfuscation(in: run.range).isEmpty { continue }
                let mark = builder.count
                let (before, after) = Self.context(of: run.range, in: text.bytes)
                builder.reserve(min(run.range.count, budget) + before.count + after.count + 1)
                if any { builder.appendSeparator(0x0A) }
                builder.copy(before, of: text)
                if decode(run, of: text, into: &builder) {
                    builder.copy(after, of: text)
                    any = true
                } else {
                    builder.truncate(to: mark)
                }
            }
        }
        return any ? builder.build() : nil
    }

    /// The most bytes of the line around a run copied with its decoded text.
    static let contextLength = 40

    /// The text on the run's line just before and after it, at most ``contextLength`` bytes each and cut at
    /// whole UTF-8 characters. Copied around the decoded bytes, so a detector that needs a keyword before or
    /// after its value (`SSN: `, `password is `, `… is the twilio one`) sees it next to the decoded value:
    /// people encode the secret, not the sentence. The copies are of the message as written, so on their own
    /// they find only what the message already shows.
    /// A run glued to other token characters (a hex run inside a longer token) gets no context on that side:
    /// the token around it would run on into the decoded bytes and widen a finding past them.
    static func context(of range: Range<Int>, in bytes: [UInt8]) -> (Range<Int>, Range<Int>) {
        func glued(_ i: Int) -> Bool { i >= 0 && i < bytes.count && ScanBytes.isAlnum(bytes[i]) }
        var start = range.lowerBound
        let lowest = max(0, range.lowerBound - contextLength)
        while start > lowest && bytes[start - 1] != 0x0A && bytes[start - 1] != 0x0D { start -= 1 }
        while start < range.lowerBound && bytes[start] & 0xC0 == 0x80 { start += 1 }
        var end = range.upperBound
        let highest = min(bytes.count, range.upperBound + contextLength)
        while end < highest && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
        while end > range.upperBound && end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        if glued(range.lowerBound - 1) || (range.lowerBound > 0 && "_-+/".utf8.contains(bytes[range.lowerBound - 1])) {
            start = range.lowerBound
        }
        if glued(range.upperBound) || (range.upperBound < bytes.count && "_-+/".utf8.contains(bytes[range.upperBound])) {
            end = range.upperBound
        }
        return (start..<range.lowerBound, range.upperBound..<end)
    }

    private mutating func decode(_ run: EncodedRunFinder.Run, of text: MappedText, into builder: inout MappedText.Builder) -> Bool {
        text.bytes.withUnsafeBufferPointer { p in
            // Probes (`emit: false`) decode into nothing: they only run the text check.
            switch run.kind {
            case .percent:
                return decodePercent(p, run.range, text, &builder)
            case .base64:
                for offset in 0..<4 where run.range.count - offset >= EncodedRunFinder.minimumBase64Length {
                    let range = (run.range.lowerBound + offset)..<run.range.upperBound
                    guard decodeBase64(p, range, text, &builder, emit: false, limit: Self.probeLength) else { continue }
                    return decodeBase64(p, range, text, &builder, emit: true, limit: Int.max)
                }
                return false
            case .hex:
                for offset in 0..<2 where run.range.count - offset >= EncodedRunFinder.minimumHexLength {
                    let range = (run.range.lowerBound + offset)..<run.range.upperBound
                    guard decodeHex(p, range, text, &builder, emit: false, limit: Self.probeLength) else { continue }
                    return decodeHex(p, range, text, &builder, emit: true, limit: Int.max)
                }
                return false
            }
        }
    }

    // MARK: Codecs

    private mutating func decodePercent(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: MappedText, _ builder: inout MappedText.Builder
    ) -> Bool {
        var check = TextCheck(expected: range.count)
        var i = range.lowerBound
        while i < range.upperBound && budget > 0 {
            let byte: UInt8
            let width: Int
            if p[i] == 0x25 && i + 2 < range.upperBound && EncodedRunFinder.isHexDigit(p[i + 1])
                && EncodedRunFinder.isHexDigit(p[i + 2])
            {
                byte = EncodedRunFinder.hexValue(p[i + 1]) << 4 | EncodedRunFinder.hexValue(p[i + 2])
                width = 3
            } else {
                byte = p[i]
                width = 1
            }
            builder.append(byte, from: text, i..<(i + width), adding: .urlEncoded)
            budget -= 1
            guard check.add(byte) else { return false }
            i += width
        }
        return check.isText
    }

    /// Decodes base64 or base64url (either alphabet, even mixed) from `range`, ignoring `=` padding.
    private mutating func decodeBase64(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: MappedText, _ builder: inout MappedText.Builder,
        emit: Bool, limit: Int
    ) -> Bool {
        var check = TextCheck(expected: min(limit, range.count * 3 / 4))
        var accumulator: UInt32 = 0
        var bits = 0
        var produced = 0
        for i in range {
            let value = Self.base64Values[Int(p[i])]
            guard value < 64 else {
                // `=` padding belongs to the last byte: redaction must not leave it behind.
                if emit && produced > 0 { builder.extendLast(over: i..<range.upperBound, of: text) }
                break
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                // The byte's bits came from this character and the one before.
                if emit { builder.append(byte, from: text, (i - 1)..<(i + 1), adding: .base64) }
                budget -= 1
                produced += 1
                guard check.add(byte) else { return false }
                if produced >= limit || budget <= 0 { break }
            }
        }
        return check.isText
    }

    private mutating func decodeHex(
        _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: MappedText, _ builder: inout MappedText.Builder,
        emit: Bool, limit: Int
    ) -> Bool {
        var check = TextCheck(expected: min(limit, range.count / 2))
        var i = range.lowerBound
        var produced = 0
        while i + 1 < range.upperBound && produced < limit && budget > 0 {
            let byte = EncodedRunFinder.hexValue(p[i]) << 4 | EncodedRunFinder.hexValue(p[i + 1])
            if emit { builder.append(byte, from: text, i..<(i + 2), adding: .hex) }
            budget -= 1
            produced += 1
            guard check.add(byte) else { return false }
            i += 2
        }
        return check.isText
    }

    /// 0–63 for both base64 alphabets, 64 for anything else.
    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 64, count: 256)
        for (value, b) in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8).enumerated() {
            table[Int(b)] = UInt8(value)
        }
        table[0x2B] = 62  // +
        table[0x2D] = 62  // -
        table[0x2F] = 63  // /
        table[0x5F] = 63  // _
        return table
    }()
}

/// Whether decoded bytes read as text: printable ASCII, tab and line breaks, and well-formed UTF-8.
///
/// Gives up as soon as more than a tenth of the expected length is bad, so binary fails within a few bytes.
struct TextCheck {
    private(set) var count = 0
    private(set) var bad = 0
    private var continuations = 0
    private let allowance: Int

    init(expected: Int) { allowance = max(expected, 1) / 10 }

    /// Adds a byte; false once the text is certainly not text.
    mutating func add(_ b: UInt8) -> Bool {
        count += 1
        if continuations > 0 {
            if b & 0xC0 == 0x80 {
                continuations -= 1
                return true
            }
            continuations = 0
            bad += 1
        }
        switch b {
        case 0x20...0x7E, 0x09, 0x0A, 0x0D: break
        case 0xC2...0xDF: continuations = 1
        case 0xE0...0xEF: continuations = 2
        case 0xF0...0xF4: continuations = 3
        default: bad += 1
        }
        return bad <= allowance
    }

    /// At most one byte in ten bad, counting an unfinished sequence at the end.
    var isText: Bool {
        count > 0 && (bad + (continuations > 0 ? 1 : 0)) * 10 <= count
    }
}
