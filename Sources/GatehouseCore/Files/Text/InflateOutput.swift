/// The inflater's output: a manually managed buffer that grows by doubling and never past `limit`.
///
/// Writing through a pointer, with one capacity test per literal and one per back-reference, is what
/// makes inflating fast; a Swift array's per-append uniqueness and bounds checks cost several times
/// more. The limit is checked before any growth, so a bomb costs at most `limit` bytes of memory.
struct InflateOutput {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    let limit: Int

    init(sizeHint: Int, limit: Int) {
        self.limit = max(0, limit)
        // Never above the limit, so "full" always means "ask `reserve`", which enforces it.
        capacity = min(self.limit, max(sizeHint, 4096))
        base = .allocate(capacity: max(1, capacity))
    }

    /// Frees the buffer; the value must not be used afterwards.
    func deallocate() { base.deallocate() }

    /// The bytes written, copied into an array.
    func array() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Makes room for `extra` more bytes, or throws if that would pass the limit.
    mutating func reserve(_ extra: Int) throws {
        let needed = count + extra
        guard needed <= limit else { throw InflateError.outputLimitExceeded }
        guard needed > capacity else { return }
        let grown = min(limit, max(needed, capacity * 2))
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = grown
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) throws {
        if count == capacity { try reserve(1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try reserve(bytes.count)
        guard let source = bytes.baseAddress else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Copies `length` bytes from `distance` back; the caller has checked `distance <= count`.
    @inline(__always)
    mutating func appendMatch(distance: Int, length: Int) throws {
        try reserve(length)
        let target = base + count
        let source = target - distance
        if distance >= length {
            target.update(from: source, count: length)
        } else {
            // Overlapping: each byte may be one this copy just wrote (a run), so byte by byte.
            for k in 0..<length { target[k] = source[k] }
        }
        count += length
    }
}
