import GatehouseTesting
import Testing

@testable import GatehouseCore

/// The scanner's fast paths (keyword automaton, eight-bytes-at-a-time skips) against plain reference code.
@Suite("Scanner fast paths")
struct ScannerFastPathTests {
    /// Every occurrence of every pattern, by brute force, case-insensitively for ASCII letters.
    static func naiveHits(_ patterns: [[UInt8]], _ text: [UInt8]) -> [[Int]] {
        let lowered = text.map { ScanBytes.isUpper($0) ? $0 | 0x20 : $0 }
        var hits: [[Int]] = []
        for end in 0...lowered.count {
            for (index, pattern) in patterns.enumerated() where pattern.count <= end {
                if Array(lowered[(end - pattern.count)..<end]) == pattern { hits.append([end, index]) }
            }
        }
        return hits
    }

    static func automatonHits(_ automaton: KeywordAutomaton, _ text: [UInt8], limit: Int) -> [[Int]] {
        var cursor = KeywordAutomaton.Cursor()
        var batch: [KeywordAutomaton.Hit] = []
        var hits: [[Int]] = []
        while automaton.collect(in: text, from: &cursor, into: &batch, limit: limit) {
            hits += batch.map { [$0.end, $0.pattern] }
            batch.removeAll()
        }
        return hits.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
    }

    @Test func automatonMatchesBruteForceOnLoweredText() {
        // The scanner hands the automaton the lower-cased copy (ScanText.lowered), as here.
        let patterns = ["he", "she", "his", "hers", "sk-", "-us", "://", "a", "aaa", "pypi-age", "\u{00E9}t\u{00E9}"]
            .map { Array($0.utf8) }
        let automaton = KeywordAutomaton(patterns: patterns)
        let alphabet = Array("hesirHESIRk-us:/apyPAYg ".utf8) + Array("\u{00E9}".utf8) + [0x00, 0xFF]
        var random = SeededGenerator(seed: 0x6175_746F)
        for length in [0, 1, 2, 7, 64, 500] {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
                let lowered = text.map { ScanBytes.isUpper($0) ? $0 | 0x20 : $0 }
                let expected = Self.naiveHits(patterns, text)
                #expect(Self.automatonHits(automaton, lowered, limit: 4096) == expected)
                #expect(Self.automatonHits(automaton, lowered, limit: 1) == expected)
            }
        }
    }

    @Test func letterBitsMarksExactlyTheASCIILetters() {
        for b in 0...255 {
            for position in 0..<8 {
                // Surround the byte with every kind of neighbour, so no carry or borrow goes unnoticed.
                for filler: UInt8 in [0x00, 0x41, 0x7A, 0x80, 0xFF, 0x60, 0x7B] {
                    var word = UInt64(0)
                    for k in 0..<8 { word |= UInt64(k == position ? UInt8(b) : filler) << UInt64(8 * k) }
                    let bits = BIP39SeedPhraseScanner.letterBits(word)
                    for k in 0..<8 {
                        let byte = k == position ? UInt8(b) : filler
                        #expect((bits >> UInt64(8 * k + 7)) & 1 == (ScanBytes.isLetter(byte) ? 1 : 0))
                    }
                }
            }
        }
    }

    @Test func secretScannerFindsTheSameAcrossBatchesAndCase() {
        let scanner = SecretScanner()
        let key = "AKIA" + "Z7Q2VX4LMN3PRT6W"
        let text = String(repeating: "the bearer of this letter, ", count: 300) + "aws key " + key + " ok"
        let found = scanner.scan(text)
        #expect(found.map(\.kind).contains("aws-access-key-id"))
        #expect(scanner.scan(text.uppercased()).map(\.kind).contains("aws-access-key-id"))
    }
}
