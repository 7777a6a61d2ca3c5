extension Detector {
    /// AWS access key IDs: `AKIA` (long-term) or `ASIA` (STS temporary) + 16 upper-case letters or digits.
    ///
    /// Keys issued today use the base32 alphabet `[A-Z2-7]`, but older ones and AWS's own documentation
    /// (`AKIAI44QH8DHBEXAMPLE`) contain 0, 1, 8 and 9, so all digits are accepted, as gitleaks does.
    /// The ID alone is not a credential, but it is half of one and names the account. IDs ending in
    /// `EXAMPLE` (AWS's documentation keys) and repetitive bodies (`AKIAXXXXXXXXXXXXXXXX`) are not findings.
    public static let awsAccessKeyID = Detector(
        id: "aws-access-key-id",
        summary: "An AWS access key ID; with its secret it signs requests to the owner's AWS account.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["akia", "asia"],
        validator: .atKeyword(AWSValidators.accessKeyID)
    )

    /// AWS secret access keys: 40 base64 characters assigned to `aws_secret_access_key` (credentials files,
    /// environment) or `SecretAccessKey` (CLI and STS JSON output).
    ///
    /// Without the key name a 40-character base64 string is indistinguishable from a hash, so the name is required.
    public static let awsSecretAccessKey = Detector(
        id: "aws-secret-access-key",
        summary: "An AWS secret access key; it signs requests to the owner's AWS account.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["secret_access_key", "secretaccesskey"],
        validator: .atKeyword(AWSValidators.secretAccessKey)
    )
}

enum AWSValidators {
    static func accessKeyID(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        guard text.hasPrefix("AKIA", at: start) || text.hasPrefix("ASIA", at: start),
            !ScanBytes.isAlnum(text[start - 1]), !ScanBytes.isAlnum(text[start + 20])
        else { return .noMatch }
        let body = (start + 4)..<(start + 20)
        for i in body where !(ScanBytes.isUpper(text[i]) || ScanBytes.isDigit(text[i])) { return .noMatch }
        guard !text.hasPrefix("EXAMPLE", at: start + 13), ScanBytes.distinctCount(text.bytes, body) >= 6 else {
            return .noMatch
        }
        return .match(
            DetectorMatch(range: start..<(start + 20), mask: .prefixAndLength(text.string(start..<(start + 4))))
        )
    }

    static func secretAccessKey(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let after = text.lower(hit.range.upperBound)
        guard !(ScanBytes.isAlnum(after) || after == 0x5F),
            let (start, _) = ValueHeuristics.assignmentValue(in: text, after: hit.range.upperBound)
        else { return .noMatch }
        let end = start + 40
        guard end <= text.count, !ScanBytes.isBase64(text[end]), text[end] != 0x3D else { return .noMatch }
        for i in start..<end where !ScanBytes.isBase64(text[i]) { return .noMatch }
        let value = start..<end
        guard ScanBytes.distinctCount(text.bytes, value) >= 10, !ValueHeuristics.isPlaceholder(text, value) else {
            return .noMatch
        }
        return .match(DetectorMatch(range: value, mask: .prefixAndLength("")))
    }
}
