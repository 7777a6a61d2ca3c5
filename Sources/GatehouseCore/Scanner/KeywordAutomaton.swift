/// An Aho–Corasick automaton over bytes: one pass finds every occurrence of every keyword.
///
/// Built as a full DFA (failure links folded in), so the scan costs one table lookup per byte whatever the
/// keywords, and a hostile text cannot make it backtrack. Bytes are first mapped to *byte classes*: every byte
/// that occurs in no keyword shares class 0, and an upper-case ASCII letter shares its lower-case letter's
/// class, so the automaton matches lower-case keywords case-insensitively on the text as written (no lowered
/// copy needed) and its table is `states × classes` rather than `states × 256`: with the built-in keywords a
/// few hundred states × a few dozen classes, a table that stays in the L1/L2 cache. At the root, bytes that
/// start no keyword are skipped without touching the table.
struct KeywordAutomaton: Sendable {
    /// Byte length of each pattern, by pattern index.
    let patternLengths: [Int]
    /// Each byte's class; A–Z share the class of a–z.
    private let byteClass: [UInt8]
    private let classCount: Int
    /// Entries hold the target state's row offset (`state * classCount`), bit-inverted when the target has
    /// outputs, so the hot loop is one load and one sign test per byte.
    private let transitions: [Int32]
    /// `outputs[outputStart[s]..<outputStart[s + 1]]` are the patterns that end in state `s`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Whether a byte can start some keyword (its class leaves the root state).
    private let startsKeyword: [Bool]

    /// - Precondition: every pattern is non-empty. A pattern holding an upper-case ASCII letter never matches,
    ///   as the text's letters are folded to lower case.
    init(patterns: [[UInt8]]) {
        precondition(patterns.allSatisfy { !$0.isEmpty }, "KeywordAutomaton: empty pattern")
        patternLengths = patterns.map(\.count)

        // Classes: one per distinct pattern byte (upper-case letters excluded: they cannot match folded text).
        var classOf = [UInt8](repeating: 0, count: 256)
        var classes = 1
        for pattern in patterns {
            for byte in pattern where classOf[Int(byte)] == 0 && !ScanBytes.isUpper(byte) {
                precondition(classes < 256, "KeywordAutomaton: too many distinct keyword bytes")
                classOf[Int(byte)] = UInt8(classes)
                classes += 1
            }
        }
        for upper in UInt8(0x41)...UInt8(0x5A) { classOf[Int(upper)] = classOf[Int(upper | 0x20)] }
        let c = classes

        // Trie over classes: -1 marks a missing edge until the failure pass fills it. A pattern holding an
        // upper-case letter is left out: it could never match folded text.
        var next: [Int32] = Array(repeating: -1, count: c)
        var own: [[Int32]] = [[]]
        patternLoop: for (index, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                if ScanBytes.isUpper(byte) { continue patternLoop }
                let slot = state * c + Int(classOf[Int(byte)])
                if next[slot] < 0 {
                    next[slot] = Int32(own.count)
                    own.append([])
                    next.append(contentsOf: repeatElement(-1, count: c))
                }
                state = Int(next[slot])
            }
            own[state].append(Int32(index))
        }
        // Class 0 (bytes in no pattern) always leads back to the root.
        for state in 0..<own.count where next[state * c] < 0 { next[state * c] = 0 }

        // Breadth-first: a missing edge goes where the failure state's edge goes; outputs inherit the
        // failure state's outputs, which are final because that state is shallower.
        var fail = Array(repeating: 0, count: own.count)
        var queue: [Int] = []
        queue.reserveCapacity(own.count)
        for k in 0..<c {
            if next[k] < 0 {
                next[k] = 0
            } else if next[k] != 0 {
                queue.append(Int(next[k]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            own[state].append(contentsOf: own[fail[state]])
            for k in 0..<c {
                let slot = state * c + k
                let fallback = next[fail[state] * c + k]
                if next[slot] < 0 {
                    next[slot] = fallback
                } else if k != 0 || next[slot] != 0 {
                    fail[Int(next[slot])] = Int(fallback)
                    queue.append(Int(next[slot]))
                }
            }
        }

        var start: [Int32] = [0]
        var flat: [Int32] = []
        for list in own {
            flat.append(contentsOf: list)
            start.append(Int32(flat.count))
        }
        precondition(own.count * c < Int(Int32.max), "KeywordAutomaton: table too large")
        transitions = next.map { target in
            let row = target * Int32(c)
            return own[Int(target)].isEmpty ? row : ~row
        }
        byteClass = classOf
        classCount = c
        outputStart = start
        outputs = flat
        startsKeyword = (0..<256).map { b in next[Int(classOf[b])] != 0 }
    }

    /// One occurrence: which pattern, and the exclusive end offset of where it ends.
    struct Hit {
        var pattern: Int
        var end: Int
    }

    /// Where a batched scan stopped: the next byte to read and the automaton's row.
    struct Cursor {
        var position = 0
        fileprivate var row = 0
    }

    /// Appends occurrences, in order of `end`, from `cursor` on until `hits` holds `limit` or the text ends.
    /// Returns false once the text is exhausted and nothing was added. ASCII letters match case-insensitively,
    /// so `bytes` may be the text as written or its lowered copy, with the same hits.
    ///
    /// Batches instead of a callback so the caller's loop has no closure capturing its state.
    func collect(in bytes: [UInt8], from cursor: inout Cursor, into hits: inout [Hit], limit: Int) -> Bool {
        let before = hits.count
        transitions.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { classes in
                startsKeyword.withUnsafeBufferPointer { starts in
                    bytes.withUnsafeBufferPointer { text in
                        guard let t = table.baseAddress, let cls = classes.baseAddress, let p = text.baseAddress,
                            let s = starts.baseAddress
                        else { return }
                        let n = text.count
                        var row = cursor.row
                        var i = cursor.position
                        if hits.count < limit {
                            while i < n {
                                // At the root, bytes that start no keyword leave it there: skip them without
                                // touching the table.
                                if row == 0 {
                                    while i < n && !s[Int(p[i])] { i &+= 1 }
                                    if i == n { break }
                                }
                                let entry = t[row &+ Int(cls[Int(p[i])])]
                                i &+= 1
                                if entry >= 0 {
                                    row = Int(entry)
                                } else {
                                    row = Int(~entry)
                                    let state = row / classCount
                                    for k in Int(outputStart[state])..<Int(outputStart[state + 1]) {
                                        hits.append(Hit(pattern: Int(outputs[k]), end: i))
                                    }
                                    if hits.count >= limit { break }
                                }
                            }
                        }
                        cursor.row = row
                        cursor.position = i
                    }
                }
            }
        }
        return hits.count > before
    }

    /// The number of states, for tests and diagnostics.
    var stateCount: Int { transitions.count / classCount }
}
