extension Detector {
    /// The detectors Gatehouse ships, sorted by ID (gitleaks ranges over a map; we want a stable order).
    ///
    /// | ID | Finds |
    /// |---|---|
    /// | `aws-access-key-id` | `AKIA`/`ASIA` + 16 upper-case letters or digits |
    /// | `aws-secret-access-key` | `aws_secret_access_key` / `SecretAccessKey` assigned 40 base64 characters |
    /// | `bearer-token` | `Bearer` + a 20+ character RFC 6750 token (generic) |
    /// | `generic-secret` | `password`, `secret`, `api_key`, … assigned an 8+ character non-placeholder (generic) |
    /// | `github-token` | `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 base62 with a valid CRC32 checksum |
    /// | `jwt` | three base64url segments whose header decodes to JSON with `"alg"` |
    /// | `openai-api-key` | `sk-` + 48 alphanumerics, or `sk-proj-`/`sk-svcacct-`/`sk-admin-`/`sk-None-` keys |
    /// | `payment-card` | 13–19 digits, Luhn-valid, with a known network prefix and length (personal) |
    /// | `pem-private-key` | `-----BEGIN … PRIVATE KEY-----` (or `PGP PRIVATE KEY BLOCK`) with a key body |
    /// | `slack-token` | `xoxb-`/`xoxp-`/`xoxe-`/`xoxa-`/`xoxr-`/`xoxs-`/`xoxo-` in Slack's segment shapes |
    ///
    /// All are severity high. Specific detectors win overlaps with generic ones.
    public static let builtin: [Detector] = [
        awsAccessKeyID, awsSecretAccessKey, bearerToken, genericSecret, githubToken,
        jwt, openAIAPIKey, paymentCard, pemPrivateKey, slackToken,
    ].sorted { $0.id < $1.id }
}
