/// The first half of the folded view: undoes disguises that work one scalar at a time (``ScalarFold``).
///
/// - Invisible scalars (zero-width spaces and joiners, bidi controls, soft hyphens, variation selectors, tags,
///   other default-ignorables and format characters) are removed where they touch ASCII text: `AKIA\u{200B}…`.
///   Elsewhere they are kept (the variation selector of an emoji, a joiner between Arabic letters), so ordinary
///   multilingual chat needs no folded view at all.
/// - Compatibility forms whose NFKC form is ASCII (fullwidth `ＡＫＩＡ`, mathematical bold `𝐀𝐊𝐈𝐀`, circled,
///   superscripts) are always replaced by it.
/// - Look-alikes of Latin letters and digits (Cyrillic `А`, Greek `Ο`, …) are replaced only inside a chunk
///   (a run between spaces) that also holds an ASCII letter or digit: `AKІA` (Cyrillic `І`) is a disguised key,
///   `Привет` is a Russian word. A token made entirely of look-alikes is therefore not folded.
/// - Combining diacritics after an ASCII letter or digit (strike-through `A̶K̶I̶A̶`) are removed.
///
/// NFKC is applied per scalar, not with composition across scalars: only scalars that become ASCII matter to
/// the detectors. Returns nil when nothing changes, which is always the case for ASCII text.
enum ScalarFolder {
    static func fold(_ text: MappedText) -> MappedText? {
        text.bytes.withUnsafeBufferPointer { p -> MappedText? in
            guard hasNonASCII(p) else { return nil }
            var folder = Run(text: text, p: p)
            folder.run()
            return folder.builder?.build()
        }
    }

    /// Whether any byte is 0x80 or above, eight bytes at a time.
    static func hasNonASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var i = 0
        var any: UInt64 = 0
        while i + 8 <= p.count {
            any |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < p.count {
            any |= UInt64(p[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 != 0
    }

    fileprivate struct Run {
        let text: MappedText
        let p: UnsafeBufferPointer<UInt8>
        /// Created at the first change; until then the output is the input.
        var builder: MappedText.Builder?
        /// Input before this offset is in the output (or was removed).
        var flushed = 0
        /// The last output byte, 0x80 standing for any non-ASCII scalar, 0 for the start.
        var previous: UInt8 = 0

        init(text: MappedText, p: UnsafeBufferPointer<UInt8>) {
            self.text = text
            self.p = p
        }

        mutating func run() {
            let n = p.count
            var i = 0
            while i < n {
                // ASCII needs no folding: jump to the next non-ASCII byte, then back to the start of its chunk
                // (never before `i`, so no byte is looked at twice by this loop).
                let j = nextNonASCII(from: i)
                guard j < n else { break }
                let (scalar, length) = decode(at: j)
                if ScalarFold.action(ScalarFold.entry(scalar)) == .space {
                    i = j + length
                    continue
                }
                var start = j
                while start > i && !ScalarFolder.isASCIISpace(p[start - 1]) { start -= 1 }
                if start > 0 {
                    let before = p[start - 1]
                    previous = before < 0x80 ? before : 0x20
                }
                i = chunk(from: start)
            }
            if builder != nil { flush(to: n) }
        }

        /// The offset of the first byte at or after `offset` that is 0x80 or above, or the end; 8 bytes at a time.
        private func nextNonASCII(from offset: Int) -> Int {
            let n = p.count
            var i = offset
            if let base = p.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= n {
                    if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
            }
            while i < n && p[i] < 0x80 { i += 1 }
            return i
        }

        /// Folds the chunk starting at `start`; returns its end.
        private mutating func chunk(from start: Int) -> Int {
            // Pass 1: find the end, and whether the chunk has ASCII letters or digits and anything non-ASCII.
            var end = start
            var hasAlnum = false
            var hasNonASCII = false
            scan: while end < p.count {
                let b = p[end]
                if b < 0x80 {
                    if ScalarFolder.isASCIISpace(b) { break }
                    if ScanBytes.isAlnum(b) { hasAlnum = true }
                    end += 1
                    continue
                }
                let (scalar, length) = decode(at: end)
                let entry = ScalarFold.entry(scalar)
                switch ScalarFold.action(entry) {
                case .space: break scan
                case .compatibilityByte: if ScanBytes.isAlnum(UInt8(ScalarFold.operand(entry))) { hasAlnum = true }
                case .compatibilityString: hasAlnum = true
                default: break
                }
                hasNonASCII = true
                end += length
            }
            if hasNonASCII {
                fold(start, end, mixed: hasAlnum)
            } else {
                previous = p[end - 1]
            }
            return end
        }

        /// Pass 2: fold the scalars of a chunk that holds something non-ASCII.
        private mutating func fold(_ start: Int, _ end: Int, mixed: Bool) {
            var i = start
            while i < end {
                let b = p[i]
                if b < 0x80 {
                    previous = b
                    i += 1
                    continue
                }
                let (scalar, length) = decode(at: i)
                let entry = ScalarFold.entry(scalar)
                switch ScalarFold.action(entry) {
                case .keep, .space:
                    previous = 0x80
                    i += length
                case .ignorable:
                    // The whole run of invisibles goes, or stays, together.
                    var runEnd = i + length
                    var steps = ScalarFold.operand(entry)
                    while runEnd < end, p[runEnd] >= 0x80 {
                        let (next, nextLength) = decode(at: runEnd)
                        let nextEntry = ScalarFold.entry(next)
                        guard ScalarFold.action(nextEntry) == .ignorable else { break }
                        steps |= ScalarFold.operand(nextEntry)
                        runEnd += nextLength
                    }
                    if ScalarFolder.isVisibleASCII(previous) || foldsToVisibleASCII(at: runEnd, end: end, mixed: mixed) {
                        remove(i..<runEnd, Obfuscation(rawValue: steps))
                    } else {
                        previous = 0x80
                    }
                    i = runEnd
                case .mark:
                    if ScanBytes.isAlnum(previous) {
                        remove(i..<(i + length), .combiningMark)
                    } else {
                        previous = 0x80
                    }
                    i += length
                case .compatibilityByte:
                    replace(i..<(i + length), with: UInt8(ScalarFold.operand(entry)), .compatibility)
                    i += length
                case .compatibilityString:
                    for byte in ScalarFold.strings[Int(ScalarFold.operand(entry))] {
                        replace(i..<(i + length), with: byte, .compatibility)
                    }
                    i += length
                case .homoglyph:
                    if mixed {
                        replace(i..<(i + length), with: UInt8(ScalarFold.operand(entry)), .homoglyph)
                    } else {
                        previous = 0x80
                    }
                    i += length
                }
            }
        }

        /// Whether the scalar at `offset` is, or folds to, visible ASCII.
        private func foldsToVisibleASCII(at offset: Int, end: Int, mixed: Bool) -> Bool {
            guard offset < end else { return false }
            if p[offset] < 0x80 { return ScalarFolder.isVisibleASCII(p[offset]) }
            let entry = ScalarFold.entry(decode(at: offset).scalar)
            switch ScalarFold.action(entry) {
            case .compatibilityByte, .compatibilityString: return true
            case .homoglyph: return mixed
            default: return false
            }
        }

        private mutating func remove(_ range: Range<Int>, _ step: Obfuscation) {
            flush(to: range.lowerBound)
            builder!.noteRemoval(step)
            flushed = range.upperBound
        }

        /// Appends one output byte for the scalar at `range`; called once per byte of a multi-byte fold.
        private mutating func replace(_ range: Range<Int>, with byte: UInt8, _ step: Obfuscation) {
            flush(to: range.lowerBound)
            builder!.append(byte, from: text, range, adding: step)
            flushed = range.upperBound
            previous = byte
        }

        private mutating func flush(to offset: Int) {
            if builder == nil { builder = MappedText.Builder(capacity: p.count) }
            if flushed < offset { builder!.copy(flushed..<offset, of: text) }
            flushed = max(flushed, offset)
        }

        /// The scalar starting at `offset` and its length in bytes; a stray byte decodes as itself.
        @inline(__always) private func decode(at offset: Int) -> (scalar: UInt32, length: Int) {
            let b0 = UInt32(p[offset])
            let n = p.count
            if b0 < 0x80 { return (b0, 1) }
            if b0 >= 0xC0 && b0 < 0xE0 && offset + 1 < n {
                return ((b0 & 0x1F) << 6 | UInt32(p[offset + 1] & 0x3F), 2)
            }
            if b0 >= 0xE0 && b0 < 0xF0 && offset + 2 < n {
                return ((b0 & 0x0F) << 12 | UInt32(p[offset + 1] & 0x3F) << 6 | UInt32(p[offset + 2] & 0x3F), 3)
            }
            if b0 >= 0xF0 && offset + 3 < n {
                let value =
                    (b0 & 0x07) << 18 | UInt32(p[offset + 1] & 0x3F) << 12 | UInt32(p[offset + 2] & 0x3F) << 6
                    | UInt32(p[offset + 3] & 0x3F)
                return (value, 4)
            }
            return (0xFFFD, 1)
        }
    }

    @inline(__always) static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    @inline(__always) static func isVisibleASCII(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F }
}
