/// Text derived from a message (folded, rejoined, decoded) in which every byte knows where it came from.
///
/// Byte `i` carries the half-open range of *original-message* bytes it was made from and the ``Obfuscation``
/// steps that produced it. A fullwidth `Ａ` folded to `A` maps to the fullwidth character's 3 bytes; a byte
/// decoded from base64 maps to the 2 characters holding its bits; a removed zero-width space maps nowhere but
/// lies inside the span of any range around it.
///
/// Views compose: a view built from another view stores original offsets directly (looked up through the
/// parent), so a finding in a view of a view maps back in one step, ``sourceRange(of:)``. Bytes usually come in
/// source order, but a decoded view can hold overlapping candidates (a hex run inside a base64 run), so a range
/// maps to the smallest span covering all its bytes' sources, never to a bracket of its first and last byte.
///
/// The message itself is the *identity* view: no maps are stored, offsets are their own sources.
struct MappedText: Sendable {
    let bytes: [UInt8]
    /// Per byte, where it came from; empty for the identity view.
    private let maps: [Map]
    let isIdentity: Bool

    /// Where one byte came from: original bytes `start..<end` (`UInt32.max..<0` for a separator, which came
    /// from nothing), and the ``Obfuscation`` steps that made it. One array of these rather than one array per
    /// field, so appending a byte costs two appends, not four.
    struct Map: Sendable {
        var start: UInt32
        var end: UInt32
        var steps: UInt16

        static let separator = Map(start: UInt32.max, end: 0, steps: 0)
    }

    /// The largest message the maps can address (offsets are stored as `UInt32`).
    static let maximumCount = Int(UInt32.max - 1)

    /// The message as written: no maps, no steps.
    init(original bytes: [UInt8]) {
        self.bytes = bytes
        maps = []
        isIdentity = true
    }

    fileprivate init(bytes: [UInt8], maps: [Map]) {
        self.bytes = bytes
        self.maps = maps
        isIdentity = false
    }

    var count: Int { bytes.count }

    /// The original bytes that `range` of this view came from, or nil if it holds only separators.
    func sourceRange(of range: Range<Int>) -> Range<Int>? {
        guard !range.isEmpty else { return nil }
        if isIdentity { return range }
        var lower = UInt32.max
        var upper: UInt32 = 0
        for i in range {
            lower = min(lower, maps[i].start)
            upper = max(upper, maps[i].end)
        }
        return lower < upper ? Int(lower)..<Int(upper) : nil
    }

    /// The steps that produced the bytes of `range`, including removals just before its first byte.
    func obfuscation(in range: Range<Int>) -> Obfuscation {
        if isIdentity { return [] }
        var raw: UInt16 = 0
        for i in range { raw |= maps[i].steps }
        return Obfuscation(rawValue: raw)
    }

    /// Builds a view byte by byte from one or more parents. Removals are noted before the byte they precede.
    struct Builder {
        private var bytes: [UInt8] = []
        private var maps: [Map] = []
        /// Removal steps waiting for the next byte.
        private var pending: UInt16 = 0

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
            maps.reserveCapacity(capacity)
        }

        var count: Int { bytes.count }

        /// Makes room for `extra` more bytes at once, so a long run does not grow the arrays step by step.
        mutating func reserve(_ extra: Int) {
            if bytes.capacity < bytes.count + extra {
                let capacity = max(bytes.count + extra, bytes.capacity * 2)
                bytes.reserveCapacity(capacity)
                maps.reserveCapacity(capacity)
            }
        }

        /// Appends a byte made from the original bytes `source`.
        mutating func append(_ byte: UInt8, source: Range<Int>, steps added: Obfuscation) {
            bytes.append(byte)
            maps.append(
                Map(
                    start: UInt32(truncatingIfNeeded: source.lowerBound),
                    end: UInt32(truncatingIfNeeded: source.upperBound),
                    steps: added.rawValue | pending
                )
            )
            pending = 0
        }

        /// Appends a byte made from `range` of `parent`, inheriting the parent's steps for it.
        mutating func append(_ byte: UInt8, from parent: MappedText, _ range: Range<Int>, adding added: Obfuscation) {
            if parent.isIdentity {
                append(byte, source: range, steps: added)
                return
            }
            var map = Map(start: UInt32.max, end: 0, steps: added.rawValue | pending)
            for i in range {
                let source = parent.maps[i]
                map.start = min(map.start, source.start)
                map.end = max(map.end, source.end)
                map.steps |= source.steps
            }
            bytes.append(byte)
            maps.append(map)
            pending = 0
        }

        /// Appends `range` of `parent` unchanged.
        mutating func copy(_ range: Range<Int>, of parent: MappedText) {
            guard !range.isEmpty else { return }
            if range.count <= 16 {
                // Between closely spaced edits (a token spelled out): per-call overhead of a bulk append
                // outweighs the copy itself.
                for i in range {
                    bytes.append(parent.bytes[i])
                    maps.append(
                        parent.isIdentity
                            ? Map(start: UInt32(truncatingIfNeeded: i), end: UInt32(truncatingIfNeeded: i + 1), steps: 0)
                            : parent.maps[i]
                    )
                }
                maps[maps.count - range.count].steps |= pending
                pending = 0
                return
            }
            bytes.append(contentsOf: parent.bytes[range])
            let first = maps.count
            if parent.isIdentity {
                // A plain loop: `append(contentsOf: range.lazy.map …)` goes through the generic
                // `_copyContents` path, which profiled as the folded view's main cost.
                var offset = UInt32(truncatingIfNeeded: range.lowerBound)
                for _ in range {
                    maps.append(Map(start: offset, end: offset &+ 1, steps: 0))
                    offset &+= 1
                }
            } else {
                maps.append(contentsOf: parent.maps[range])
            }
            maps[first].steps |= pending
            pending = 0
        }

        /// Widens the last byte's source to cover `range` of `parent` too, such as base64 padding after it.
        mutating func extendLast(over range: Range<Int>, of parent: MappedText) {
            guard let last = maps.indices.last, let extra = parent.sourceRange(of: range) else { return }
            maps[last].end = max(maps[last].end, UInt32(truncatingIfNeeded: extra.upperBound))
        }

        /// Records that something was removed before the next byte.
        mutating func noteRemoval(_ step: Obfuscation) { pending |= step.rawValue }

        /// Appends a byte that came from nothing, such as the newline between two decoded runs.
        mutating func appendSeparator(_ byte: UInt8) {
            bytes.append(byte)
            maps.append(.separator)
            pending = 0
        }

        /// Drops bytes appended after the first `count`, such as a decoded run that proved not to be text.
        mutating func truncate(to count: Int) {
            guard count < bytes.count else { return }
            bytes.removeSubrange(count...)
            maps.removeSubrange(count...)
            pending = 0
        }

        func build() -> MappedText { MappedText(bytes: bytes, maps: maps) }
    }
}
