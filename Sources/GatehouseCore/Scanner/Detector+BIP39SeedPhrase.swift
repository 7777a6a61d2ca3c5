import Crypto

extension Detector {
    /// BIP-39 mnemonic seed phrases: 12, 15, 18, 21 or 24 consecutive words of the English wordlist whose
    /// checksum is valid, i.e. a wallet's master secret (github.com/bitcoin/bips, `bip-0039.mediawiki`).
    ///
    /// Words are separated by whitespace and may be numbered or comma-separated as wallets display them
    /// (`1. abandon 2. ability …`, `abandon, ability, …`); each word is all lower case or all upper case.
    /// The phrase's last bits are the first `words / 3` bits of SHA-256 of the entropy, so a random run of
    /// listed words passes with odds 1 in 16 (12 words) to 1 in 256 (24 words); with the wordlist itself
    /// that keeps prose quiet, since English rarely strings 12 listed words with no short or capitalised
    /// word between. Phrases repeating words (the published test vectors `abandon … about`, `zoo … wrong`)
    /// are treated as examples, not wallets. Overlapping valid windows are reported as one finding (see
    /// ``BIP39SeedPhraseScanner``). Keywordless: one tight pass over the text's letters.
    public static let bip39SeedPhrase = Detector(
        id: "bip39-seed-phrase",
        summary: "A BIP-39 wallet seed phrase; whoever has it controls every coin of that wallet.",
        category: .secret,
        family: .privateKey,
        severity: .high,
        keywords: [],
        validator: .sweep(BIP39SeedPhraseScanner.scan)
    )
}

enum BIP39SeedPhraseScanner {
    static let phraseLengths = [24, 21, 18, 15, 12]
    /// Gap bytes between two words: whitespace, and the digits, dots, brackets and commas of a numbered list.
    static let maximumGap = 8

    /// Byte classes for the gaps between words: 2 whitespace, 3 other gap bytes, 0 a byte that ends a chain.
    /// (ASCII letters, either case, are found eight at a time by ``letterRunEnd(_:_:from:)``.)
    private static let byteClass: [UInt8] = (0..<256).map { b in
        switch UInt8(b) {
        case 0x20, 0x09, 0x0A, 0x0D: 2
        case 0x30...0x39, 0x2E, 0x29, 0x2C, 0x3A: 3  // digits . ) , :
        default: 0
        }
    }

    /// The shortest text that can hold a phrase: 12 words of 3 letters and 11 one-byte gaps.
    static let minimumPhraseBytes = 12 * 3 + 11

    static func scan(_ text: ScanText) -> [DetectorMatch] {
        // Most chat messages are shorter than any phrase.
        guard text.count >= minimumPhraseBytes else { return [] }
        var chains: [Range<Int>] = []
        byteClass.withUnsafeBufferPointer { classes in
            text.bytes.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress.map(UnsafeRawPointer.init) else { return }
                let n = p.count
                var i = 0
                var chainStart = 0
                var chainEnd = 0
                var chainWords = 0
                var gap = 0
                var gapHasSpace = true
                var gapDigits = 0
                while i < n {
                    let b = p[i]
                    if ScanBytes.isLetter(b) {
                        let start = i
                        i = letterRunEnd(base, n, from: i + 1)
                        let length = i - start
                        let linked = chainWords > 0 && gapHasSpace && gap <= maximumGap && gapDigits <= 2
                        if length < 3 || length > 8 {
                            if chainWords >= 12 { chains.append(chainStart..<chainEnd) }
                            chainWords = 0
                        } else if linked {
                            chainWords += 1
                            chainEnd = i
                        } else {
                            if chainWords >= 12 { chains.append(chainStart..<chainEnd) }
                            chainStart = start
                            chainEnd = i
                            chainWords = 1
                        }
                        gap = 0
                        gapHasSpace = false
                        gapDigits = 0
                    } else {
                        let kind = classes[Int(b)]
                        if kind == 0 {
                            if chainWords >= 12 { chains.append(chainStart..<chainEnd) }
                            chainWords = 0
                        } else if kind == 2 {
                            gapHasSpace = true
                        } else if b &- 0x30 < 10 {
                            gapDigits += 1
                        }
                        gap += 1
                        i += 1
                    }
                }
                if chainWords >= 12 { chains.append(chainStart..<chainEnd) }
            }
        }
        var matches: [DetectorMatch] = []
        for chain in chains { findPhrases(text, in: chain, into: &matches) }
        return matches
    }

    /// The end of the run of ASCII letters (either case) that continues at `offset`, eight bytes at a time.
    @inline(__always) private static func letterRunEnd(_ base: UnsafeRawPointer, _ n: Int, from offset: Int) -> Int {
        var i = offset
        while i + 8 <= n {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let nonLetters = ~letterBits(word) & 0x8080_8080_8080_8080
            if nonLetters != 0 { return i + nonLetters.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n && ScanBytes.isLetter(base.load(fromByteOffset: i, as: UInt8.self)) { i += 1 }
        return i
    }

    /// The high bit of each byte of `word` set exactly when that byte is an ASCII letter: the byte with bit 5
    /// set lies in 0x61...0x7A ("hasbetween" of Sean Anderson's bit hacks; no byte carries into its neighbour).
    @inline(__always) static func letterBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let folded = word | (ones &* 0x20)
        let low7 = folded & (ones &* 0x7F)
        let belowBrace = (ones &* (0x7F + 0x7B)) &- low7
        let aboveBacktick = low7 &+ (ones &* (0x7F - 0x60))
        return belowBrace & aboveBacktick & ~word & (ones &* 0x80)
    }

    private struct Word {
        var range: Range<Int>
        /// Index in the wordlist, or -1.
        var index: Int
    }

    /// Splits a chain of word-shaped tokens into runs of listed words and tries every phrase window in them.
    private static func findPhrases(_ text: ScanText, in chain: Range<Int>, into matches: inout [DetectorMatch]) {
        var run: [Word] = []
        var i = chain.lowerBound
        while i < chain.upperBound {
            guard ScanBytes.isLetter(text[i]) else {
                i += 1
                continue
            }
            let start = i
            while i < chain.upperBound && ScanBytes.isLetter(text[i]) { i += 1 }
            let range = start..<i
            let caseOK = isOneCase(text, range)
            let index = caseOK ? BIP39Wordlist.index(of: text.lowered, range) : nil
            if let index {
                run.append(Word(range: range, index: index))
            } else {
                tryWindows(text, run, into: &matches)
                run.removeAll(keepingCapacity: true)
            }
        }
        tryWindows(text, run, into: &matches)
    }

    private static func isOneCase(_ text: ScanText, _ range: Range<Int>) -> Bool {
        var upper = 0
        for i in range where ScanBytes.isUpper(text[i]) { upper += 1 }
        return upper == 0 || upper == range.count
    }

    /// Every valid phrase window of the run, overlapping ones merged into one match.
    ///
    /// Context words such as "seed", "phrase", "secret" and "key" are themselves BIP-39 words, so a window
    /// shifted onto them passes the checksum by chance (1 in 16 for 12 words). Reporting the union rather
    /// than picking one window never leaves part of the real phrase showing; at worst it also hides the
    /// context word.
    private static func tryWindows(_ text: ScanText, _ run: [Word], into matches: inout [DetectorMatch]) {
        guard run.count >= 12 else { return }
        var current: Range<Int>?
        let all = run.map(\.index)
        for s in 0...(run.count - 12) {
            for length in phraseLengths where s + length <= run.count {
                let indices = all[s..<(s + length)]
                guard !repeatsWords(indices), BIP39Wordlist.hasValidChecksum(indices) else { continue }
                let range = run[s].range.lowerBound..<run[s + length - 1].range.upperBound
                if let open = current, range.lowerBound < open.upperBound {
                    current = open.lowerBound..<max(open.upperBound, range.upperBound)
                } else {
                    if let open = current { matches.append(DetectorMatch(range: open, mask: .prefixAndLength(""))) }
                    current = range
                }
            }
        }
        if let open = current { matches.append(DetectorMatch(range: open, mask: .prefixAndLength(""))) }
    }

    /// More than two repeated words: a test vector or a made-up example (random phrases almost never repeat).
    static func repeatsWords(_ indices: ArraySlice<Int>) -> Bool {
        var repeats = 0
        for a in (indices.startIndex + 1)..<indices.endIndex {
            for b in indices.startIndex..<a where indices[a] == indices[b] {
                repeats += 1
                if repeats > 2 { return true }  // early: a hostile `abandon abandon …` costs little
                break
            }
        }
        return false
    }
}

/// Lookup and checksum over ``BIP39EnglishWords``.
enum BIP39Wordlist {
    static let words: [[UInt8]] = BIP39EnglishWords.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        .map { Array($0.utf8) }

    /// First four letters (fewer for 3-letter words), packed big-endian: unique per word by BIP-39's design.
    private static let indexByPrefix: [UInt32: Int] = {
        var table: [UInt32: Int] = [:]
        for (index, word) in words.enumerated() { table[prefixKey(word[...])] = index }
        precondition(table.count == 2048, "BIP-39 wordlist must have 2048 words with unique 4-letter prefixes")
        return table
    }()

    private static func prefixKey(_ word: ArraySlice<UInt8>) -> UInt32 {
        var key: UInt32 = 0
        for b in word.prefix(4) { key = key << 8 | UInt32(b) }
        return key | UInt32(min(word.count, 4)) << 29  // length tag: "act" and "acti…" differ
    }

    /// The index of the lower-case word `lowered[range]`, or nil if it is not in the list.
    static func index(of lowered: [UInt8], _ range: Range<Int>) -> Int? {
        guard (3...8).contains(range.count), let index = indexByPrefix[prefixKey(lowered[range])] else { return nil }
        return words[index].elementsEqual(lowered[range]) ? index : nil
    }

    /// Whether word indices (12–24, a multiple of 3) carry a valid BIP-39 checksum: the last `count / 3` bits
    /// of the 11-bit groups equal the first bits of SHA-256 over the preceding entropy bits.
    static func hasValidChecksum(_ indices: [Int]) -> Bool { hasValidChecksum(indices[...]) }

    static func hasValidChecksum(_ indices: ArraySlice<Int>) -> Bool {
        let totalBits = indices.count * 11
        let checksumBits = indices.count / 3
        let entropyBytes = (totalBits - checksumBits) / 8
        guard indices.count % 3 == 0, (12...24).contains(indices.count) else { return false }
        var bytes = [UInt8](repeating: 0, count: (totalBits + 7) / 8)
        var bit = 0
        for index in indices {
            for k in stride(from: 10, through: 0, by: -1) {
                if (index >> k) & 1 == 1 { bytes[bit >> 3] |= 0x80 >> UInt8(bit & 7) }
                bit += 1
            }
        }
        let digest = Array(SHA256.hash(data: bytes[0..<entropyBytes]))
        // The checksum (at most 8 bits) sits in the byte after the entropy, from its top.
        let stored = bytes[entropyBytes] >> UInt8(8 - checksumBits)
        let expected = digest[0] >> UInt8(8 - checksumBits)
        return stored == expected
    }
}
