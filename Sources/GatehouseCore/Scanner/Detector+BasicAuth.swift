extension Detector {
    /// HTTP Basic credentials (RFC 7617): `Basic ` + base64 of `user:password`, as in an `Authorization` or
    /// `Proxy-Authorization` header pasted from curl, a HAR file or a log.
    ///
    /// The token is decoded: it must be padded base64 (length a multiple of 4) of printable text holding a
    /// `:` with a password of 4+ characters after it (the user may be empty, as for personal access tokens).
    /// English after "basic" ("basic training") fails the decoding. Stand-in passwords (`user:password`,
    /// `<pass>`, `***`, a password equal to the user) are refused as in `url-credentials`. The finding
    /// covers the base64 token; `Basic` stays readable.
    public static let basicAuth = Detector(
        id: "basic-auth",
        summary: "HTTP Basic credentials; the base64 is only an encoding of the user name and password.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: ["basic "],
        validator: .atKeyword(BasicAuthValidator.validate)
    )
}

enum BasicAuthValidator {
    static let maximumToken = 1024

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard !ScanBytes.isAlnum(text[hit.range.lowerBound - 1]) else { return .noMatch }
        var start = hit.range.upperBound
        while text[start] == 0x20 && start - hit.range.upperBound < 8 { start += 1 }
        var end = start
        while ScanBytes.isBase64(text[end]) && end - start <= maximumToken { end += 1 }
        var padding = 0
        while text[end] == 0x3D && padding < 2 {
            end += 1
            padding += 1
        }
        let token = start..<end
        guard token.count >= 8, token.count % 4 == 0, !ScanBytes.isBase64URL(text[end]), text[end] != 0x3D,
            let decoded = decode(text.bytes[token])
        else { return .noMatch }
        guard let colon = decoded.firstIndex(of: 0x3A) else { return .noMatch }
        let credentials = ScanText(bytes: decoded)
        guard URLCredentialsValidator.isRealPassword(credentials, (colon + 1)..<decoded.count, user: 0..<colon) else {
            return .noMatchBefore(end)
        }
        return .match(DetectorMatch(range: token, mask: .prefixAndLength("")))
    }

    /// Standard base64 with `=` padding, decoded, if every decoded byte is printable ASCII or UTF-8.
    static func decode(_ token: ArraySlice<UInt8>) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(token.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for b in token where b != 0x3D {
            let value: UInt8
            switch b {
            case 0x41...0x5A: value = b - 0x41
            case 0x61...0x7A: value = b - 0x61 + 26
            case 0x30...0x39: value = b - 0x30 + 52
            case 0x2B: value = 62
            case 0x2F: value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                let byte = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                guard byte >= 0x20 && byte != 0x7F else { return nil }
                decoded.append(byte)
            }
        }
        return decoded
    }
}
