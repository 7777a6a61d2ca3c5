/// Cloud, code-hosting and registry tokens in their real formats, with valid checksums, built at run time
/// from random parts (no credential-shaped literal in the source).
extension ScannerFixtures {
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }

    /// Base64 of `bytes`: standard (`+/`, `=` padding) or base64url without padding.
    static func base64(_ bytes: [UInt8], url: Bool = false) -> String {
        let alphabet = Array(url ? base64URL : base64)
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = bytes[i..<min(i + 3, bytes.count)]
            var value = 0
            for b in chunk { value = value << 8 | Int(b) }
            value <<= 8 * (3 - chunk.count)
            for k in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * k)) & 63]) }
            if !url { out += String(repeating: "=", count: 3 - chunk.count) }
            i += 3
        }
        return out
    }

    /// `value` in lower-case base 36, zero-padded to `width`.
    static func base36(_ value: UInt32, width: Int) -> String {
        let text = String(value, radix: 36)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    // MARK: Cloud

    mutating func googleAPIKey() -> String { "AIza" + mixed(Self.base64URL, 35) }

    /// An Azure Storage account key: 64 random bytes in base64, 88 characters ending `==`.
    mutating func azureAccountKey() -> String { Self.base64(bytes(64)) }

    mutating func azureConnectionString(account: String = "acmeprod", key: String) -> String {
        "DefaultEndpointsProtocol=https;AccountName=\(account);AccountKey=\(key);EndpointSuffix=core.windows.net"
    }

    /// A SAS `sig` value: base64 of 32 random bytes, percent-encoded as in a URL unless `encoded` is false.
    mutating func azureSASSignature(encoded: Bool = true) -> String {
        var signature = Self.base64(bytes(32))
        // Real signatures contain `+` or `/` three times in four; force one so the encoding is exercised.
        if !signature.contains("+") && !signature.contains("/") { signature = "+" + signature.dropFirst() }
        guard encoded else { return signature }
        return signature.map { c in c == "+" ? "%2B" : c == "/" ? "%2F" : c == "=" ? "%3D" : String(c) }.joined()
    }

    static func azureSASQuery(signature: String) -> String {
        "sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-06-30T18:00:00Z&st=2025-06-01T10:00:00Z&spr=https&sig=" + signature
    }

    mutating func gcpPrivateKeyID() -> String { mixed(Self.hex, 40) }

    /// A service-account key file without its PEM body (which ``pemPrivateKey`` would find separately).
    /// `sorted` lays the fields out as `jq -S` does, with `type` after the key ID.
    mutating func gcpServiceAccountJSON(keyID: String, sorted: Bool = false) -> String {
        let project = "acme-prod-" + string(Self.digits, 6)
        let email = "deployer@\(project).iam.gserviceaccount.com"
        let clientID = string(Self.digits, 21)
        if sorted {
            return """
                {
                  "client_email": "\(email)",
                  "client_id": "\(clientID)",
                  "private_key": "...",
                  "private_key_id": "\(keyID)",
                  "project_id": "\(project)",
                  "token_uri": "https://oauth2.googleapis.com/token",
                  "type": "service_account"
                }
                """
        }
        return """
            {
              "type": "service_account",
              "project_id": "\(project)",
              "private_key_id": "\(keyID)",
              "private_key": "...",
              "client_email": "\(email)",
              "client_id": "\(clientID)"
            }
            """
    }

    mutating func digitalOceanToken(prefix: String = "dop_v1_") -> String { prefix + mixed(Self.hex, 64) }

    mutating func databricksToken(suffix: String = "") -> String { "dapi" + mixed(Self.hex, 32) + suffix }

    // MARK: Code hosting and registries

    /// `github_pat_` + 22 + `_` + 59 base62; issued tokens start with `11`.
    mutating func githubFineGrainedToken() -> String {
        "github_pat_11" + mixed(Self.base62, 20) + "_" + mixed(Self.base62, 59)
    }

    mutating func npmToken() -> String { githubToken(prefix: "npm_") }

    mutating func gitlabLegacyToken(prefix: String = "glpat-", length: Int = 20) -> String {
        prefix + mixed(Self.base64URL, length)
    }

    /// A routable GitLab token: prefix + base64url(routing payload + 16 random bytes + 0x10) + `.` + the payload
    /// length in base 36 + the base-36 CRC32 of everything before, as GitLab's `RoutableToken` builds it.
    /// `version` adds the `.<version>.` segment of the versioned form.
    mutating func gitlabRoutableToken(prefix: String = "glpat-", version: String? = nil) -> String {
        let routing = "c:1\no:\(String(next() % 5000, radix: 36))\nu:\(String(next() % 900_000, radix: 36))"
        let payload = Self.base64(Array(routing.utf8) + bytes(16) + [16], url: true)
        var head = prefix + payload + "."
        if let version { head += version + "." }
        head += Self.base36(UInt32(payload.count), width: 2)
        return head + Self.base36(Self.crc32(Array(head.utf8)), width: 7)
    }

    /// A PyPI token: `pypi-` + base64url of a v2 macaroon (location, identifier, one caveat, signature).
    mutating func pypiToken(location: String = "pypi.org") -> String {
        let identifier = Array(Self.uuid(hex: string(Self.hex, 32)).utf8)
        let caveat = Array(#"{"version":1,"permissions":{"projects":["acme-tools"]}}"#.utf8)
        var macaroon: [UInt8] = [0x02, 0x01, UInt8(location.utf8.count)] + Array(location.utf8)
        macaroon += [0x02, UInt8(identifier.count)] + identifier + [0x00]
        macaroon += [0x02, UInt8(caveat.count)] + caveat + [0x00]
        macaroon += [0x00, 0x06, 0x20] + bytes(32)
        return "pypi-" + Self.base64(macaroon, url: true)
    }

    static func uuid(hex: String) -> String {
        let h = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(h[$0]) }.joined(separator: "-")
    }

    /// The same token with its last character changed, so a checksum over the rest no longer holds.
    static func changingLastCharacter(_ token: String, alphabet: String = base62) -> String {
        let characters = Array(alphabet)
        let last = token.last!
        let index = characters.firstIndex(of: last) ?? 0
        return String(token.dropLast()) + String(characters[(index + 1) % characters.count])
    }
}
