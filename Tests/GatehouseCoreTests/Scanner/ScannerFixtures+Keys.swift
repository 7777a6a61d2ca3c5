import Crypto
@testable import GatehouseCore

/// Generators for private keys, wallets and credentials in context, built from random parts at run time.
extension ScannerFixtures {
    static let bech32Charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
    static let base32Digits = "234567"

    // MARK: age

    /// `AGE-SECRET-KEY-1` + the bech32 of 32 random bytes, upper case as `age-keygen` prints it.
    mutating func ageSecretKey() -> String {
        let hrp = "age-secret-key-"
        let data = Self.fiveBitGroups(bytes(32))
        let checksum = Self.bech32Checksum(hrp: hrp, data: data)
        return (hrp + "1" + String((data + checksum).map { Self.bech32Charset[Int($0)] })).uppercased()
    }

    /// The same key with one data character changed, so the checksum fails.
    mutating func ageSecretKeyWithBadChecksum() -> String {
        var key = Array(ageSecretKey())
        let i = 16 + 10
        let lowerCharset = Self.bech32Charset.map { Character($0.uppercased()) }
        let k = lowerCharset.firstIndex(of: key[i])!
        key[i] = lowerCharset[(k + 1) % 32]
        return String(key)
    }

    static func fiveBitGroups(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var accumulator = 0
        var bits = 0
        for b in bytes {
            accumulator = accumulator << 8 | Int(b)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(UInt8((accumulator >> bits) & 31))
            }
        }
        if bits > 0 { out.append(UInt8((accumulator << (5 - bits)) & 31)) }
        return out
    }

    /// BIP-173 reference `bech32_create_checksum`, written out independently of the detector's.
    static func bech32Checksum(hrp: String, data: [UInt8]) -> [UInt8] {
        let generators: [Int] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
        func polymod(_ values: [Int]) -> Int {
            var chk = 1
            for v in values {
                let b = chk >> 25
                chk = (chk & 0x1FF_FFFF) << 5 ^ v
                for i in 0..<5 where (b >> i) & 1 == 1 { chk ^= generators[i] }
            }
            return chk
        }
        let h = Array(hrp.utf8).map(Int.init)
        let values = h.map { $0 >> 5 } + [0] + h.map { $0 & 31 } + data.map(Int.init) + [0, 0, 0, 0, 0, 0]
        let mod = polymod(values) ^ 1
        return (0..<6).map { UInt8((mod >> (5 * (5 - $0))) & 31) }
    }

    // MARK: BIP-39

    /// A valid mnemonic of `words` words (12, 15, 18, 21, 24) for random entropy, words joined by `separator`.
    mutating func seedPhrase(words: Int = 12, separator: String = " ") -> String {
        Self.mnemonic(entropy: bytes(words * 4 / 3)).joined(separator: separator)
    }

    static func mnemonic(entropy: [UInt8]) -> [String] {
        let checksumBits = entropy.count / 4
        let digest = Array(SHA256.hash(data: entropy))
        var bits: [Int] = []
        for b in entropy { for k in stride(from: 7, through: 0, by: -1) { bits.append(Int(b >> UInt8(k)) & 1) } }
        for k in 0..<checksumBits { bits.append(Int(digest[0] >> UInt8(7 - k)) & 1) }
        return stride(from: 0, to: bits.count, by: 11).map { start in
            let index = bits[start..<(start + 11)].reduce(0) { $0 << 1 | $1 }
            return String(decoding: BIP39Wordlist.words[index], as: UTF8.self)
        }
    }

    /// A valid phrase with its last word swapped for another, so the checksum fails (unless by chance; retried).
    mutating func seedPhraseWithBadChecksum(words: Int = 12) -> String {
        while true {
            var list = Self.mnemonic(entropy: bytes(words * 4 / 3))
            let last = BIP39Wordlist.words.firstIndex { String(decoding: $0, as: UTF8.self) == list[words - 1] }!
            list[words - 1] = String(decoding: BIP39Wordlist.words[(last + 1) % 2048], as: UTF8.self)
            let indices = list.map { w in BIP39Wordlist.words.firstIndex { String(decoding: $0, as: UTF8.self) == w }! }
            if !BIP39Wordlist.hasValidChecksum(indices) { return list.joined(separator: " ") }
        }
    }

    // MARK: TOTP, Basic, passwords

    /// A base32 TOTP seed of `length` characters holding at least one digit, as real 16+ character seeds do.
    mutating func totpSeed(length: Int = 32) -> String {
        while true {
            let seed = string(Self.base32, length)
            if seed.contains(where: { Self.base32Digits.contains($0) }) { return seed }
        }
    }

    /// A password as people choose them: letters, digits and a symbol.
    mutating func password(length: Int = 12) -> String {
        let letters = mixed(Self.base62, length - 1)
        return String(letters.prefix(4)) + string("*+-_~!$", 1) + String(letters.dropFirst(4))
    }

    /// Standard base64 with padding (RFC 4648 §4), as HTTP Basic uses.
    static func base64Padded(_ text: String) -> String { base64(Array(text.utf8)) }
}
