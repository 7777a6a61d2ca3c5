/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP stores it for every entry.
///
/// The ZIP reader checks it on every entry it inflates, so a corrupted or tampered part is refused
/// rather than scanned as whatever the damaged stream happened to decode to. Slicing-by-8 (eight
/// 256-entry tables, eight bytes per step) keeps the check a small fraction of inflating.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            tables.withUnsafeBufferPointer { t in
                var crc: UInt32 = 0xFFFF_FFFF
                var i = 0
                let n = buffer.count
                while i + 8 <= n {
                    let low =
                        (UInt32(buffer[i]) | UInt32(buffer[i + 1]) << 8 | UInt32(buffer[i + 2]) << 16
                            | UInt32(buffer[i + 3]) << 24) ^ crc
                    let high =
                        UInt32(buffer[i + 4]) | UInt32(buffer[i + 5]) << 8 | UInt32(buffer[i + 6]) << 16
                        | UInt32(buffer[i + 7]) << 24
                    crc =
                        t[7 << 8 | Int(low & 0xFF)] ^ t[6 << 8 | Int(low >> 8 & 0xFF)]
                        ^ t[5 << 8 | Int(low >> 16 & 0xFF)] ^ t[4 << 8 | Int(low >> 24)]
                        ^ t[3 << 8 | Int(high & 0xFF)] ^ t[2 << 8 | Int(high >> 8 & 0xFF)]
                        ^ t[1 << 8 | Int(high >> 16 & 0xFF)] ^ t[Int(high >> 24)]
                    i += 8
                }
                while i < n {
                    crc = t[Int((crc ^ UInt32(buffer[i])) & 0xFF)] ^ (crc >> 8)
                    i += 1
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }

    /// `tables[k << 8 | b]`: the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) << 8 | n]
                t[k << 8 | n] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()
}
