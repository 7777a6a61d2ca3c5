/// A DEFLATE decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks, written here so the
/// gate needs neither zlib nor a third-party package to read Office files.
///
/// Built for hostile input: every length and code is checked before use, back-references may not reach
/// before the start of the output, and output stops at `limit`, so a zip bomb costs at most `limit`
/// bytes and time linear in input plus output. Errors are ``InflateError``s; nothing traps.
enum Inflater {
    /// Inflates a raw DEFLATE stream (no zlib or gzip wrapper).
    ///
    /// - Parameters:
    ///   - sizeHint: the expected output size, reserved up front (clamped to `limit`).
    ///   - limit: the most output allowed; more throws ``InflateError/outputLimitExceeded``.
    /// Bytes after the final block are ignored, as zlib does.
    static func inflate(_ input: [UInt8], sizeHint: Int = 0, limit: Int) throws -> [UInt8] {
        try inflate(input[...], sizeHint: sizeHint, limit: limit)
    }

    /// Inflates a raw DEFLATE stream held in part of a larger buffer (a ZIP entry's data).
    static func inflate(_ input: ArraySlice<UInt8>, sizeHint: Int = 0, limit: Int) throws -> [UInt8] {
        var output = InflateOutput(sizeHint: sizeHint, limit: limit)
        defer { output.deallocate() }
        var tables = DynamicTables()
        try input.withUnsafeBufferPointer { buffer in
            var reader = InflateBitReader(buffer)
            var isFinal = false
            while !isFinal {
                isFinal = try reader.bits(1) == 1
                switch try reader.bits(2) {
                case 0: try storedBlock(&reader, into: &output)
                case 1: try huffmanBlock(&reader, Fixed.literals, Fixed.distances, into: &output)
                case 2:
                    try tables.read(&reader)
                    try huffmanBlock(&reader, tables.literals, tables.distances, into: &output)
                default: throw InflateError.invalidBlockType
                }
            }
        }
        return output.array()
    }

    /// §3.2.4: byte-aligned LEN, NLEN, then LEN literal bytes.
    private static func storedBlock(_ reader: inout InflateBitReader, into output: inout InflateOutput) throws {
        reader.alignToByte()
        let length = try reader.bits(16)
        let complement = try reader.bits(16)
        guard length == ~complement & 0xFFFF else { throw InflateError.storedLengthMismatch }
        try output.reserve(length)
        try reader.copyBytes(length, into: &output)
    }

    /// §3.2.5: literals, end of block, and (length, distance) back-references.
    private static func huffmanBlock(
        _ reader: inout InflateBitReader, _ literals: HuffmanTable, _ distances: HuffmanTable,
        into output: inout InflateOutput
    ) throws {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                try output.append(UInt8(truncatingIfNeeded: symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw InflateError.invalidSymbol }  // 286 and 287 are reserved
            let length = Int(lengthBase[lengthIndex]) + (try reader.bits(Int(lengthExtra[lengthIndex])))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < 30 else { throw InflateError.invalidSymbol }  // 30 and 31 are reserved
            let distance = Int(distanceBase[distanceSymbol]) + (try reader.bits(Int(distanceExtra[distanceSymbol])))
            guard distance <= output.count else { throw InflateError.distanceTooFar }
            try output.appendMatch(distance: distance, length: length)
        }
    }

    /// §3.2.7: a dynamic block's codes, rebuilt in place for each block.
    private struct DynamicTables {
        var codeLengthCode = HuffmanTable(fastBits: 7)
        var literals = HuffmanTable(fastBits: 9)
        var distances = HuffmanTable(fastBits: 6)
        var codeLengthLengths = Array(repeating: UInt8(0), count: 19)
        var lengths = Array(repeating: UInt8(0), count: 286 + 30)

        /// Reads a dynamic block's header into the three codes.
        mutating func read(_ reader: inout InflateBitReader) throws {
            let literalCount = try reader.bits(5) + 257
            let distanceCount = try reader.bits(5) + 1
            let codeLengthCount = try reader.bits(4) + 4
            guard literalCount <= 286 && distanceCount <= 30 else { throw InflateError.tooManyCodes }

            for i in 0..<19 { codeLengthLengths[i] = 0 }
            for i in 0..<codeLengthCount { codeLengthLengths[Int(codeLengthOrder[i])] = UInt8(try reader.bits(3)) }
            try codeLengthCode.build(lengths: codeLengthLengths[...], isCodeLengthCode: true)

            let total = literalCount + distanceCount
            var i = 0
            while i < total {
                let symbol = try codeLengthCode.decode(&reader)
                if symbol < 16 {
                    lengths[i] = UInt8(symbol)
                    i += 1
                    continue
                }
                let value: UInt8
                let repeats: Int
                switch symbol {
                case 16:
                    guard i > 0 else { throw InflateError.invalidRepeat }
                    value = lengths[i - 1]
                    repeats = 3 + (try reader.bits(2))
                case 17:
                    value = 0
                    repeats = 3 + (try reader.bits(3))
                default:
                    value = 0
                    repeats = 11 + (try reader.bits(7))
                }
                guard i + repeats <= total else { throw InflateError.invalidRepeat }
                for k in i..<(i + repeats) { lengths[k] = value }
                i += repeats
            }
            guard lengths[256] != 0 else { throw InflateError.missingEndOfBlock }
            try literals.build(lengths: lengths[0..<literalCount])
            try distances.build(lengths: lengths[literalCount..<total])
        }
    }

    /// §3.2.6: the fixed codes, built once.
    private enum Fixed {
        static let literals: HuffmanTable = {
            var lengths = Array(repeating: UInt8(8), count: 288)
            for i in 144..<256 { lengths[i] = 9 }
            for i in 256..<280 { lengths[i] = 7 }
            // Fixed codes are valid by construction.
            return try! HuffmanTable(lengths: lengths, fastBits: 9)
        }()
        static let distances: HuffmanTable = {
            try! HuffmanTable(lengths: Array(repeating: UInt8(5), count: 32), fastBits: 6)
        }()
    }

    private static let codeLengthOrder: [UInt8] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    private static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
}
