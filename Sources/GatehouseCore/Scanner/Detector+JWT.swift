extension Detector {
    /// JSON Web Tokens (RFC 7519): base64url segments `header.payload.signature`, where the header decodes
    /// to a JSON object containing `"alg"`.
    ///
    /// `eyJ` is base64 of `{"`, so the keyword finds headers cheaply; decoding the header rejects random
    /// `eyJ…` strings. The signature must be 16+ characters: an unsigned (`alg: none`) token authenticates
    /// nothing. Up to two further segments (JWE) are included in the finding.
    public static let jwt = Detector(
        id: "jwt",
        summary: "A JSON Web Token; until it expires it usually authenticates its holder as the subject.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: ["eyj"],
        validator: .atKeyword(JWTValidator.validate)
    )
}

enum JWTValidator {
    static let maximumHeaderLength = 8192

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        // A token starts a base64url run. Every hit inside a run is refused here in O(1), so each run is
        // read once however many `eyJ` it holds ("-eyJ-eyJ…").
        let before = text[start - 1]
        guard text.hasPrefix("eyJ", at: start), !ScanBytes.isBase64URL(before), before != 0x2E else { return .noMatch }

        var end = start
        while ScanBytes.isBase64URL(text[end]) {
            end += 1
            if end - start > maximumHeaderLength { return .noMatch }
        }
        let header = start..<end
        guard header.count >= 16, text[end] == 0x2E else { return .noMatch }

        var segments = 1
        var lengths: [Int] = [header.count]
        while segments < 5, text[end] == 0x2E, ScanBytes.isBase64URL(text[end + 1]) {
            let segmentStart = end + 1
            end = segmentStart
            while ScanBytes.isBase64URL(text[end]) { end += 1 }
            lengths.append(end - segmentStart)
            segments += 1
        }
        guard segments >= 3, lengths[1] >= 2, lengths[2] >= 16, headerHasAlg(text.bytes, header) else {
            return .noMatch
        }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("eyJ")))
    }

    /// Decodes the base64url header and checks it is a JSON object naming `"alg"`.
    static func headerHasAlg(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for i in range {
            guard let value = base64URLValue(bytes[i]) else { return false }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                decoded.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        guard let open = decoded.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
            decoded[open] == 0x7B
        else { return false }
        let alg = Array("\"alg\"".utf8)
        guard decoded.count - alg.count >= open else { return false }
        for i in open...(decoded.count - alg.count) where decoded[i..<(i + alg.count)].elementsEqual(alg) {
            return true
        }
        return false
    }

    private static func base64URLValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x41...0x5A: b - 0x41
        case 0x61...0x7A: b - 0x61 + 26
        case 0x30...0x39: b - 0x30 + 52
        case 0x2D: 62
        case 0x5F: 63
        default: nil
        }
    }
}
