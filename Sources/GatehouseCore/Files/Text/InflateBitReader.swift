/// Reads DEFLATE's least-significant-bit-first bit stream (RFC 1951 §3.1.1) from a byte buffer.
///
/// Up to 64 bits are kept in a register so the Huffman decoder can peek a whole table index at once.
/// Reading past the end throws ``InflateError/truncated`` instead of inventing zero bits, so a cut
/// stream is refused rather than decoded into plausible-looking garbage.
struct InflateBitReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte not yet loaded into `buffer`.
    private var position = 0
    /// Loaded bits, the next one in bit 0.
    private(set) var buffer: UInt64 = 0
    /// How many bits of `buffer` are valid.
    private(set) var count = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Loads whole bytes until at least 57 bits are buffered or the input ends.
    @inline(__always)
    mutating func refill() {
        while count <= 56 && position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(count)
            position += 1
            count += 8
        }
    }

    /// The next `n` bits (0...32) as an integer, first bit lowest.
    @inline(__always)
    mutating func bits(_ n: Int) throws -> Int {
        if count < n {
            refill()
            if count < n { throw InflateError.truncated }
        }
        let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) &- 1))
        consume(n)
        return value
    }

    /// Drops `n` bits the caller has already examined in `buffer`; `n` must not exceed `count`.
    @inline(__always)
    mutating func consume(_ n: Int) {
        buffer = n == 64 ? 0 : buffer >> UInt64(n)
        count -= n
    }

    /// Skips to the next byte boundary, as a stored block requires (§3.2.4).
    mutating func alignToByte() { consume(count & 7) }

    /// Appends the next `length` bytes, which must start on a byte boundary, to `output`.
    mutating func copyBytes(_ length: Int, into output: inout InflateOutput) throws {
        var remaining = length
        // Whole bytes already in the register come first.
        while remaining > 0 && count >= 8 {
            try output.append(UInt8(truncatingIfNeeded: buffer))
            consume(8)
            remaining -= 1
        }
        guard remaining > 0 else { return }
        guard bytes.count - position >= remaining else { throw InflateError.truncated }
        try output.append(UnsafeBufferPointer(rebasing: bytes[position..<(position + remaining)]))
        position += remaining
    }
}
