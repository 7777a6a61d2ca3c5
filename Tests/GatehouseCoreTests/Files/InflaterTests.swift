import GatehouseTesting
import Testing

@testable import GatehouseCore

/// The inflater against zlib's own output, and against malformed streams zlib would never write.
@Suite("Inflater")
struct InflaterTests {
    struct Stream: CustomStringConvertible, Sendable {
        var file: String
        var size: Int
        var crc: UInt32
        var description: String { file }
    }

    /// The manifest `make_office_fixtures.py` writes: file, original size, original CRC-32 (from zlib).
    static let streams: [Stream] = {
        guard let bytes = try? FixtureFiles.bytes("inflate/manifest.txt") else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard !line.hasPrefix("#"), fields.count == 3, let size = Int(fields[1]),
                let crc = UInt32(fields[2], radix: 16)
            else { return nil }
            return Stream(file: String(fields[0]), size: size, crc: crc)
        }
    }()

    @Test func manifestCoversLevelsEmptyAndOneMegabyte() {
        let files = Set(Self.streams.map(\.file))
        #expect(files.isSuperset(of: ["empty.l0.deflate", "empty.l1.deflate", "empty.l9.deflate"]))
        #expect(files.contains { $0.hasSuffix(".l0.deflate") && !$0.hasPrefix("empty") })
        #expect(files.contains { $0.hasSuffix(".l1.deflate") && !$0.hasPrefix("empty") })
        #expect(Self.streams.contains { $0.size == 1 << 20 && $0.file.hasSuffix(".l9.deflate") })
    }

    @Test(arguments: streams)
    func reproducesZlibOutput(stream: Stream) throws {
        let compressed = try FixtureFiles.bytes("inflate/" + stream.file)
        let output = try Inflater.inflate(compressed, sizeHint: stream.size, limit: stream.size)
        #expect(output.count == stream.size)
        #expect(CRC32.checksum(output) == stream.crc)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func stopsAtTheLimit() throws {
        let compressed = try FixtureFiles.bytes("inflate/words-1m.l9.deflate")
        #expect(throws: InflateError.outputLimitExceeded) { try Inflater.inflate(compressed, limit: 1000) }
        let stored = try FixtureFiles.bytes("inflate/words-70k.l0.deflate")
        #expect(throws: InflateError.outputLimitExceeded) { try Inflater.inflate(stored, limit: 69_999) }
        var one = DeflateBitWriter()
        one.field(1, 1)
        one.field(1, 2)
        one.fixedLiteral(0x61)
        one.fixedLiteral(256)
        #expect(throws: InflateError.outputLimitExceeded) { try Inflater.inflate(one.bytes, limit: 0) }
        #expect(try Inflater.inflate(one.bytes, limit: 1) == [0x61])
    }

    @Test func everyTruncationIsRefused() throws {
        let compressed = try FixtureFiles.bytes("inflate/skewed-64k.l9.deflate")
        for cut in stride(from: 0, to: compressed.count, by: max(1, compressed.count / 150)) {
            #expect(throws: InflateError.truncated) { try Inflater.inflate(Array(compressed[..<cut]), limit: 1 << 20) }
        }
    }

    /// Random corruption must end in a result or an ``InflateError``, never a trap or a hang.
    @Test func corruptedStreamsFailCleanly() throws {
        let compressed = try FixtureFiles.bytes("inflate/skewed-64k.l9.deflate")
        var random = SeededGenerator(seed: 0x1F1A7E)
        var failures = 0
        for _ in 0..<300 {
            var mutated = compressed
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let at = Int(random.next() % UInt64(mutated.count))
                mutated[at] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
            }
            do {
                _ = try Inflater.inflate(mutated, limit: 1 << 20)
            } catch is InflateError {
                failures += 1
            }
        }
        #expect(failures > 0)
        for _ in 0..<2000 {
            let noise = (0..<(1 + Int(random.next() % 96))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            do { _ = try Inflater.inflate(noise, limit: 1 << 16) } catch is InflateError {}
        }
    }

    /// Table rebuilding is bounded per block, so a stream of tiny dynamic blocks stays linear.
    @Test func manyTinyDynamicBlocksAreDecoded() throws {
        let stream = DeflateBitWriter.tinyDynamicBlocks(4_000)
        #expect(try Inflater.inflate(stream, limit: 1 << 20) == Array(repeating: 0, count: 4_000))
    }

    // MARK: Hand-made malformed streams

    @Test func reservedBlockTypeIsRefused() {
        var w = DeflateBitWriter()
        w.field(1, 1)
        w.field(3, 2)
        #expect(throws: InflateError.invalidBlockType) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func storedLengthMustMatchItsComplement() {
        #expect(throws: InflateError.storedLengthMismatch) {
            try Inflater.inflate([0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5], limit: 100)
        }
        #expect((try? Inflater.inflate([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2, 3, 4, 5], limit: 100)) == [1, 2, 3, 4, 5])
    }

    @Test func distanceBeforeTheStartIsRefused() {
        var w = DeflateBitWriter()
        w.field(1, 1)
        w.field(1, 2)
        w.fixedLiteral(0x41)
        w.fixedLiteral(257)  // length 3
        w.code(1, 5)  // distance 2, one byte written
        w.fixedLiteral(256)
        #expect(throws: InflateError.distanceTooFar) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func overlappingBackReferenceRepeatsARun() throws {
        var w = DeflateBitWriter()
        w.field(1, 1)
        w.field(1, 2)
        w.fixedLiteral(0x61)
        w.fixedLiteral(0x62)
        w.fixedLiteral(265)  // length 11 + 1 extra bit
        w.field(1, 1)  // length 12
        w.code(1, 5)  // distance 2
        w.fixedLiteral(256)
        #expect(try Inflater.inflate(w.bytes, limit: 100) == Array("ab".utf8) + Array("abababababab".utf8))
    }

    @Test func reservedFixedSymbolsAreRefused() {
        var literal = DeflateBitWriter()
        literal.field(1, 1)
        literal.field(1, 2)
        literal.fixedLiteral(286)
        #expect(throws: InflateError.invalidSymbol) { try Inflater.inflate(literal.bytes, limit: 100) }

        var distance = DeflateBitWriter()
        distance.field(1, 1)
        distance.field(1, 2)
        distance.fixedLiteral(0x41)
        distance.fixedLiteral(257)
        distance.code(30, 5)
        #expect(throws: InflateError.invalidSymbol) { try Inflater.inflate(distance.bytes, limit: 100) }
    }

    /// A dynamic header: `codeLengthLengths` in storage order (16, 17, 18, 0, 8, …).
    static func dynamicHeader(literals: Int, distances: Int, codeLengthLengths: [Int]) -> DeflateBitWriter {
        var w = DeflateBitWriter()
        w.field(1, 1)
        w.field(2, 2)
        w.field(literals - 257, 5)
        w.field(distances - 1, 5)
        w.field(codeLengthLengths.count - 4, 4)
        for length in codeLengthLengths { w.field(length, 3) }
        return w
    }

    @Test func oversubscribedCodeIsRefused() {
        let w = Self.dynamicHeader(literals: 257, distances: 1, codeLengthLengths: Array(repeating: 1, count: 19))
        #expect(throws: InflateError.invalidCodeLengths) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func incompleteCodeLengthCodeIsRefused() {
        // Two 2-bit codes use half the code space.
        let w = Self.dynamicHeader(literals: 257, distances: 1, codeLengthLengths: [0, 0, 2, 2])
        #expect(throws: InflateError.invalidCodeLengths) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func tooManyLiteralCodesAreRefused() {
        let w = Self.dynamicHeader(literals: 288, distances: 1, codeLengthLengths: [0, 0, 0, 0])
        #expect(throws: InflateError.tooManyCodes) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func repeatWithNothingBeforeItIsRefused() {
        // Code-length code: symbol 16 and symbol 0, one bit each. Code 0 is symbol 0, code 1 is 16.
        var w = Self.dynamicHeader(literals: 257, distances: 1, codeLengthLengths: [1, 0, 0, 1])
        w.code(1, 1)  // 16 first: repeat the previous length, of which there is none
        w.field(0, 2)
        #expect(throws: InflateError.invalidRepeat) { try Inflater.inflate(w.bytes, limit: 100) }
    }

    @Test func missingEndOfBlockCodeIsRefused() {
        // Code-length code: 18 (zeros 11–138) and 1, one bit each; storage order puts 18 third, 1 eighteenth.
        var order = Array(repeating: 0, count: 18)
        order[2] = 1  // symbol 18
        order[17] = 1  // symbol 1
        var w = Self.dynamicHeader(literals: 257, distances: 1, codeLengthLengths: order)
        // Code 0 is symbol 1, code 1 is symbol 18. Literals 0 and 1 get length 1, then 138 + 118 zeros
        // cover the rest, including 256 (end of block), then the one distance code gets length 1.
        w.code(0, 1)
        w.code(0, 1)
        w.code(1, 1)
        w.field(127, 7)
        w.code(1, 1)
        w.field(107, 7)
        w.code(0, 1)
        #expect(throws: InflateError.missingEndOfBlock) { try Inflater.inflate(w.bytes, limit: 100) }
    }
}
