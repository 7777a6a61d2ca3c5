extension Detector {
    /// Databricks personal access tokens: `dapi` + 32 lower-case hex characters, optionally followed by `-`
    /// and a one- or two-digit suffix (`dapi…-2`), as the workspace UI and `databricks tokens create` print them.
    ///
    /// Format as in gitleaks' `databricks-api-token` and Databricks' REST API docs. No checksum exists, so the
    /// body must mix letters and digits and look random; `dapi` inside a word (`Dapil`) fails the boundary.
    public static let databricksToken = Detector(
        id: "databricks-token",
        summary: "A Databricks personal access token; it runs jobs and reads data in the owner's workspace.",
        category: .secret,
        family: .cloud,
        severity: .high,
        keywords: ["dapi"],
        validator: .atKeyword(DatabricksTokenValidator.validate)
    )
}

enum DatabricksTokenValidator {
    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let start = hit.range.lowerBound
        let bodyStart = start + 4
        var end = bodyStart + 32
        guard text.hasPrefix("dapi", at: start), end <= text.count, !ScanBytes.isBase64URL(text[start - 1]),
            TokenShape.all(text, bodyStart..<end, TokenShape.isLowerHex)
        else { return .noMatch }
        // Optional `-N` or `-NN` suffix; a dash followed by anything else ends the token before the dash.
        if text[end] == 0x2D && ScanBytes.isDigit(text[end + 1]) {
            let digits = ScanBytes.isDigit(text[end + 2]) ? 2 : 1
            if !ScanBytes.isBase64URL(text[end + 1 + digits]) { end += 1 + digits }
        }
        let body = bodyStart..<(bodyStart + 32)
        guard !ScanBytes.isAlnum(text[end]) && text[end] != 0x5F, ScanBytes.classCount(text.bytes, body) == 2,
            PlatformTokenShape.looksRandom(text, body, minimumDistinct: 8)
        else { return .noMatch }
        return .match(DetectorMatch(range: start..<end, mask: .prefixAndLength("dapi")))
    }
}
