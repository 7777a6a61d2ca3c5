extension Detector {
    /// Google Cloud service-account key files: the `"private_key_id"` of a JSON document that also says
    /// `"type": "service_account"` (or names a `….iam.gserviceaccount.com` client) within 1 KiB either way.
    ///
    /// The key file layout is Google's (`gcloud iam service-accounts keys create`, "Create and delete service
    /// account keys"): `type`, `project_id`, `private_key_id` (40 lower-case hex), `private_key` (PEM),
    /// `client_email`, …, in that order or sorted (`jq -S`), raw or with escaped quotes inside a string.
    /// The PEM block is found by ``pemPrivateKey``; this detector marks the document itself, so a key file
    /// whose key was cut off or mangled in pasting is still caught. The finding covers the key ID.
    public static let gcpServiceAccount = Detector(
        id: "gcp-service-account",
        summary: "A Google Cloud service-account key file; with its private key it acts as the service account.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["private_key_id"],
        validator: .atKeyword(GCPServiceAccountValidator.validate)
    )
}

enum GCPServiceAccountValidator {
    static let idLength = 40
    /// How far the `service_account` marker may be from the key ID. In Google's order `type` comes a line or
    /// two before; sorted, it comes after `project_id` and `token_uri`.
    static let contextWindow = 1024

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        guard let start = valueStart(text, after: hit.range.upperBound) else { return .noMatch }
        let end = start + idLength
        guard end <= text.count, TokenShape.all(text, start..<end, TokenShape.isLowerHex),
            !ScanBytes.isAlnum(text[end]), PlatformTokenShape.looksRandom(text, start..<end, minimumDistinct: 8),
            mentionsServiceAccount(text, near: hit.range)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("")))
    }

    /// After `private_key_id`: closing quote (plain or backslash-escaped), `:` or `=`, blanks, opening quote.
    static func valueStart(_ text: ScanText, after keyEnd: Int) -> Int? {
        var i = keyEnd
        if text[i] == 0x5C { i += 1 }  // \"
        if ScanBytes.isQuote(text[i]) { i += 1 }
        while text[i] == 0x20 || text[i] == 0x09 {
            i += 1
            if i - keyEnd > 16 { return nil }
        }
        guard text[i] == 0x3A || text[i] == 0x3D else { return nil }
        i += 1
        while text[i] == 0x20 || text[i] == 0x09 {
            i += 1
            if i - keyEnd > 32 { return nil }
        }
        if text[i] == 0x5C { i += 1 }
        if ScanBytes.isQuote(text[i]) { i += 1 }
        return i
    }

    /// Whether `service_account` or `gserviceaccount.com` occurs within ``contextWindow`` bytes of `hit`.
    static func mentionsServiceAccount(_ text: ScanText, near hit: Range<Int>) -> Bool {
        let from = max(0, hit.lowerBound - contextWindow)
        let to = min(text.count, hit.upperBound + contextWindow)
        var i = from
        while i < to {
            // Both markers contain `serviceaccount` after `_` or `g`; test the cheap byte first.
            if text.lowered[i] == 0x73 {  // s
                if text.lowerHasPrefix("service_account\"", at: i) || text.lowerHasPrefix("service_account\\\"", at: i)
                    || text.lowerHasPrefix("service_account'", at: i)
                {
                    return true
                }
                if text.lowerHasPrefix("serviceaccount.com", at: i) && text.lower(i - 1) == 0x67 { return true }
            }
            i += 1
        }
        return false
    }
}
