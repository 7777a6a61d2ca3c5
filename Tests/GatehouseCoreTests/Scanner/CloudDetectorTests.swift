@testable import GatehouseCore
import Testing

/// Edge cases of the cloud-platform and code-hosting detectors beyond their samples: checksums, encodings,
/// context windows, boundaries and dense or hostile input.
@Suite("Cloud and code-hosting detectors")
struct CloudDetectorTests {
    let scanner = SecretScanner()

    private func kinds(_ text: String) -> [String] { scanner.scan(text).map(\.kind) }

    // MARK: Checksums

    @Test func npmChecksumRejectsEverySingleCharacterChange() {
        var f = ScannerFixtures()
        let token = Array(f.npmToken())
        #expect(kinds(String(token)) == ["npm-token"])
        let alphabet = Array(ScannerFixtures.base62)
        for position in 4..<token.count {
            var changed = token
            let index = alphabet.firstIndex(of: changed[position])!
            changed[position] = alphabet[(index + 7) % alphabet.count]
            #expect(kinds(String(changed)) == [], "change at \(position)")
        }
    }

    @Test func gitlabRoutableTokensOfEveryPrefixAreFound() {
        var f = ScannerFixtures()
        for kind in GitLabTokenValidator.kinds {
            let token = f.gitlabRoutableToken(prefix: kind.prefix)
            let findings = scanner.scan("token: \(token)")
            #expect(findings.map(\.kind) == ["gitlab-token"], "\(kind.prefix)")
            #expect(findings.first?.masked == "\(kind.prefix)…[\(token.count) chars]")
        }
    }

    @Test func gitlabRoutableTokenNeedsItsLengthFieldAndCRC() {
        var f = ScannerFixtures()
        let token = f.gitlabRoutableToken()
        let dot = token.lastIndex(of: ".")!
        let head = String(token[..<dot])
        let payloadLength = head.count - "glpat-".count
        // A length field that does not match the payload, with a CRC made valid for it.
        let wrongLength = head + "." + ScannerFixtures.base36(UInt32(payloadLength + 1), width: 2)
        let forged = wrongLength + ScannerFixtures.base36(ScannerFixtures.crc32(Array(wrongLength.utf8)), width: 7)
        #expect(kinds(forged) == [])
        // Upper-case CRC digits: GitLab writes base 36 in lower case.
        if token.suffix(7).contains(where: \.isLetter) {
            #expect(kinds(String(token.dropLast(7)) + token.suffix(7).uppercased()) == [])
        }
    }

    @Test func gitlabVersionedTokenAcceptsACRCThatSkipsTheVersion() {
        var f = ScannerFixtures()
        let plain = f.gitlabRoutableToken()
        let dot = plain.lastIndex(of: ".")!
        // Insert `.01` after the payload but keep the CRC computed without it.
        let versioned = String(plain[..<dot]) + ".01" + String(plain[dot...])
        #expect(kinds("pat \(versioned)") == ["gitlab-token"])
    }

    @Test func base36AndRadixHelpers() {
        let text = ScanText("00zz 1a2b3c4")
        #expect(PlatformTokenShape.base36Value(text, 0..<4) == 35 * 36 + 35)
        #expect(PlatformTokenShape.base36Value(ScanText("0A"), 0..<2) == nil)
        let crc: UInt32 = 0xDEAD_BEEF
        let encoded = ScannerFixtures.base36(crc, width: 7)
        #expect(PlatformTokenShape.matchesLowercaseRadix(ScanText(encoded), 0..<7, value: crc, radix: 36))
        #expect(!PlatformTokenShape.matchesLowercaseRadix(ScanText(encoded), 0..<7, value: crc &+ 1, radix: 36))
        // A value too large for the width does not match its truncated digits.
        #expect(!PlatformTokenShape.matchesLowercaseRadix(ScanText("0000"), 0..<4, value: 36 * 36 * 36 * 36, radix: 36))
    }

    // MARK: Encodings

    @Test func decodedByteMatchesTheEncodedBytes() {
        var f = ScannerFixtures()
        for count in [30, 31, 32, 100] {
            let bytes = f.bytes(count)
            let encoded = ScannerFixtures.base64(bytes, url: true)
            let text = ScanText(encoded)
            #expect(PlatformTokenShape.decodedCount(length: encoded.count) == count)
            for i in 0..<count {
                #expect(PlatformTokenShape.decodedByte(text, 0..<text.count, at: i) == bytes[i], "byte \(i) of \(count)")
            }
            #expect(PlatformTokenShape.decodedByte(text, 0..<text.count, at: count) == nil)
        }
    }

    @Test func pypiTokenNeedsTheSignatureFieldAtTheEnd() {
        var f = ScannerFixtures()
        let token = f.pypiToken()
        #expect(kinds(token) == ["pypi-token"])
        // Appending or removing whole bytes moves the tail off its place.
        #expect(kinds(token + "AAAA") == [])
        #expect(kinds(String(token.dropLast(4))) == [])
    }

    @Test func azureAccountKeyLastCharacterMustBeCanonical() {
        var f = ScannerFixtures()
        let key = f.azureAccountKey()
        let head = String(key.prefix(85))
        var accepted: [Character] = []
        for c in ScannerFixtures.base64 {
            let candidate = head + String(c) + "=="
            if kinds("AccountKey=\(candidate);") == ["azure-storage-key"] { accepted.append(c) }
        }
        #expect(accepted.count == 4 && Set(accepted) == ["A", "Q", "g", "w"])
    }

    @Test func sasSignatureAcceptsLowerCasePercentEncoding() {
        var f = ScannerFixtures()
        let signature = f.azureSASSignature()
        let lower = signature.replacingPercentEncodingCase()
        let message = "?" + ScannerFixtures.azureSASQuery(signature: lower)
        let findings = scanner.scan(message)
        #expect(findings.map(\.kind) == ["azure-sas-token"])
        #expect(findings.first?.range == ScannerFixtures.byteRange(of: lower, in: message))
    }

    // MARK: Context windows and boundaries

    @Test func sasSignedVersionMustBeNearby() {
        var f = ScannerFixtures()
        let signature = f.azureSASSignature()
        let far = "?sv=2022-11-02&pad=" + String(repeating: "a", count: 600) + "&sig=" + signature
        #expect(kinds(far) == [])
        let near = "?sv=2022-11-02&pad=" + String(repeating: "a", count: 300) + "&sig=" + signature
        #expect(kinds(near) == ["azure-sas-token"])
    }

    @Test func serviceAccountMarkerMustBeWithinTheWindow() {
        var f = ScannerFixtures()
        let id = f.gcpPrivateKeyID()
        let far = "{\"type\": \"service_account\"," + String(repeating: " ", count: 1100) + "\"private_key_id\": \"\(id)\"}"
        #expect(kinds(far) == [])
        let email = "{\"private_key_id\": \"\(id)\", \"client_email\": \"ci@acme.iam.gserviceaccount.com\"}"
        #expect(kinds(email) == ["gcp-service-account"])
    }

    @Test func databricksSuffixIsPartOfTheTokenOnlyWhenNumeric() throws {
        var f = ScannerFixtures()
        let token = f.databricksToken()
        for (suffix, covered) in [("-2", "-2"), ("-12", "-12"), ("-x", ""), ("-", ""), (".", "")] {
            let message = "t=\(token)\(suffix) ok"
            let finding = try #require(scanner.scan(message).first, "\(suffix)")
            #expect(finding.range == ScannerFixtures.byteRange(of: token + covered, in: message), "\(suffix)")
        }
    }

    @Test func tokensMustStandAlone() {
        var f = ScannerFixtures()
        let tokens = [
            f.googleAPIKey(), f.digitalOceanToken(), f.databricksToken(), f.githubFineGrainedToken(),
            f.gitlabLegacyToken(), f.gitlabRoutableToken(), f.npmToken(), f.pypiToken(),
        ]
        for token in tokens {
            #expect(kinds(" \(token) ").count == 1, "\(token)")
            #expect(kinds("x\(token)") == [], "\(token)")
            #expect(kinds("_\(token)") == [], "\(token)")
            #expect(kinds("\(token)x") == [], "\(token)")
        }
    }

    @Test func fineGrainedTokenIsNotAlsoAClassicToken() {
        var f = ScannerFixtures()
        let token = f.githubFineGrainedToken()
        #expect(kinds("GH_TOKEN=\(token)") == ["github-fine-grained-token"])
    }

    /// People explaining the formats, docs with placeholders, and tooling names: all quiet.
    @Test func talkAboutTheFormatsIsQuiet() {
        let messages = [
            "Put GOOGLE_API_KEY in .env; Google keys start with AIza and are 39 characters.",
            "Connection string: DefaultEndpointsProtocol=https;AccountName=<name>;AccountKey=<key>;EndpointSuffix=core.windows.net",
            "az storage account keys list --account-name acme --query '[0].value' gives you the account-key",
            "The SAS URL ends with &sig=... and sv= is the service version.",
            "{\"type\": \"service_account\", \"private_key_id\": \"KEY_ID\", \"private_key\": \"...\"}",
            "DigitalOcean: dop_v1_ for personal tokens, doo_v1_ for OAuth, dor_v1_ for refresh tokens.",
            "export DATABRICKS_TOKEN=dapi<your-token-here>",
            "Fine-grained github_pat_ tokens can be scoped to one repository.",
            "GitLab: glpat- for PATs, gldt- for deploy tokens, glrt- for runners, glptt- for triggers.",
            "Set npm_config_registry to the mirror; npm_package_version is set by npm run.",
            "For twine use username __token__ and the pypi- token as password.",
            "curl --header \"PRIVATE-TOKEN: glpat-XXXXXXXXXXXXXXXXXXXX\" https://gitlab.example.com/api/v4/projects",
        ]
        for message in messages {
            #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        }
    }

    // MARK: Dense and hostile input

    @Test func denseCloudTokensAreAllFound() {
        var f = ScannerFixtures()
        var parts: [String] = []
        var expected: [String] = []
        for i in 0..<4_000 {
            switch i % 8 {
            case 0: parts.append(f.googleAPIKey()); expected.append("google-api-key")
            case 1: parts.append(f.digitalOceanToken()); expected.append("digitalocean-token")
            case 2: parts.append(f.databricksToken()); expected.append("databricks-token")
            case 3: parts.append(f.githubFineGrainedToken()); expected.append("github-fine-grained-token")
            case 4: parts.append(f.gitlabRoutableToken()); expected.append("gitlab-token")
            case 5: parts.append(f.npmToken()); expected.append("npm-token")
            case 6: parts.append(f.pypiToken()); expected.append("pypi-token")
            default:
                parts.append("AccountKey=" + f.azureAccountKey() + ";")
                expected.append("azure-storage-key")
            }
        }
        #expect(kinds(parts.joined(separator: " ")) == expected)
    }

    @Test func denseSignaturesWithoutAVersionFindNothing() {
        var f = ScannerFixtures()
        let unit = "&sig=" + f.azureSASSignature()
        #expect(scanner.scan(ScannerLinearTimeTests.repeated(unit, toAtLeast: 128 * 1024)) == [])
    }

    @Test func denseKeyIDsWithoutContextFindNothing() {
        var f = ScannerFixtures()
        let unit = "\"private_key_id\": \"\(f.gcpPrivateKeyID())\", "
        #expect(scanner.scan(ScannerLinearTimeTests.repeated(unit, toAtLeast: 128 * 1024)) == [])
    }

    @Test func longRoutableLookingRunsFindNothing() {
        let body = String(repeating: "aB3_", count: 256 * 1024)
        #expect(scanner.scan("glpat-" + body + ".01.0000000000") == [])
        #expect(scanner.scan("pypi-AgEIcHlwaS5vcmc" + body) == [])
        #expect(scanner.scan(ScannerLinearTimeTests.repeated("glpat-" + String(repeating: "a", count: 40) + ".")) == [])
    }
}

private extension String {
    /// `%2B` → `%2b`, `%2F` → `%2f`, `%3D` → `%3d`.
    func replacingPercentEncodingCase() -> String {
        var out = ""
        var afterPercent = 0
        for c in self {
            if c == "%" {
                afterPercent = 2
                out.append(c)
            } else if afterPercent > 0 {
                out += c.lowercased()
                afterPercent -= 1
            } else {
                out.append(c)
            }
        }
        return out
    }
}
