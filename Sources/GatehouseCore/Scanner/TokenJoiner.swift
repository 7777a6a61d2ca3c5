#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The second half of the folded view: removes WhatsApp formatting markers inside tokens and closes the
/// whitespace gaps of tokens split into pieces (`AKIA IOSF ODNN 7EXA MPLE`, a key broken over two lines, a
/// token spaced out one character at a time).
///
/// The text is cut into *chunks* at whitespace (ASCII and Unicode spaces). Each chunk's leading `( [ { < " ' *
/// ~` and backticks and trailing `. , ; : ! ? ) ] } > " ' * ~` and backticks are set aside; what remains, its
/// *core*, is classified:
///
/// | class | core | examples |
/// |---|---|---|
/// | single | one token character | `A`, `7`, `_` |
/// | number | digits, maybe with symbols, no letters | `2024`, `+44`, `2024-05-17` |
/// | word | letters in one case or Capitalised, maybe joined by `-` `/` `.` between letters | `key`, `Hello`, `state-of-the-art` |
/// | weak | upper-case letters only | `IOSF`, `OK`, `NASA` |
/// | strong | anything else of `[A-Za-z0-9_+=./-]`: letters with digits, `_`, `+`, `=`, irregular case, an edge `-` | `7EXA`, `ghp_x1`, `eyJhbG`, `roj-` |
/// | other | any other character, non-ASCII, or a `--` edge | `a@b.com`, `14:30`, `Привет`, `-----BEGIN` |
///
/// A gap closes only when it is short (at most 8 whitespace characters, at most one line break), neither side
/// has set-aside punctuation towards it, and the two cores are, in this order of rules:
/// 1. both *single*: spelled out one character at a time, unless both are digits in a run of only digits
///    (`1 2 3` stays for the card detector's own grouping rules);
/// 2. *strong* with *strong*, *weak* or *number*: a token piece next to another piece;
/// 3. *weak* or *number* with *weak* or *number* of the same length (`AKIA IOSF`, `ODNN 2345`), or two numbers
///    inside a run that already holds letters. Two numbers alone never join: card, phone and IBAN digit groups
///    are left to the detectors, which know their grouping;
/// 4. a *word* between two pieces of its own length becomes a piece (`…X1b2 abcd Q9zz…`): random tokens often
///    have an all-lower-case 4-character piece;
/// 5. a *single* digit, token symbol or capital consonant after at least three pieces of one longer length:
///    the leftover end of a token cut into fixed-width pieces (`… NVLA K`). Not a lower-case letter or a capital
///    vowel or `Y`: those are words in many languages (`I`, `a`, `y`, `e`, `o`, `i`, `w`, `z`).
///
/// A chunk that starts with a token prefix of the catalogue (`prefixes`: `akia`, `ghp_`, `sk-`, `xox`, `eyj`, …,
/// or is at least 3 characters of one, case-insensitively) counts as *strong* towards the chunk after it,
/// whatever its letters, so `sk-p roj-…`, `xoxb -123…` and `ghp _…` join while `with AKIA…` still does not.
///
/// So a *word* never joins otherwise (`my key is AKIA…` and `AKIA… thanks` stay apart), a single character
/// never joins a longer chunk (`a AKIA…`), and `Hello World 2024` stays three chunks. A run of joined chunks
/// shorter than 16 characters is left as written: no token the detectors know is shorter, and it keeps
/// `iPhone 15` and `+44 7700 900123` from building a view. Known misses of these strict rules: a token split
/// where its last piece is a lower-case word (`… abc`), where a weak piece has a different length from its
/// neighbours (a split every 3 characters ending in letters only), or an ID number in groups of the wrong
/// width; ``joinViews(_:prefixes:lenient:)`` builds a second, *lenient* view for those.
///
/// A chunk also ends after breaking punctuation (`; : & @ , ? ! | ( ) [ ] { } < > "`, backslash) with no space
/// after it, so the token part of `…;AccountKey=3LJ9` or `"key":"abc` can join the next piece; such a gap has
/// nothing to remove and never closes. A chunk that starts with a whole token prefix of 4 or more characters
/// (`glpat-`, `AKIA`) or is an assignment (`sslmode=require`) never joins the chunk before it, and a flag
/// (`-t`, `-u`) is `other`.
///
/// Formatting markers: a run of `*`, `~` or backticks between two token characters is removed (`AK*IA*…`);
/// at a chunk's edge it is set aside and left, since a detector's boundary check already treats it as a
/// boundary. `_` belongs to many token alphabets (`ghp_`, base64url), so it is removed only as a WhatsApp
/// italic pair on one line: an opening `_` after a space or opening punctuation and before a letter or digit,
/// and the next closing `_` after a letter or digit and before a space or closing punctuation (`_ghp_…_`).
///
/// Cost: one pass over the bytes (plus a `memchr` for `_`). Most chunks of chat are *inert*, words or anything
/// non-ASCII, which can never be joined to each other, so they are fully classified only when they stand next
/// to a chunk that might be a piece. Nothing is built unless something is removed.
enum TokenJoiner {
    static let minimumJoinedLength = 16
    /// The lenient view keeps shorter runs: ID numbers are 9 to 18 characters.
    static let minimumLenientLength = 9
    /// The longest run of digit groups the lenient view joins: an ID number (SSN, CPF, PESEL: at most 14), not a
    /// card number, whose grouping the card detector judges itself (`41 11 111111111111` is no card).
    static let maximumLenientNumberLength = 14
    static let maximumGapCharacters = 8

    /// The token prefixes among `detectors`' keywords: the literal starts of the tokens they find, such as
    /// `akia`, `ghp_`, `sk-`, `xox`, `eyj`, `dapi`, `hf_`.
    ///
    /// A keyword qualifies when it is at most ``maximumPrefixLength`` token characters, starts with a letter and
    /// has no `=`, and its detector is specific (not generic) and has no *context* keyword: one with a character
    /// outside the token alphabet (`bot `, `-u `, `otpauth://`) or a plain word of 6 letters or more
    /// (`password`, `twilio`, `authenticator`). A detector with such a keyword finds a value *after* a word
    /// that names it, so its short keywords are names too (`pwd`, `mfa`, `totp`); joining one to the chunk
    /// after it would glue the name to the value and hide both. `-us` (a suffix) and `sig=` (a parameter
    /// name) fail the shape rule.
    static func tokenPrefixes(of detectors: [Detector]) -> [[UInt8]] {
        let keywords = detectors.filter { !$0.isGeneric && !$0.keywords.contains(where: isContextKeyword) }
            .flatMap(\.keywords).filter(isPrefixShaped)
        return Set(keywords).sorted().map { Array($0.utf8) }
    }

    static let maximumPrefixLength = 8

    /// At most ``maximumPrefixLength`` token characters, starting with a letter, without `=`.
    static func isPrefixShaped(_ keyword: String) -> Bool {
        let bytes = Array(keyword.utf8)
        guard let first = bytes.first, bytes.count <= maximumPrefixLength, ScanBytes.isLetter(first) else { return false }
        return bytes.allSatisfy { classes[Int($0)] & Class.token != 0 && $0 != 0x3D }
    }

    /// A keyword that names a value rather than starting it: non-token characters, or 6+ letters only.
    static func isContextKeyword(_ keyword: String) -> Bool {
        let bytes = Array(keyword.utf8)
        if bytes.contains(where: { $0 >= 0x80 || classes[Int($0)] & Class.token == 0 }) { return true }
        return bytes.count >= 6 && bytes.allSatisfy(ScanBytes.isLetter)
    }

    /// Token prefixes packed for a quick test, built once per scanner rather than once per scan.
    struct Prefixes: Sendable {
        /// Each prefix (lower case, at most 8 bytes) packed little-endian into a word, with its length.
        let words: [(word: UInt64, count: Int)]
        /// The first bytes of the prefixes, both cases, as a bit set over ASCII.
        let starts: (UInt64, UInt64)

        init(_ prefixes: [[UInt8]]) {
            words = prefixes.filter { $0.count <= 8 }.map { prefix in
                (prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }, prefix.count)
            }
            var starts: (UInt64, UInt64) = (0, 0)
            for prefix in prefixes {
                guard let first = prefix.first, first < 0x80 else { continue }
                for b in ScanBytes.isLetter(first) ? [first | 0x20, first & ~0x20] : [first] {
                    if b < 64 { starts.0 |= 1 << UInt64(b) } else { starts.1 |= 1 << UInt64(b - 64) }
                }
            }
            self.starts = starts
        }

        static let none = Prefixes([])
    }

    /// The view with markers removed and gaps closed, or nil if there is nothing to do.
    static func join(_ text: MappedText, prefixes: Prefixes = .none) -> MappedText? {
        joinViews(text, prefixes: prefixes, lenient: false).strict
    }

    /// The strict view (``join(_:prefixes:)``) and, with `lenient`, a *lenient* one where it would differ.
    ///
    /// The lenient view also closes the gaps the strict rules leave because the piece after them might be a
    /// word, not part of the token:
    /// - after at least two joined pieces of one length of 3 or more (a grid: `AKIA Z3MS`), any token chunk
    ///   of that length continues it, and one shorter one ends it (`… Xk2p abcd efg`);
    /// - after a strong chunk of 8 or more characters, a word on the next line or after one space (a token
    ///   broken in the middle whose second half is lower-case letters: `ghp_…AbC9` `\n` `xyzqrs`).
    /// Scanned *besides* the strict view, never instead: `AKIA… from here` joined as `AKIA…fromhere` would
    /// hide the key the strict view shows. It is built only when the strict pass met such a gap.
    static func joinViews(_ text: MappedText, prefixes: Prefixes = .none, lenient: Bool)
        -> (strict: MappedText?, lenient: MappedText?)
    {
        // The class table goes in as a pointer: a static read in the hot loops costs a `swift_once` each time.
        classes.withUnsafeBufferPointer { t in
            text.bytes.withUnsafeBufferPointer { p -> (strict: MappedText?, lenient: MappedText?) in
                let italics = italicUnderscores(p, t.baseAddress!)
                var pass = Pass(p: p, t: t.baseAddress!, italics: italics, prefixes: prefixes)
                pass.run()
                let strict =
                    pass.markerEdits.isEmpty && pass.gapEdits.isEmpty
                    ? nil : build(text, pass.markerEdits, pass.gapEdits)
                guard lenient && pass.lenientMayDiffer else { return (strict, nil) }
                var second = Pass(p: p, t: t.baseAddress!, italics: italics, prefixes: prefixes)
                second.lenient = true
                second.run()
                guard second.gapEdits.count > pass.gapEdits.count else { return (strict, nil) }
                return (strict, build(text, second.markerEdits, second.gapEdits))
            }
        }
    }

    /// A range to remove. Every edit of one list removes the same kind of thing (`markerEdits`: formatting,
    /// `gapEdits`: split), so the step is not stored, and 32-bit offsets keep a spelled-out megabyte's half a
    /// million edits small.
    struct Edit {
        private var lower: UInt32
        private var upper: UInt32

        init(range: Range<Int>) {
            lower = UInt32(truncatingIfNeeded: range.lowerBound)
            upper = UInt32(truncatingIfNeeded: range.upperBound)
        }

        var lowerBound: Int { Int(lower) }
        var upperBound: Int { Int(upper) }
    }

    /// Copies the text without the edited ranges; both edit lists are sorted and disjoint.
    private static func build(_ text: MappedText, _ a: [Edit], _ b: [Edit]) -> MappedText {
        var builder = MappedText.Builder(capacity: text.count)
        var cursor = 0
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            let edit: Edit
            let step: Obfuscation
            if j >= b.count || (i < a.count && a[i].lowerBound < b[j].lowerBound) {
                edit = a[i]
                step = .formatting
                i += 1
            } else {
                edit = b[j]
                step = .split
                j += 1
            }
            builder.copy(cursor..<edit.lowerBound, of: text)
            builder.noteRemoval(step)
            cursor = edit.upperBound
        }
        builder.copy(cursor..<text.count, of: text)
        return builder.build()
    }

    // MARK: Italic underscores

    /// Offsets of `_` pairs that are WhatsApp italic markers, in order.
    static func italicUnderscores(_ p: UnsafeBufferPointer<UInt8>, _ t: UnsafePointer<UInt16>) -> [Int] {
        var result: [Int] = []
        var opener = -1
        let n = p.count
        // Most messages have no underscore at all: find the first one with memchr.
        guard let base = p.baseAddress, let hit = memchr(base, 0x5F, n) else { return result }
        let first = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        for i in first..<n {
            let c = p[i]
            if c == 0x0A {
                opener = -1
                continue
            }
            guard c == 0x5F else { continue }
            let before: UInt8 = i > 0 ? p[i - 1] : 0x20
            let after: UInt8 = i + 1 < n ? p[i + 1] : 0x20
            if opener < 0 {
                if (isBoundary(before, t) || t[Int(before)] & Class.lead != 0) && ScanBytes.isAlnum(after) {
                    opener = i
                }
            } else if ScanBytes.isAlnum(before) && (isBoundary(after, t) || t[Int(after)] & Class.trail != 0) {
                result.append(opener)
                result.append(i)
                opener = -1
            }
        }
        return result
    }

    /// ASCII whitespace, or a non-ASCII byte (a Unicode space, an emoji): what may stand around an italic span.
    @inline(__always) private static func isBoundary(_ b: UInt8, _ t: UnsafePointer<UInt16>) -> Bool {
        b >= 0x80 || t[Int(b)] & Class.space != 0
    }

    // MARK: Byte classes

    enum Class {
        static let space: UInt16 = 1 << 0
        static let lower: UInt16 = 1 << 1
        static let upper: UInt16 = 1 << 2
        static let digit: UInt16 = 1 << 3
        /// `_ + =`: symbols that make a chunk a token rather than a word.
        static let symbol: UInt16 = 1 << 4
        /// `- / .`: also found inside words.
        static let separator: UInt16 = 1 << 5
        static let lead: UInt16 = 1 << 6
        static let trail: UInt16 = 1 << 7
        /// `*`, `~`, backtick.
        static let marker: UInt16 = 1 << 8
        /// Printable ASCII outside the token alphabet (including most lead and trail characters).
        static let punct: UInt16 = 1 << 9
        /// Set only while classifying: the chunk holds a non-ASCII scalar.
        static let nonASCII: UInt16 = 1 << 10
        /// `-` and `/`, which can make a lower-case chunk a token piece (`roj-`).
        static let dash: UInt16 = 1 << 11
        /// Punctuation that ends a chunk even without whitespace after it: `; : & @ , ? ! | ( ) [ ] { } < > "`
        /// and backslash. So `AccountKey=3LJ9` in `…;AccountKey=3LJ9 pz0B …`, or `abc` in `"key":"abc`, is a
        /// chunk of its own that can join what follows, where the whole run of text would be `other`.
        static let breaking: UInt16 = 1 << 12
        static let token: UInt16 = lower | upper | digit | symbol | separator
        /// A chunk without these bits is all core: nothing to trim, no marker, nothing outside the alphabet.
        static let complex: UInt16 = lead | trail | marker | punct | nonASCII
    }

    static let classes: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 256)
        for b in [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] { table[b] |= Class.space }
        for b in 0x61...0x7A { table[b] |= Class.lower }
        for b in 0x41...0x5A { table[b] |= Class.upper }
        for b in 0x30...0x39 { table[b] |= Class.digit }
        for b in "_+=".utf8 { table[Int(b)] |= Class.symbol }
        for b in "-/.".utf8 { table[Int(b)] |= Class.separator }
        for b in "-/".utf8 { table[Int(b)] |= Class.dash }
        for b in "([{<\"'`*~".utf8 { table[Int(b)] |= Class.lead }
        for b in ".,;:!?)]}>\"'`*~".utf8 { table[Int(b)] |= Class.trail }
        for b in "*~`".utf8 { table[Int(b)] |= Class.marker }
        for b in ";:&@,?!|()[]{}<>\"\\".utf8 { table[Int(b)] |= Class.breaking | Class.trail }
        for b in 0x21...0x7E where table[b] & Class.token == 0 { table[b] |= Class.punct }
        return table
    }()

    // MARK: Chunks

    enum Kind: UInt8 {
        case other, single, number, word, weak, strong
    }

    /// A chunk between spaces. The small fields share one word: written byte by byte and copied whole, separate
    /// `Bool`s stalled store forwarding on every chunk and doubled the cost of the pass.
    struct Chunk {
        var start = 0
        var end = 0
        var coreStart = 0
        var coreEnd = 0
        /// Core length without removed markers.
        var length = 0
        private var bits: UInt64 = 0

        init(start: Int = 0, end: Int = 0, coreStart: Int = 0, coreEnd: Int = 0) {
            self.start = start
            self.end = end
            self.coreStart = coreStart
            self.coreEnd = coreEnd
        }

        var kind: Kind {
            get { Kind(rawValue: UInt8(truncatingIfNeeded: bits)) ?? .other }
            set { bits = bits & ~0xFF | UInt64(newValue.rawValue) }
        }
        /// The byte of a single.
        var byte: UInt8 {
            get { UInt8(truncatingIfNeeded: bits >> 8) }
            set { bits = bits & ~0xFF00 | UInt64(newValue) << 8 }
        }
        /// No set-aside punctuation on this side.
        var leadOpen: Bool {
            get { flag(16) }
            set { set(16, newValue) }
        }
        var trailOpen: Bool {
            get { flag(17) }
            set { set(17, newValue) }
        }
        /// The whitespace before the chunk is short enough to close.
        var gapOK: Bool {
            get { flag(18) }
            set { set(18, newValue) }
        }
        /// A word that sits between two pieces of its length, so counts as a piece.
        var promoted: Bool {
            get { flag(19) }
            set { set(19, newValue) }
        }
        /// Classified: `kind`, the core and `length` are known.
        var classified: Bool {
            get { flag(20) }
            set { set(20, newValue) }
        }
        /// Can never be a piece: a lower-case or Capitalised word, or anything non-ASCII. Two inert chunks in a
        /// row are never joined, so they are classified only when next to something that might be.
        var inert: Bool {
            get { flag(21) }
            set { set(21, newValue) }
        }
        var hasItalics: Bool {
            get { flag(22) }
            set { set(22, newValue) }
        }
        /// The class bits of all its bytes.
        var seen: UInt16 {
            get { UInt16(truncatingIfNeeded: bits >> 32) }
            set { bits = bits & ~(0xFFFF << 32) | UInt64(newValue) << 32 }
        }

        @inline(__always) private func flag(_ bit: UInt64) -> Bool { bits >> bit & 1 != 0 }
        @inline(__always) private mutating func set(_ bit: UInt64, _ value: Bool) {
            bits = value ? bits | 1 << bit : bits & ~(1 << bit)
        }

        var isPiece: Bool { kind == .strong || kind == .weak || kind == .number || promoted }
        var digitSingle: Bool { kind == .single && ScanBytes.isDigit(byte) }
    }

    struct Pass {
        let p: UnsafeBufferPointer<UInt8>
        /// ``classes``.
        let t: UnsafePointer<UInt16>
        let italics: [Int]
        let prefixes: Prefixes
        var italicCursor = 0
        /// Italic underscores and markers inside cores, in order.
        var markerEdits: [Edit] = []
        /// Closed gaps of committed runs, and of the current run from `runGapStart` on.
        var gapEdits: [Edit] = []
        /// The current chunk's closing italic underscores (-1 for none), added to `markerEdits` after its core's
        /// markers.
        var trailingItalics = (-1, -1)

        // The run of chunks joined so far.
        var runLength = 0
        var runGapStart = 0
        var runHasNonNumber = false
        var runHasNonDigitSingle = false
        /// How many chunks at the end of the run share the last one's length (rule 5).
        var runGridCount = 0
        /// Closes the lenient view's extra gaps too (``joinViews(_:prefixes:lenient:)``).
        var lenient = false
        /// Set by a strict pass that left a gap the lenient view would close.
        var lenientMayDiffer = false

        init(p: UnsafeBufferPointer<UInt8>, t: UnsafePointer<UInt16>, italics: [Int], prefixes: Prefixes) {
            self.p = p
            self.t = t
            self.italics = italics
            // At most one gap per two bytes. Reserved once: growing by doubling cost a spelled-out megabyte more
            // in page faults and copies than deciding its gaps; untouched capacity costs nothing.
            gapEdits.reserveCapacity(p.count / 2 + 1)
            self.prefixes = prefixes
        }

        mutating func run() {
            let n = p.count
            var i = 0
            // `x` and `y` are consecutive chunks whose gap waits for the chunk after `y` (rule 4); `seen` counts
            // the chunks so far (not optionals: their tag byte costs the same stall as separate `Bool`s).
            var x = Chunk()
            var y = Chunk()
            var seen = 0
            while true {
                var characters = 0
                var lineBreaks = 0
                while i < n {
                    let c = p[i]
                    if c < 0x80 {
                        guard t[Int(c)] & Class.space != 0 else { break }
                        if c == 0x0A || (c == 0x0D && (i + 1 >= n || p[i + 1] != 0x0A)) { lineBreaks += 1 }
                        characters += 1
                        i += 1
                        continue
                    }
                    let length = spaceLength(at: i)
                    guard length > 0 else { break }
                    if isLineBreak(at: i, length: length) { lineBreaks += 1 }
                    characters += 1
                    i += length
                }
                guard i < n else { break }
                var chunk = scan(from: i)
                // No whitespace: the chunk before ended at breaking punctuation, with nothing between to remove.
                chunk.gapOK = seen > 0 && characters > 0 && characters <= maximumGapCharacters && lineBreaks <= 1
                i = chunk.end
                // In order, so edits stay sorted; inert chunks have none and wait until they are needed.
                if !chunk.inert { complete(&chunk) }
                if seen >= 2 {
                    if x.inert && y.inert && !(lenient && runGridCount >= 2) {
                        endRun()
                        startRun(with: y)
                    } else {
                        if !x.classified { complete(&x) }
                        if !y.classified { complete(&y) }
                        if cannotClose(x, y) {
                            endRun()
                            startRun(with: y)
                        } else {
                            decide(x, &y, next: chunk)
                        }
                    }
                } else if seen == 0 {
                    startRun(with: chunk)
                }
                x = y
                y = chunk
                seen += 1
            }
            if seen >= 2 {
                if !x.classified { complete(&x) }
                if !y.classified { complete(&y) }
                decide(x, &y, next: nil)
            }
            endRun()
        }

        /// `\n`, a `\r` not before `\n`, U+2028 or U+2029.
        @inline(__always) private func isLineBreak(at i: Int, length: Int) -> Bool {
            let c = p[i]
            if c == 0x0A { return true }
            if c == 0x0D { return i + 1 >= p.count || p[i + 1] != 0x0A }
            return length == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)
        }

        /// A cheap first look: whether no rule can close the gap between `a` and `b`, whatever follows.
        @inline(__always) private func cannotClose(_ a: Chunk, _ b: Chunk) -> Bool {
            if !b.gapOK || !a.trailOpen || !b.leadOpen || a.kind == .other || b.kind == .other { return true }
            // A word joins only as a promoted piece (rule 4), which needs a piece before it, or as a token
            // prefix before a piece.
            if a.kind == .word && !a.promoted {
                return !(b.isPiece && isPrefixed(a)) && !(lenient && runGridCount >= 2)
            }
            return b.kind == .word && !a.isPiece && !(lenient && runGridCount >= 2)
        }

        /// Whether a word or weak chunk starts with a token prefix, so counts as strong towards what follows.
        @inline(__always) private func isPrefixed(_ chunk: Chunk) -> Bool {
            (chunk.kind == .word || chunk.kind == .weak) && startsWithPrefix(chunk.coreStart, chunk.coreEnd)
        }

        /// Decides the gap between `a` and `b`, looking at `next` for rule 4.
        @inline(__always) private mutating func decide(_ a: Chunk, _ b: inout Chunk, next c: Chunk?) {
            if close(a, &b, next: c) {
                // A run of one chunk may have started before that chunk was classified.
                if gapEdits.count == runGapStart { runLength = a.length }
                gapEdits.append(Edit(range: a.end..<b.start))
                extendRun(with: b, after: a)
            } else {
                endRun()
                startRun(with: b)
            }
        }

        @inline(__always) private mutating func close(_ a: Chunk, _ b: inout Chunk, next c: Chunk?) -> Bool {
            guard b.gapOK, a.trailOpen, b.leadOpen else { return false }
            if b.kind == .word, a.isPiece, a.length == b.length, b.length >= 2, b.trailOpen, let c, c.gapOK,
                c.leadOpen, c.kind == .strong || c.kind == .weak || c.kind == .number
            {
                b.promoted = true
            }
            // A chunk that starts with a whole token prefix of 4 or more characters (`glpat-`, `AKIA`, `ghp_`)
            // starts a token: what stands before it (`new PAT`, a flag) is not part of it.
            if b.kind != .single && b.kind != .number && startsWithPrefix(b.coreStart, b.coreEnd, whole: 4) {
                return false
            }
            // Nor does an assignment (`sslmode=require` after `password=…`): it is the next setting.
            if b.kind == .strong && b.seen & Class.symbol != 0 && isAssignment(b.coreStart, b.coreEnd) { return false }
            let ka: Kind = a.promoted || isPrefixed(a) ? .strong : a.kind
            let kb: Kind = b.promoted ? .strong : b.kind
            if kb == .single && ka != .single && b.length < a.length && a.length >= 2 && runGridCount >= 3
                && isTail(b.byte)
            {
                return true
            }
            let strict = closesStrictly(a, ka, b, kb)
            if strict || !closesLeniently(a, b) { return strict }
            if lenient { return true }
            lenientMayDiffer = true
            return false
        }

        /// The lenient view's extra rules (``joinViews(_:prefixes:lenient:)``).
        @inline(__always) private func closesLeniently(_ a: Chunk, _ b: Chunk) -> Bool {
            guard a.kind != .other, b.kind != .other else { return false }
            if runGridCount >= 2 && a.length >= 3 && b.length <= a.length && runHasNonNumber {
                return true
            }
            // An ID number spaced or broken in its own way (`123- 45-6 789`, `0514` `\n` `95414`).
            let aDigits = a.kind == .number || a.digitSingle
            let bDigits = b.kind == .number || b.digitSingle || (b.kind == .strong && b.length <= 3)
            if aDigits && bDigits && runLength + b.length <= maximumLenientNumberLength { return true }
            return a.kind == .strong && a.length >= 8 && b.kind == .word && b.length >= 2
        }

        @inline(__always) private func closesStrictly(_ a: Chunk, _ ka: Kind, _ b: Chunk, _ kb: Kind) -> Bool {
            switch (ka, kb) {
            case (.single, .single):
                return !(a.digitSingle && b.digitSingle && !runHasNonDigitSingle)
            case (.strong, .strong), (.strong, .weak), (.strong, .number), (.weak, .strong), (.number, .strong):
                return true
            case (.number, .number):
                return runHasNonNumber
            case (.weak, .weak), (.weak, .number), (.number, .weak):
                return a.length == b.length
            default:
                return false
            }
        }

        @inline(__always) private mutating func startRun(with chunk: Chunk) {
            runLength = chunk.length
            runGapStart = gapEdits.count
            runHasNonNumber = chunk.kind != .number
            runHasNonDigitSingle = !(chunk.kind == .single && chunk.digitSingle)
            runGridCount = 1
        }

        @inline(__always) private mutating func extendRun(with chunk: Chunk, after previous: Chunk) {
            runLength += chunk.length
            runGridCount = chunk.length == previous.length ? runGridCount + 1 : 1
            if chunk.kind != .number { runHasNonNumber = true }
            if !(chunk.kind == .single && chunk.digitSingle) { runHasNonDigitSingle = true }
        }

        /// Keeps the current run's closed gaps if it is long enough to be a token.
        @inline(__always) private mutating func endRun() {
            if runLength < (lenient ? minimumLenientLength : minimumJoinedLength) && gapEdits.count > runGapStart {
                gapEdits.removeSubrange(runGapStart...)
            }
            runGapStart = gapEdits.count
        }

        /// The chunk starting at `start`: its end and class bits, and whether it is inert. One loop.
        @inline(__always) private mutating func scan(from start: Int) -> Chunk {
            let n = p.count
            let c0 = p[start]
            let first = c0 < 0x80 ? t[Int(c0)] : Class.nonASCII
            var end = start + 1
            var rest: UInt16 = 0
            while end < n {
                let c = p[end]
                if c < 0x80 {
                    let cls = t[Int(c)]
                    if cls & (Class.space | Class.breaking) != 0 {
                        guard cls & Class.space == 0 else { break }
                        // Breaking punctuation ends the chunk as its last (trailing) character.
                        rest |= cls
                        end += 1
                        break
                    }
                    rest |= cls
                } else {
                    if spaceLength(at: end) != 0 { break }
                    rest |= Class.nonASCII
                }
                end += 1
            }
            var chunk = Chunk(start: start, end: end, coreStart: start, coreEnd: end)
            let seen = first | rest
            chunk.seen = seen
            chunk.hasItalics = italicCursor < italics.count && italics[italicCursor] < end
            // Inert: non-ASCII (always `other`), or 2+ letters with at most a leading capital and no digit,
            // symbol, marker, `-` or `/`, and not starting with `.`: a word, or punctuation around one.
            chunk.inert =
                !chunk.hasItalics
                && (seen & Class.nonASCII != 0
                    || (end - start >= 2 && c0 != 0x2E
                        && seen & (Class.digit | Class.symbol | Class.marker | Class.dash) == 0
                        && rest & Class.upper == 0))
            return chunk
        }

        /// Classifies a scanned chunk: its core, class and length, and the markers and italics to remove.
        @inline(__always) private mutating func complete(_ chunk: inout Chunk) {
            chunk.classified = true
            let seen = chunk.seen
            let start = chunk.start
            let end = chunk.end
            if seen & Class.complex == 0 && !chunk.hasItalics {
                // The usual case: letters, digits and symbols only, so the core is the chunk.
                chunk.leadOpen = true
                chunk.trailOpen = true
                chunk.length = end - start
                chunk.kind = kind(seen, start, end)
                if chunk.kind == .single { chunk.byte = p[start] }
                return
            }
            trim(&chunk)
            if seen & Class.nonASCII != 0 {
                chunk.kind = .other
            } else {
                classifyCore(&chunk, chunk.coreStart, chunk.coreEnd)
                if chunk.kind == .single { chunk.byte = p[chunk.coreStart] }
            }
            // Edits stay in offset order: closing underscores come after any markers inside the core.
            if trailingItalics.1 >= 0 { markerEdits.append(Edit(range: trailingItalics.1..<(trailingItalics.1 + 1))) }
            if trailingItalics.0 >= 0 { markerEdits.append(Edit(range: trailingItalics.0..<(trailingItalics.0 + 1))) }
        }

        /// Sets aside leading and trailing punctuation, and removes italic underscores there.
        private mutating func trim(_ chunk: inout Chunk) {
            let start = chunk.start
            let end = chunk.end
            // Italic underscores inside this chunk (at most a few, at its edges).
            while italicCursor < italics.count && italics[italicCursor] < start { italicCursor += 1 }
            var firstItalic = italicCursor
            var lastItalic = italicCursor
            while lastItalic < italics.count && italics[lastItalic] < end { lastItalic += 1 }
            italicCursor = lastItalic

            var coreStart = start
            while coreStart < end {
                if firstItalic < lastItalic && italics[firstItalic] == coreStart {
                    markerEdits.append(Edit(range: coreStart..<(coreStart + 1)))
                    firstItalic += 1
                } else if t[Int(p[coreStart])] & Class.lead == 0 {
                    break
                }
                coreStart += 1
            }
            var coreEnd = end
            // At most two closing underscores can stand at a chunk's end (`a_)_` is not italics twice, but be safe).
            trailingItalics = (-1, -1)
            while coreEnd > coreStart {
                if firstItalic < lastItalic && italics[lastItalic - 1] == coreEnd - 1 {
                    if trailingItalics.0 < 0 { trailingItalics.0 = coreEnd - 1 } else { trailingItalics.1 = coreEnd - 1 }
                    lastItalic -= 1
                } else if t[Int(p[coreEnd - 1])] & Class.trail == 0 {
                    break
                }
                coreEnd -= 1
            }
            if coreStart == coreEnd && end - start == 1 && t[Int(p[start])] & Class.token != 0 {
                // A lone `.` (or other token character that is also punctuation), as in a token spelled out.
                coreStart = start
                coreEnd = end
            }
            chunk.coreStart = coreStart
            chunk.coreEnd = coreEnd
            chunk.leadOpen = coreStart == start
            chunk.trailOpen = coreEnd == end
        }

        private mutating func classifyCore(_ chunk: inout Chunk, _ start: Int, _ end: Int) {
            // Fast loop: the class bits of a core that is all token characters, the usual case.
            var seen: UInt16 = 0
            var i = start
            while i < end {
                let cls = t[Int(p[i])]
                if cls & Class.token == 0 { break }
                seen |= cls
                i += 1
            }
            var length = i - start
            if i < end {
                // Formatting markers to remove, or a character that makes the chunk `other`.
                while i < end {
                    let cls = t[Int(p[i])]
                    if cls & Class.marker != 0 {
                        var markerEnd = i + 1
                        while markerEnd < end && t[Int(p[markerEnd])] & Class.marker != 0 { markerEnd += 1 }
                        guard i > start && markerEnd < end && isToken(p[i - 1]) && isToken(p[markerEnd]) else {
                            chunk.kind = .other
                            return
                        }
                        markerEdits.append(Edit(range: i..<markerEnd))
                        i = markerEnd
                        continue
                    }
                    guard cls & Class.token != 0 else {
                        chunk.kind = .other
                        return
                    }
                    seen |= cls
                    length += 1
                    i += 1
                }
            }
            chunk.length = length
            chunk.kind = length == 0 ? .other : kind(seen, start, end, length: length)
        }

        /// The class of a core of token characters and removed markers, from its class bits.
        @inline(__always) private func kind(_ seen: UInt16, _ start: Int, _ end: Int, length: Int? = nil) -> Kind {
            let length = length ?? end - start
            if length == 1 { return .single }
            // A command-line flag (`-t`, `-u`): the value after it is a separate argument.
            if length == 2 && p[start] == 0x2D && ScanBytes.isLetter(p[start + 1]) { return .other }
            if seen & Class.separator != 0 && end - start >= 2
                && ((p[start] == 0x2D && p[start + 1] == 0x2D) || (p[end - 1] == 0x2D && p[end - 2] == 0x2D))
            {
                return .other
            }
            if seen & (Class.lower | Class.upper) == 0 { return seen & Class.digit != 0 ? .number : .other }
            if seen & (Class.digit | Class.symbol) != 0 { return .strong }
            // Letters, maybe with separators: all lower case is a word unless a separator is misplaced.
            if seen & (Class.upper | Class.separator) == Class.upper && seen & Class.lower == 0 { return .weak }
            if seen & (Class.upper | Class.separator) == 0 { return .word }
            if isIrregularWord(start, end) { return .strong }
            return seen & (Class.separator | Class.lower) == 0 ? .weak : .word
        }

        /// For a core of letters and `- / .`: whether a part mixes case other than Capitalised (`iPhone`,
        /// `eyJh`), or a separator is not between letters (`roj-`, `a--b`). Markers are skipped.
        private func isIrregularWord(_ start: Int, _ end: Int) -> Bool {
            var partLength = 0
            var partHasLower = false
            var partUpperNotFirst = false
            for i in start..<end {
                let cls = t[Int(p[i])]
                if cls & Class.separator != 0 {
                    if partLength == 0 || (partHasLower && partUpperNotFirst) { return true }
                    partLength = 0
                    partHasLower = false
                    partUpperNotFirst = false
                } else if cls & (Class.lower | Class.upper) != 0 {
                    if cls & Class.lower != 0 { partHasLower = true } else if partLength > 0 { partUpperNotFirst = true }
                    partLength += 1
                }
            }
            return partLength == 0 || (partHasLower && partUpperNotFirst)
        }

        /// `name=value`: a letter, letters, digits or `_ - .`, then `=` and something other than `=` (base64
        /// has `=` only as padding at its end).
        private func isAssignment(_ start: Int, _ end: Int) -> Bool {
            guard end - start >= 3, ScanBytes.isLetter(p[start]) else { return false }
            var i = start + 1
            while i < end && (ScanBytes.isAlnum(p[i]) || p[i] == 0x5F || p[i] == 0x2D || p[i] == 0x2E) { i += 1 }
            return i < end - 1 && p[i] == 0x3D && p[i + 1] != 0x3D
        }

        /// A digit, `-_+/=`, or a capital other than a vowel or `Y` (rule 5).
        private func isTail(_ b: UInt8) -> Bool {
            if ScanBytes.isUpper(b) { return !"AEIOUY".utf8.contains(b) }
            return ScanBytes.isDigit(b) || "-_+/=".utf8.contains(b)
        }

        /// Whether the core starts with a token prefix, or is 3 or more characters of one, ignoring case.
        private func startsWithPrefix(_ start: Int, _ end: Int, whole minimum: Int = 0) -> Bool {
            let first = p[start]
            let bit = first < 64 ? prefixes.starts.0 >> UInt64(first) : prefixes.starts.1 >> UInt64(first & 63)
            guard first < 0x80, bit & 1 != 0 else { return false }
            // The core's first 8 bytes, lower-cased, packed as the prefixes are.
            let available = min(end - start, 8)
            var word: UInt64 = 0
            for k in 0..<available {
                let b = p[start + k]
                word |= UInt64(ScanBytes.isUpper(b) ? b | 0x20 : b) << UInt64(8 * k)
            }
            for (prefix, length) in prefixes.words {
                let count = min(length, available)
                if minimum > 0 {
                    guard count == length && length >= minimum else { continue }
                }
                guard count == length || count >= 3 else { continue }
                let mask: UInt64 = count == 8 ? ~0 : (1 << UInt64(8 * count)) - 1
                if word & mask == prefix & mask { return true }
            }
            return false
        }

        @inline(__always) private func isToken(_ b: UInt8) -> Bool { b < 0x80 && t[Int(b)] & Class.token != 0 }

        /// The byte length of the space at `i`: ASCII whitespace or a Unicode space; 0 if none.
        @inline(__always) private func spaceLength(at i: Int) -> Int {
            let b = p[i]
            if b < 0x80 { return t[Int(b)] & Class.space != 0 ? 1 : 0 }
            let n = p.count
            switch b {
            case 0xC2:
                guard i + 1 < n else { return 0 }
                return p[i + 1] == 0xA0 || p[i + 1] == 0x85 ? 2 : 0
            case 0xE1:
                return i + 2 < n && p[i + 1] == 0x9A && p[i + 2] == 0x80 ? 3 : 0
            case 0xE2:
                guard i + 2 < n else { return 0 }
                let b1 = p[i + 1]
                let b2 = p[i + 2]
                if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { return 3 }
                return b1 == 0x81 && b2 == 0x9F ? 3 : 0
            case 0xE3:
                return i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80 ? 3 : 0
            default:
                return 0
            }
        }
    }
}
