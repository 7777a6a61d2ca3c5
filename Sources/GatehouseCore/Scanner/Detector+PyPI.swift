extension Detector {
    /// PyPI API tokens: `pypi-` + a base64url (unpadded) macaroon, for pypi.org (`pypi-AgEIcHlwaS5vcmc…`) and
    /// test.pypi.org (`pypi-AgENdGVzdC5weXBpLm9yZw…`).
    ///
    /// The fixed head is the macaroon's binary v2 header: version 2, then the location field holding
    /// `pypi.org` or `test.pypi.org` (warehouse `macaroons/services.py`; pymacaroons `_serialize_v2`).
    /// A v2 macaroon ends with the end of its caveat list, then the signature field: bytes `00 06 20` and
    /// 32 bytes of HMAC-SHA256. That tail is checked, so the head pasted with made-up characters
    /// (`pypi-AgEIcHlwaS5vcmc...`, `…abcdefghij`) is not a finding. Bodies run 100–2,000 characters; issued
    /// tokens are 170–250 and grow with caveats.
    public static let pypiToken = Detector(
        id: "pypi-token",
        summary: "A PyPI API token; it can upload releases of its owner's projects, a supply-chain risk.",
        category: .secret,
        family: .codeHosting,
        severity: .high,
        keywords: ["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"],
        validator: .atKeyword(PyPITokenValidator.validate)
    )
}

enum PyPITokenValidator {
    static let minimumBody = 100
    static let maximumBody = 2000

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyStart = start + 5  // after `pypi-`
        guard text.hasPrefix("pypi-AgE", at: start), !ScanBytes.isBase64URL(text[start - 1]) else { return .noMatch }
        // Case matters past the keyword's case-insensitive match: check the head exactly.
        guard text.hasPrefix("pypi-AgEIcHlwaS5vcmc", at: start) || text.hasPrefix("pypi-AgENdGVzdC5weXBpLm9yZw", at: start)
        else { return .noMatch }
        guard let end = PlatformTokenShape.runEnd(text, from: bodyStart, limit: maximumBody, ScanBytes.isBase64URL) else {
            // One over-long run: later hits inside it have a token character before them and fail anyway.
            return .noMatchBefore(bodyStart + maximumBody)
        }
        let body = bodyStart..<end
        guard body.count >= minimumBody, body.count % 4 != 1, hasSignatureTail(text, body) else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("pypi-")))
    }

    /// Whether the decoded macaroon ends with `00 06 20` + 32 signature bytes.
    static func hasSignatureTail(_ text: ScanText, _ body: Range<Int>) -> Bool {
        let count = PlatformTokenShape.decodedCount(length: body.count)
        return PlatformTokenShape.decodedByte(text, body, at: count - 35) == 0x00
            && PlatformTokenShape.decodedByte(text, body, at: count - 34) == 0x06
            && PlatformTokenShape.decodedByte(text, body, at: count - 33) == 0x20
    }
}
