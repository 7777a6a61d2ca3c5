/// A canonical Huffman code (RFC 1951 §3.2.2) built from code lengths, with a lookup table for short codes.
///
/// Decoding peeks `fastBits` bits and finds most symbols in one table lookup; longer codes fall back to
/// walking the code lengths one bit at a time, as zlib's `puff.c` does. The table is small (at most
/// 512 entries) on purpose: a hostile stream can start a new dynamic block every few bytes, and each
/// block rebuilds its tables, so building must stay cheap for decoding to stay linear in practice.
///
/// Lengths are validated as zlib's `inflate_table` does: an over-subscribed code is refused, and an
/// incomplete one is accepted only as a single one-bit code (allowed for literal and distance codes).
struct HuffmanTable {
    /// Longest code DEFLATE allows.
    static let maximumLength = 15
    /// Most symbols in any DEFLATE code (fixed literal/length).
    static let maximumSymbols = 288

    /// Indexed by the next `fastBits` stream bits: `symbol << 4 | length`, or 0 for a longer or absent code.
    private var fast: [UInt16]
    /// `counts[n]`: how many symbols have an `n`-bit code.
    private var counts: [Int]
    /// Symbols in canonical code order.
    private var symbols: [UInt16]
    /// Scratch for sorting symbols by length.
    private var offsets: [Int]

    /// An empty code (decoding fails) whose storage ``build(lengths:isCodeLengthCode:)`` reuses, so a
    /// stream of many dynamic blocks does not allocate per block.
    init(fastBits: Int) {
        fast = Array(repeating: 0, count: 1 << fastBits)
        counts = Array(repeating: 0, count: Self.maximumLength + 1)
        symbols = Array(repeating: 0, count: Self.maximumSymbols)
        offsets = Array(repeating: 0, count: Self.maximumLength + 2)
    }

    /// A code built once from fixed lengths.
    init(lengths: [UInt8], fastBits: Int) throws {
        self.init(fastBits: fastBits)
        try build(lengths: lengths[...])
    }

    /// Replaces the code with the one `lengths` describe.
    /// - Parameter isCodeLengthCode: the code-length code of a dynamic header must be complete.
    mutating func build(lengths: ArraySlice<UInt8>, isCodeLengthCode: Bool = false) throws {
        for length in 0...Self.maximumLength { counts[length] = 0 }
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0

        var left = 1
        var longest = 0
        for length in 1...Self.maximumLength {
            left <<= 1
            left -= counts[length]
            if left < 0 { throw InflateError.invalidCodeLengths }  // over-subscribed
            if counts[length] > 0 { longest = length }
        }
        // An empty code is legal (a block of literals only needs no distance code); decoding from it fails.
        if left > 0 && longest > 0 && (isCodeLengthCode || longest != 1) { throw InflateError.invalidCodeLengths }

        offsets[1] = 0
        for length in 1...Self.maximumLength { offsets[length + 1] = offsets[length] + counts[length] }
        // Pointer loops: this runs once per dynamic block, which a hostile stream can send every few bytes.
        offsets.withUnsafeMutableBufferPointer { offsets in
            symbols.withUnsafeMutableBufferPointer { symbols in
                var symbol = 0
                for length in lengths {
                    if length != 0 {
                        symbols[offsets[Int(length)]] = UInt16(symbol)
                        offsets[Int(length)] += 1
                    }
                    symbol += 1
                }
            }
        }

        let shortest = min(fast.count.trailingZeroBitCount, longest)
        fast.withUnsafeMutableBufferPointer { fast in
            fast.update(repeating: 0)
            var code = 0
            var index = 0
            for length in stride(from: 1, through: shortest, by: 1) {
                for _ in 0..<counts[length] {
                    // Codes are sent most-significant bit first, so the table is indexed by the reversed code.
                    var reversed = 0
                    for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
                    let entry = UInt16(truncatingIfNeeded: Int(symbols[index]) << 4 | length)
                    var slot = reversed
                    while slot < fast.count {
                        fast[slot] = entry
                        slot += 1 << length
                    }
                    code += 1
                    index += 1
                }
                code <<= 1
            }
        }
    }

    /// Decodes one symbol from `reader`.
    @inline(__always)
    func decode(_ reader: inout InflateBitReader) throws -> Int {
        if reader.count < Self.maximumLength { reader.refill() }
        let entry = Int(fast[Int(truncatingIfNeeded: reader.buffer) & (fast.count - 1)])
        if entry != 0 {
            let length = entry & 15
            guard length <= reader.count else { throw InflateError.truncated }
            reader.consume(length)
            return entry >> 4
        }
        return try decodeSlowly(&reader)
    }

    /// Bit-by-bit canonical decoding (`puff.c`'s `decode`), for codes longer than the table and for
    /// bit patterns that are no code at all.
    private func decodeSlowly(_ reader: inout InflateBitReader) throws -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1...Self.maximumLength {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - first < count { return Int(symbols[index + code - first]) }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw InflateError.invalidSymbol
    }
}
