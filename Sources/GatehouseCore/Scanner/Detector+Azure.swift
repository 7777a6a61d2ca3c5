extension Detector {
    /// Azure Storage (and Cosmos DB) account keys: 64 random bytes in base64, exactly 88 characters ending
    /// in `==`, assigned to `AccountKey` in a connection string
    /// (`DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net`), to
    /// `accountKey` / `account_key` in config and JSON, to `--account-key` on the `az` command line, or to
    /// `AZURE_STORAGE_KEY`.
    ///
    /// Key length from Azure's "Manage storage account access keys" (512-bit keys). Base64 of 64 bytes has a
    /// last character whose low four bits are zero (`A`, `Q`, `g` or `w`), a free canonical-encoding check
    /// that rejects 15 in 16 made-up strings. The name is required: 88 base64 characters alone could be any hash.
    public static let azureStorageKey = Detector(
        id: "azure-storage-key",
        summary: "An Azure Storage or Cosmos DB account key; it grants full access to the account's data.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["accountkey", "account_key", "account-key", "azure_storage_key"],
        validator: .atKeyword(AzureValidators.accountKey)
    )

    /// Azure shared access signatures (SAS): the `sig=` HMAC-SHA256 signature of a SAS URL or of a
    /// `SharedAccessSignature=` connection string, when the same query also carries the signed version
    /// `sv=YYYY-MM-DD` that every Azure SAS has.
    ///
    /// Format from Azure's "Create a service SAS" reference: `sig` is base64 of 32 bytes (43 characters and
    /// `=`), usually percent-encoded (`%2B`, `%2F`, `%3D`). Requiring `sv=` nearby keeps other services'
    /// `sig=` parameters quiet. The finding covers the signature only, which is what makes the URL usable.
    public static let azureSASToken = Detector(
        id: "azure-sas-token",
        summary: "An Azure shared access signature; until it expires it grants the access its URL names.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["sig="],
        validator: .atKeyword(AzureValidators.sasSignature)
    )
}

enum AzureValidators {
    static let accountKeyLength = 88
    /// How far `sv=` may be before `sig=`; SAS queries are a few hundred bytes, with `sig` last.
    static let sasWindow = 512
    /// How far `sv=` may be after `sig=`, for hand-assembled URLs that put the signature first.
    static let sasForwardWindow = 256

    static func accountKey(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        // The keyword ends the name (`AccountKeyName` or `account_key_id` are other things).
        let after = text.lower(hit.range.upperBound)
        guard !(ScanBytes.isAlnum(after) || after == 0x5F), let start = valueStart(text, after: hit.range.upperBound)
        else { return .noMatch }
        let end = start + accountKeyLength
        guard end <= text.count, text[end - 1] == 0x3D, text[end - 2] == 0x3D, !ScanBytes.isBase64(text[end]),
            text[end] != 0x3D, TokenShape.all(text, start..<(end - 2), ScanBytes.isBase64)
        else { return .noMatch }
        // 64 bytes = 512 bits in 86 characters: the last holds 2 bits and 4 zero bits.
        guard let last = PlatformTokenShape.base64Value(text[end - 3]), last & 0x0F == 0,
            PlatformTokenShape.looksRandom(text, start..<(end - 2), minimumDistinct: 20)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }

    /// Where the value starts after a key name: `=`, `:` or `:=` (``ValueHeuristics/assignmentValue(in:after:)``),
    /// or, for `--account-key`, one or more spaces, each with an optional opening quote.
    private static func valueStart(_ text: ScanText, after keyEnd: Int) -> Int? {
        if let (start, _) = ValueHeuristics.assignmentValue(in: text, after: keyEnd) { return start }
        var i = keyEnd
        while text[i] == 0x20 && i - keyEnd < 4 { i += 1 }
        guard i > keyEnd else { return nil }
        return ScanBytes.isQuote(text[i]) ? i + 1 : i
    }

    static func sasSignature(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.upperBound
        let before = text[hit.range.lowerBound - 1]
        // A query parameter: `?sig=`, `&sig=`, or the start of a bare SAS string.
        guard before == 0x26 || before == 0x3F || before == 0x3B || before == 0 || before == 0x20 || before == 0x22
            || before == 0x27 || before == 0x0A
        else { return .noMatch }
        guard let end = signatureEnd(text, from: start), hasSignedVersion(text, near: hit.range.lowerBound) else {
            return .noMatch
        }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }

    /// The end of a 32-byte base64 signature starting at `start`, percent-encoded or not, or nil.
    /// Its 43rd character holds 4 bits and 2 zero bits, so it is one of 16; padding `=` / `%3D` is required.
    static func signatureEnd(_ text: ScanText, from start: Int) -> Int? {
        var i = start
        var characters = 0
        var lastValue: UInt8 = 0
        var seen: UInt64 = 0
        while characters < 43 {
            let b = text[i]
            if b == 0x25 {  // %2B, %2F (either case)
                let h = text[i + 1]
                let l = text.lower(i + 2)
                guard h == 0x32, l == 0x62 || l == 0x66 else { return nil }
                lastValue = l == 0x62 ? 62 : 63
                i += 3
            } else if let value = PlatformTokenShape.base64Value(b), b != 0x2D, b != 0x5F {
                lastValue = value
                i += 1
            } else {
                return nil
            }
            seen |= 1 << UInt64(lastValue)
            characters += 1
        }
        guard lastValue & 0x03 == 0, seen.nonzeroBitCount >= 16 else { return nil }
        if text[i] == 0x3D {
            i += 1
        } else if text[i] == 0x25 && text[i + 1] == 0x33 && text.lower(i + 2) == 0x64 {
            i += 3
        } else {
            return nil
        }
        // The signature ends the parameter.
        let next = text[i]
        guard !(ScanBytes.isBase64URL(next) || next == 0x25 || next == 0x3D || next == 0x2B || next == 0x2F) else {
            return nil
        }
        return i
    }

    /// Whether a parameter `sv=` followed by a date (`sv=2022-11-02`) lies within ``sasWindow`` bytes before
    /// `offset` or ``sasForwardWindow`` bytes after it, in the same URL or connection string: the search stops
    /// at whitespace, quotes and angle brackets. A tight byte loop, since dense `sig=` hits each read a window.
    static func hasSignedVersion(_ text: ScanText, near offset: Int) -> Bool {
        text.lowered.withUnsafeBufferPointer { p in
            let n = p.count
            @inline(__always) func endsURL(_ b: UInt8) -> Bool {
                b <= 0x20 || b == 0x22 || b == 0x27 || b == 0x60 || b == 0x3C || b == 0x3E
            }
            @inline(__always) func isSignedVersion(at i: Int) -> Bool {
                guard i + 8 <= n, p[i] == 0x73, p[i + 1] == 0x76, p[i + 2] == 0x3D else { return false }
                let before = i > 0 ? p[i - 1] : 0
                return (before == 0x26 || before == 0x3F || before == 0x3D || before == 0x3B || before == 0
                    || endsURL(before))
                    && ScanBytes.isDigit(p[i + 3]) && ScanBytes.isDigit(p[i + 6]) && p[i + 7] == 0x2D
            }
            var i = offset - 1
            let lowest = max(0, offset - sasWindow)
            while i >= lowest && !endsURL(p[i]) {
                if p[i] == 0x73 && isSignedVersion(at: i) { return true }
                i -= 1
            }
            i = offset + 4
            let highest = min(n, offset + sasForwardWindow)
            while i < highest && !endsURL(p[i]) {
                if p[i] == 0x73 && isSignedVersion(at: i) { return true }
                i += 1
            }
            return false
        }
    }
}
