/// Samples for the cloud-platform and code-hosting / registry detectors.
extension DetectorSamples {
    static func cloud(_ f: inout ScannerFixtures) -> [String: DetectorSamples] {
        var samples: [String: DetectorSamples] = [:]

        // MARK: google-api-key
        let google = (0..<3).map { _ in f.googleAPIKey() }
        samples["google-api-key"] = DetectorSamples(
            positives: [
                Positive(message: "Maps key for staging: \(google[0]) (restricted to our domain)", secret: google[0]),
                Positive(
                    message: "const firebaseConfig = { apiKey: \"\(google[1])\", authDomain: \"acme.firebaseapp.com\" };",
                    secret: google[1]
                ),
                Positive(
                    message: "curl 'https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=\(google[2])'",
                    secret: google[2]
                ),
            ],
            negatives: [
                // Wrong length: 34 and 36 characters after the prefix.
                "key " + "AIza" + f.mixed(ScannerFixtures.base64URL, 34),
                "key " + "AIza" + f.mixed(ScannerFixtures.base64URL, 36),
                // Placeholder from a tutorial.
                "GOOGLE_API_KEY=AIzaSy" + String(repeating: "X", count: 33),
                // Lower-case prefix: not issued.
                "aiza" + f.mixed(ScannerFixtures.base64URL, 35),
                // Inside a longer base64 run (an image or a hash), not a standalone key.
                "data:image/png;base64,iVBORw0KGgo" + "AIza" + f.mixed(ScannerFixtures.base64URL, 35) + "Q",
                // Prose and names.
                "Aizawa-san said Google keys start with AIza and are 39 characters long.",
                // A sequence, not a random body.
                "AIza" + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXY",
            ]
        )

        // MARK: azure-storage-key
        let azureKeys = (0..<4).map { _ in f.azureAccountKey() }
        let goodKey = azureKeys[0]
        samples["azure-storage-key"] = DetectorSamples(
            positives: [
                Positive(message: "conn string: \(f.azureConnectionString(key: azureKeys[0]))", secret: azureKeys[0]),
                Positive(
                    message: "az storage blob upload --account-name acmeprod --account-key \"\(azureKeys[1])\" -c backups -f db.tgz",
                    secret: azureKeys[1]
                ),
                Positive(message: "export AZURE_STORAGE_KEY=\(azureKeys[2])", secret: azureKeys[2]),
                Positive(message: "{\"accountName\": \"acmeprod\", \"accountKey\": \"\(azureKeys[3])\"}", secret: azureKeys[3]),
            ],
            negatives: [
                // Wrong length: one character short, and a 32-byte value (44 characters).
                "AccountKey=" + String(goodKey.dropFirst(2)),
                "AccountKey=" + ScannerFixtures.base64(f.bytes(32)),
                // Not canonical base64 of 64 bytes: the last data character must have its low 4 bits zero.
                "AccountKey=" + String(goodKey.prefix(85)) + "B==",
                // Placeholders from docs.
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=<your-storage-account-key>;EndpointSuffix=core.windows.net",
                "AccountKey=" + String(repeating: "A", count: 86) + "==",
                // 88 base64 characters without the name: a SHA-512 digest, say.
                "sha512-" + ScannerFixtures.base64(f.bytes(64)),
                // Another field whose name starts the same.
                "AccountKeyName=" + goodKey,
                // Prose.
                "Rotate the AccountKey in the portal, then update the account-key in the pipeline.",
            ]
        )

        // MARK: azure-sas-token
        let sas = (0..<3).map { _ in f.azureSASSignature() }
        let rawSAS = f.azureSASSignature(encoded: false)
        let noVersion = f.azureSASSignature()
        samples["azure-sas-token"] = DetectorSamples(
            positives: [
                Positive(
                    message: "download: https://acmeprod.blob.core.windows.net/backups/db.tgz?"
                        + ScannerFixtures.azureSASQuery(signature: sas[0]) + " (valid 30 days)",
                    secret: sas[0]
                ),
                Positive(
                    message: "BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature="
                        + ScannerFixtures.azureSASQuery(signature: rawSAS),
                    secret: rawSAS
                ),
                // Signature before the version.
                Positive(
                    message: "https://acme.blob.core.windows.net/c/x.pdf?sig=\(sas[1])&sv=2021-08-06&se=2025-01-01&sr=b&sp=r",
                    secret: sas[1]
                ),
                Positive(message: "?" + ScannerFixtures.azureSASQuery(signature: sas[2]), secret: sas[2]),
            ],
            negatives: [
                // Another service's `sig` with no `sv=`.
                "https://cdn.example.com/img.png?width=200&sig=\(noVersion)",
                // Too short to be an HMAC-SHA256 (one character missing before the padding).
                "?" + ScannerFixtures.azureSASQuery(signature: String(sas[0].dropFirst())),
                // Placeholder in docs.
                "?" + ScannerFixtures.azureSASQuery(signature: "<signature>"),
                // Not canonical: the 43rd character of a 32-byte base64 value has its low 2 bits zero.
                "?" + ScannerFixtures.azureSASQuery(signature: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPR%3D"),
                // The `sv` is in another URL (separated by a space).
                "see ?sv=2022-11-02 and then https://example.org/?sig=\(noVersion)",
                // Prose.
                "Best, Anna (sig= my usual sign-off)",
            ]
        )

        // MARK: gcp-service-account
        let keyIDs = (0..<3).map { _ in f.gcpPrivateKeyID() }
        let keyFile = f.gcpServiceAccountJSON(keyID: keyIDs[0])
        let sortedFile = f.gcpServiceAccountJSON(keyID: keyIDs[1], sorted: true)
        let escaped = #"{"credentials": "{\"type\": \"service_account\", \"project_id\": \"acme\", \"private_key_id\": \""#
            + keyIDs[2] + #"\", \"private_key\": \"...\"}"}"#
        samples["gcp-service-account"] = DetectorSamples(
            positives: [
                Positive(message: "here's the key file:\n\(keyFile)", secret: keyIDs[0]),
                Positive(message: sortedFile, secret: keyIDs[1]),
                Positive(message: escaped, secret: keyIDs[2]),
            ],
            negatives: [
                // No service-account context: some other tool's key ID field.
                "{\"private_key_id\": \"\(f.gcpPrivateKeyID())\", \"issuer\": \"vault\"}",
                // Wrong length (39) and wrong alphabet (upper case) in a key file.
                f.gcpServiceAccountJSON(keyID: String(f.gcpPrivateKeyID().dropLast())),
                f.gcpServiceAccountJSON(keyID: f.gcpPrivateKeyID().uppercased()),
                // Placeholder.
                f.gcpServiceAccountJSON(keyID: "<your-private-key-id>"),
                f.gcpServiceAccountJSON(keyID: String(repeating: "0", count: 40)),
                // Prose about the format.
                "A service_account key file has a private_key_id and a private_key field.",
            ]
        )

        // MARK: digitalocean-token
        let doPAT = f.digitalOceanToken()
        let doOAuth = f.digitalOceanToken(prefix: "doo_v1_")
        let doRefresh = f.digitalOceanToken(prefix: "dor_v1_")
        samples["digitalocean-token"] = DetectorSamples(
            positives: [
                Positive(message: "export DIGITALOCEAN_ACCESS_TOKEN=\(doPAT)", secret: doPAT),
                Positive(message: "doctl auth init -t \(doOAuth)", secret: doOAuth),
                Positive(message: "{\"refresh_token\": \"\(doRefresh)\", \"expires_in\": 2592000}", secret: doRefresh),
            ],
            negatives: [
                // Wrong length (63) and upper-case hex.
                "dop_v1_" + f.mixed(ScannerFixtures.hex, 63),
                "dop_v1_" + f.mixed(ScannerFixtures.hex, 64).uppercased(),
                // Unknown version.
                "dop_v2_" + f.mixed(ScannerFixtures.hex, 64),
                // Placeholders and sequences.
                "DIGITALOCEAN_TOKEN=dop_v1_<your-token>",
                "dop_v1_" + String(repeating: "0123456789abcdef", count: 4),
                // Prose.
                "DigitalOcean tokens look like dop_v1_ followed by 64 hex characters.",
            ]
        )

        // MARK: databricks-token
        let dapi = f.databricksToken()
        let dapiSuffixed = f.databricksToken(suffix: "-2")
        let dapiConfig = f.databricksToken()
        samples["databricks-token"] = DetectorSamples(
            positives: [
                Positive(message: "DATABRICKS_TOKEN=\(dapi)", secret: dapi),
                Positive(message: "use \(dapiSuffixed) for the prod workspace", secret: dapiSuffixed),
                Positive(
                    message: "[DEFAULT]\nhost = https://adb-1234567890123456.7.azuredatabricks.net\ntoken = \(dapiConfig)\n",
                    secret: dapiConfig
                ),
            ],
            negatives: [
                // Wrong length (31 and 33).
                "dapi" + f.mixed(ScannerFixtures.hex, 31),
                "dapi" + f.mixed(ScannerFixtures.hex, 33),
                // Upper-case hex is not issued.
                "dapi" + f.mixed(ScannerFixtures.hex, 32).uppercased(),
                // No digits: a word-like placeholder, and a sequence.
                "dapi" + String(repeating: "deadbeef", count: 4),
                "dapi" + String(repeating: "0123456789abcdef", count: 2),
                // Indonesian: "Dapil" is an electoral district.
                "Caleg dari Dapil 5 Jawa Barat sudah terdaftar.",
            ]
        )

        // MARK: github-fine-grained-token
        let fineGrained = (0..<3).map { _ in f.githubFineGrainedToken() }
        let sample = fineGrained[0]
        samples["github-fine-grained-token"] = DetectorSamples(
            positives: [
                Positive(message: "GH_TOKEN=\(fineGrained[0]) # expires in 30 days", secret: fineGrained[0]),
                Positive(message: "git clone https://oauth2:\(fineGrained[1])@github.com/acme/app.git", secret: fineGrained[1]),
                Positive(message: "new token: \(fineGrained[2])", secret: fineGrained[2]),
            ],
            negatives: [
                // Wrong split: the separator one place early (21 + 60).
                "github_pat_" + f.mixed(ScannerFixtures.base62, 21) + "_" + f.mixed(ScannerFixtures.base62, 60),
                // Wrong length: one character short.
                String(sample.dropLast()),
                // Upper-case prefix is not issued.
                "GITHUB_PAT_" + sample.dropFirst(11),
                // Placeholder.
                "GH_TOKEN=github_pat_" + String(repeating: "x", count: 22) + "_" + String(repeating: "x", count: 59),
                // Inside a longer token.
                "x" + sample,
                // Prose.
                "Fine-grained tokens start with github_pat_ and are 93 characters long.",
            ]
        )

        // MARK: gitlab-token
        let glpat = f.gitlabLegacyToken()
        let routable = f.gitlabRoutableToken()
        let versioned = f.gitlabRoutableToken(version: "01")
        let runner = f.gitlabRoutableToken(prefix: "glrt-t1_")
        let trigger = "glptt-" + f.mixed(ScannerFixtures.hex, 40)
        let deploy = f.gitlabLegacyToken(prefix: "gldt-")
        let registration = f.gitlabLegacyToken(prefix: "GR1348941")
        let job = "glcbt-" + f.mixed(ScannerFixtures.base62, 3) + "_" + f.mixed(ScannerFixtures.base64URL, 20)
        let oauth = f.gitlabLegacyToken(prefix: "gloas-", length: 64)
        let mail = f.gitlabLegacyToken(prefix: "glimt-", length: 25)
        let agent = f.gitlabLegacyToken(prefix: "glagent-", length: 50)
        let badCRC = ScannerFixtures.changingLastCharacter(
            f.gitlabRoutableToken(),
            alphabet: "0123456789abcdefghijklmnopqrstuvwxyz"
        )
        samples["gitlab-token"] = DetectorSamples(
            positives: [
                Positive(message: "GITLAB_TOKEN=\(glpat)", secret: glpat),
                Positive(message: "export GITLAB_TOKEN=\(routable)", secret: routable),
                Positive(message: "new PAT \(versioned), scope api", secret: versioned),
                Positive(message: "gitlab-runner register --token \(runner)", secret: runner),
                Positive(
                    message: "curl -X POST -F token=\(trigger) -F ref=main https://gitlab.example.com/api/v4/projects/42/trigger/pipeline",
                    secret: trigger
                ),
                Positive(message: "deploy token: \(deploy)", secret: deploy),
                Positive(message: "--registration-token \(registration)", secret: registration),
                Positive(message: "CI_JOB_TOKEN=\(job)", secret: job),
                Positive(message: "\"secret\": \"\(oauth)\"", secret: oauth),
                Positive(message: "incoming mail token \(mail)", secret: mail),
                Positive(message: "agent token: \(agent)", secret: agent),
                // A legacy token ending a sentence.
                Positive(message: "my token is \(glpat).", secret: glpat),
            ],
            negatives: [
                // Routable token with a wrong CRC.
                badCRC,
                // Wrong length (19 and 21 characters).
                "glpat-" + f.mixed(ScannerFixtures.base64URL, 19),
                "glpat-" + f.mixed(ScannerFixtures.base64URL, 21),
                // Placeholders (the second is gitleaks' own false-positive sample).
                "GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx",
                "glpat-XXXXXXXXXXX-XXXXXXXX",
                // Upper-case prefix is not issued.
                "GLPAT-" + glpat.dropFirst(6),
                // Trigger tokens are hex.
                "glptt-" + f.mixed(ScannerFixtures.base62, 40),
                // Inside a longer token.
                "x" + glpat,
                // Prose.
                "GitLab PATs start with glpat- and legacy ones are 26 characters long.",
            ]
        )

        // MARK: npm-token
        let npm = (0..<3).map { _ in f.npmToken() }
        samples["npm-token"] = DetectorSamples(
            positives: [
                Positive(message: "//registry.npmjs.org/:_authToken=\(npm[0])", secret: npm[0]),
                Positive(message: "NPM_TOKEN=\(npm[1])", secret: npm[1]),
                Positive(message: "publish from CI with \(npm[2]) please", secret: npm[2]),
            ],
            negatives: [
                // Wrong checksum, and a made-up body.
                ScannerFixtures.changingLastCharacter(npm[0]),
                "npm_" + f.mixed(ScannerFixtures.base62, 36),
                // Environment names that npm sets.
                "npm_config_cache=/tmp/npm npm_package_version=1.2.3 npm_lifecycle_event=test",
                // Placeholder.
                "//registry.npmjs.org/:_authToken=npm_" + String(repeating: "x", count: 36),
                // Wrong length.
                String(npm[0].dropLast()),
            ]
        )

        // MARK: pypi-token
        let pypi = f.pypiToken()
        let pypi2 = f.pypiToken()
        let testPyPI = f.pypiToken(location: "test.pypi.org")
        samples["pypi-token"] = DetectorSamples(
            positives: [
                Positive(message: "[pypi]\nusername = __token__\npassword = \(pypi)\n", secret: pypi),
                Positive(message: "TWINE_PASSWORD=\(pypi2) twine upload dist/*", secret: pypi2),
                Positive(message: "upload to test.pypi with \(testPyPI)", secret: testPyPI),
            ],
            negatives: [
                // The head alone, elided, in docs.
                "TWINE_USERNAME=__token__ and a token like pypi-AgEIcHlwaS5vcmc\u{2026}",
                // The head with a made-up body: no macaroon signature at the end.
                "pypi-AgEIcHlwaS5vcmc" + f.mixed(ScannerFixtures.base64URL, 120),
                // Cut short: the signature tail is gone.
                "token " + String(pypi.dropLast(8)) + " (truncated)",
                // Wrong case.
                pypi.lowercased(),
                // Prose.
                "PyPI tokens start with pypi- and are used with the __token__ username.",
            ]
        )
        return samples
    }
}
