extension Detector {
    /// Hugging Face access tokens: `hf_` (user tokens) and `api_org_` (legacy organisation tokens) + exactly
    /// 34 ASCII letters, in mixed case.
    ///
    /// Format from gitleaks' `huggingface-access-token` and `huggingface-organization-api-token` rules. The
    /// body has letters only, so identifiers such as `hf_hub_download` or `hf_AutoModelForCausalLM` must be
    /// kept out by shape: a random 34-letter body has about 17 capitals, so 8 upper and 8 lower case letters
    /// are required (camel-case names such as `AutoModelForSequenceClassification` have 5; a random body
    /// falls short about 3 times in 10,000), plus 12 distinct letters.
    public static let huggingFaceToken = Detector(
        id: "huggingface-token",
        summary: "A Hugging Face access token; it reads and writes the owner's models, datasets and Spaces.",
        category: .secret,
        family: .saas,
        severity: .high,
        keywords: ["hf_", "api_org_"],
        validator: .atKeyword(HuggingFaceTokenValidator.validate)
    )
}

enum HuggingFaceTokenValidator {
    static let bodyLength = 34

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyStart = hit.range.upperBound
        let end = bodyStart + bodyLength
        // Prefixes are issued in lower case.
        guard text.hasPrefix(hit.keywordIndex == 0 ? "hf_" : "api_org_", at: start),
            TokenShape.startsToken(text, at: start),
            TokenShape.all(text, bodyStart..<end, ScanBytes.isLetter), TokenShape.endsToken(text, at: end)
        else { return .noMatch }
        var upper = 0
        for i in bodyStart..<end where ScanBytes.isUpper(text[i]) { upper += 1 }
        guard upper >= 8, bodyLength - upper >= 8,
            TokenShape.looksRandom(text, bodyStart..<end, minimumDistinct: 12)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength(text.string(start..<bodyStart))))
    }
}
