/// An Aho–Corasick automaton over bytes: one pass finds every occurrence of every keyword.
///
/// Built as a full DFA (256 transitions per state, failure links folded in), so the scan costs one table
/// lookup per byte whatever the keywords, and a hostile text cannot make it backtrack. With the built-in
/// keywords it has ~150 states, a ~150 KB table.
struct KeywordAutomaton: Sendable {
    /// Byte length of each pattern, by pattern index.
    let patternLengths: [Int]
    private let transitions: [Int32]
    /// `outputs[outputStart[s]..<outputStart[s + 1]]` are the patterns that end in state `s`.
    private let outputStart: [Int32]
    private let outputs: [Int32]

    /// - Precondition: every pattern is non-empty.
    init(patterns: [[UInt8]]) {
        precondition(patterns.allSatisfy { !$0.isEmpty }, "KeywordAutomaton: empty pattern")
        patternLengths = patterns.map(\.count)

        // Trie: -1 marks a missing edge until the failure pass fills it.
        var next: [Int32] = Array(repeating: -1, count: 256)
        var own: [[Int32]] = [[]]
        for (index, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let slot = state << 8 | Int(byte)
                if next[slot] < 0 {
                    next[slot] = Int32(own.count)
                    own.append([])
                    next.append(contentsOf: repeatElement(-1, count: 256))
                }
                state = Int(next[slot])
            }
            own[state].append(Int32(index))
        }

        // Breadth-first: a missing edge goes where the failure state's edge goes; outputs inherit the
        // failure state's outputs, which are final because that state is shallower.
        var fail = Array(repeating: 0, count: own.count)
        var queue: [Int] = []
        queue.reserveCapacity(own.count)
        for byte in 0..<256 {
            if next[byte] < 0 {
                next[byte] = 0
            } else {
                queue.append(Int(next[byte]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            own[state].append(contentsOf: own[fail[state]])
            for byte in 0..<256 {
                let slot = state << 8 | byte
                let fallback = next[fail[state] << 8 | byte]
                if next[slot] < 0 {
                    next[slot] = fallback
                } else {
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
        // Entries hold the target state pre-shifted by 8 (its row offset), bit-inverted when the target
        // has outputs, so the hot loop is one load and one sign test per byte.
        transitions = next.map { target in
            let row = target << 8
            return own[Int(target)].isEmpty ? row : ~row
        }
        outputStart = start
        outputs = flat
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
    /// Returns false once the text is exhausted and nothing was added.
    ///
    /// Batches instead of a callback so the caller's loop has no closure capturing its state.
    func collect(in bytes: [UInt8], from cursor: inout Cursor, into hits: inout [Hit], limit: Int) -> Bool {
        let before = hits.count
        transitions.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { text in
                guard let t = table.baseAddress, let p = text.baseAddress else { return }
                let n = text.count
                var row = cursor.row
                var i = cursor.position
                while i < n && hits.count < limit {
                    let entry = t[row &+ Int(p[i])]
                    i &+= 1
                    if entry >= 0 {
                        row = Int(entry)
                    } else {
                        row = Int(~entry)
                        let state = row >> 8
                        for k in Int(outputStart[state])..<Int(outputStart[state + 1]) {
                            hits.append(Hit(pattern: Int(outputs[k]), end: i))
                        }
                    }
                }
                cursor.row = row
                cursor.position = i
            }
        }
        return hits.count > before
    }
}
