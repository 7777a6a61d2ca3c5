import Foundation

/// Reads committed fixtures from `Tests/GatehouseCoreTests/Fixtures` by a path relative to this source
/// file, so no SwiftPM resource bundle is needed. The fixtures are written by `make_office_fixtures.py`.
enum FixtureFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    static func office(_ name: String) throws -> [UInt8] { try bytes("office/" + name) }
}

/// Writes DEFLATE bit streams by hand, for malformed streams zlib would never produce: fields least
/// significant bit first, Huffman codes most significant bit first (RFC 1951 §3.1.1).
struct DeflateBitWriter {
    private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    mutating func field(_ value: Int, _ count: Int) {
        for i in 0..<count { append(bit: (value >> i) & 1) }
    }

    mutating func code(_ code: Int, _ length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { append(bit: (code >> i) & 1) }
    }

    /// A fixed-Huffman literal/length symbol (§3.2.6).
    mutating func fixedLiteral(_ symbol: Int) {
        switch symbol {
        case 0..<144: code(0x30 + symbol, 8)
        case 144..<256: code(0x190 + symbol - 144, 9)
        case 256..<280: code(symbol - 256, 7)
        default: code(0xC0 + symbol - 280, 8)
        }
    }

    private mutating func append(bit: Int) {
        if bitCount % 8 == 0 { bytes.append(0) }
        bytes[bytes.count - 1] |= UInt8(bit) << UInt8(bitCount % 8)
        bitCount += 1
    }
}

extension DeflateBitWriter {
    /// `count` minimal dynamic blocks of one literal (0x00) each: the cheapest way to make an inflater
    /// rebuild its Huffman tables, about 12 bytes of input per rebuild.
    static func tinyDynamicBlocks(_ count: Int) -> [UInt8] {
        var w = DeflateBitWriter()
        // Code-length code: symbols 1 and 18, one bit each (18 is third in storage order, 1 eighteenth).
        var order = Array(repeating: 0, count: 18)
        order[2] = 1
        order[17] = 1
        for k in 0..<count {
            w.field(k == count - 1 ? 1 : 0, 1)
            w.field(2, 2)
            w.field(0, 5)  // 257 literal/length codes
            w.field(0, 5)  // 1 distance code
            w.field(order.count - 4, 4)
            for length in order { w.field(length, 3) }
            w.code(0, 1)  // literal 0: length 1
            w.code(1, 1)
            w.field(127, 7)  // literals 1...138: 0
            w.code(1, 1)
            w.field(106, 7)  // literals 139...255: 0
            w.code(0, 1)  // 256 (end of block): length 1
            w.code(0, 1)  // distance 0: length 1
            w.code(0, 1)  // literal 0
            w.code(1, 1)  // end of block
        }
        return w.bytes
    }
}
