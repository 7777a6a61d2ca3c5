extension Detector {
    /// age X25519 identities: `AGE-SECRET-KEY-1` + 58 bech32 characters (52 for the 32-byte key, 6 checksum).
    ///
    /// The format is Bech32 (BIP-173) with human-readable part `age-secret-key-`, upper-cased as `age-keygen`
    /// prints it (age-encryption.org/v1, "X25519 recipient type"). The bech32 checksum is verified, as is the
    /// zero padding of the 256-bit key, so look-alikes (`AGE-SECRET-KEY-1XXXX…`) stay quiet. Mixed case is
    /// invalid bech32 and is refused. Plugin identities (`AGE-PLUGIN-…`) name a hardware key, not a secret.
    public static let ageSecretKey = Detector(
        id: "age-secret-key",
        summary: "An age encryption secret key; it decrypts every file encrypted to its public key.",
        category: .secret,
        family: .privateKey,
        severity: .high,
        keywords: ["age-secret-key-1"],
        validator: .atKeyword(AgeSecretKeyValidator.validate)
    )
}

enum AgeSecretKeyValidator {
    static let humanReadablePart = Array("age-secret-key-".utf8)
    static let dataCharacters = 58

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let dataStart = hit.range.upperBound
        let end = dataStart + dataCharacters
        guard end <= text.count, !ScanBytes.isBase64URL(text[start - 1]), !ScanBytes.isAlnum(text[end]) else {
            return .noMatch
        }
        // Bech32 is all upper or all lower case.
        let upper = ScanBytes.isUpper(text[start])
        for i in start..<end where ScanBytes.isLetter(text[i]) && ScanBytes.isUpper(text[i]) != upper {
            return .noMatch
        }
        var values: [UInt8] = []
        values.reserveCapacity(dataCharacters)
        for i in dataStart..<end {
            guard let value = Bech32.value(of: text.lower(i)) else { return .noMatch }
            values.append(value)
        }
        // 52 groups carry 260 bits for a 256-bit key: the last 4 must be zero.
        guard values[51] & 0x0F == 0, Bech32.verifies(humanReadablePart: humanReadablePart, data: values) else {
            return .noMatch
        }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<dataStart))))
    }
}

/// Bech32 (BIP-173) checksum, shared by detectors of bech32-encoded secrets.
enum Bech32 {
    static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let valueTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in charset.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// The 5-bit value of a lower-case bech32 character.
    @inline(__always) static func value(of character: UInt8) -> UInt8? {
        let value = valueTable[Int(character)]
        return value == 0xFF ? nil : value
    }

    /// Whether `data` (values with the 6 checksum values last) carries a valid Bech32 (constant 1) checksum.
    static func verifies(humanReadablePart hrp: [UInt8], data: [UInt8]) -> Bool {
        var chk: UInt32 = 1
        func step(_ value: UInt8) {
            let top = chk >> 25
            chk = (chk & 0x1FF_FFFF) << 5 ^ UInt32(value)
            for (k, generator) in generators.enumerated() where (top >> UInt32(k)) & 1 == 1 { chk ^= generator }
        }
        for c in hrp { step(c >> 5) }
        step(0)
        for c in hrp { step(c & 31) }
        for value in data { step(value) }
        return chk == 1
    }

    private static let generators: [UInt32] = [0x3B6A_57B2, 0x2650_8E6D, 0x1EA1_19FA, 0x3D42_33DD, 0x2A14_62B3]
}
