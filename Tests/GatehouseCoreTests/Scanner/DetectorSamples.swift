import GatehouseCore

/// True- and false-positive samples for every built-in detector, after gitleaks' `utils.Validate(r, tps, fps)`.
///
/// A positive is a message and the exact secret in it the finding must cover. Each negative says in a
/// comment why it must not be found. Secrets are generated at run time (``ScannerFixtures``).
struct DetectorSamples {
    struct Positive: CustomStringConvertible {
        var message: String
        var secret: String
        var description: String { message }
    }

    var positives: [Positive]
    var negatives: [String]

    static let all: [String: DetectorSamples] = {
        var f = ScannerFixtures()
        var samples: [String: DetectorSamples] = [:]

        // MARK: pem-private-key
        let rsa = f.pemBlock(label: "RSA PRIVATE KEY")
        let ec = f.pemBlock(label: "EC PRIVATE KEY", bodyLength: 160)
        let openssh = f.pemBlock(label: "OPENSSH PRIVATE KEY", bodyLength: 400)
        let plain = f.pemBlock(label: "PRIVATE KEY")
        let encrypted = f.pemBlock(label: "ENCRYPTED PRIVATE KEY")
        let truncated = f.pemBlock(label: "RSA PRIVATE KEY", bodyLength: 128, end: false)
        let escaped = f.pemBlock(label: "PRIVATE KEY", newline: "\\n")
        let pgpBody = f.string(ScannerFixtures.base64, 200)
        let pgp = """
            -----BEGIN PGP PRIVATE KEY BLOCK-----
            Version: GnuPG v2
            Comment: test

            \(pgpBody)
            =AbCd
            -----END PGP PRIVATE KEY BLOCK-----
            """
        let procType = """
            -----BEGIN RSA PRIVATE KEY-----
            Proc-Type: 4,ENCRYPTED
            DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF

            \(f.string(ScannerFixtures.base64, 128))
            -----END RSA PRIVATE KEY-----
            """
        samples["pem-private-key"] = DetectorSamples(
            positives: [
                Positive(message: "here is the key:\n\(rsa)\nthanks", secret: rsa),
                Positive(message: ec, secret: ec),
                Positive(message: "id_ed25519:\n\(openssh)\n", secret: openssh),
                Positive(message: "\(plain) <- service account", secret: plain),
                Positive(message: encrypted, secret: encrypted),
                Positive(message: "first lines: \(truncated)", secret: truncated),
                Positive(message: #"{"private_key": ""# + escaped + #""}"#, secret: escaped),
                Positive(message: pgp, secret: pgp),
                Positive(message: procType, secret: procType),
            ],
            negatives: [
                // A header mentioned in prose, with no key body.
                "Files start with -----BEGIN RSA PRIVATE KEY----- and end with the END line.",
                // Public keys and certificates are meant to be shared.
                f.pemBlock(label: "PUBLIC KEY"),
                f.pemBlock(label: "CERTIFICATE"),
                // Too little body to be a key (fewer than 64 base64 characters).
                f.pemBlock(label: "PRIVATE KEY", bodyLength: 40),
                // Placeholder body.
                "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
            ]
        )

        // MARK: aws-access-key-id
        let akia = f.awsAccessKeyID()
        let asia = f.awsAccessKeyID(prefix: "ASIA")
        let oldStyle = "AKIA" + f.string(ScannerFixtures.upper + ScannerFixtures.digits, 16)
        samples["aws-access-key-id"] = DetectorSamples(
            positives: [
                Positive(message: "aws_access_key_id = \(akia)", secret: akia),
                Positive(message: "temporary creds: \(asia), expires in 1h", secret: asia),
                Positive(message: "\"AccessKeyId\": \"\(oldStyle)\"", secret: oldStyle),
            ],
            negatives: [
                // AWS's documentation example.
                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
                // Placeholder: one repeated character.
                "key = AKIAXXXXXXXXXXXXXXXX",
                // Wrong length (15 and 17 after the prefix).
                "AKIA" + f.string(ScannerFixtures.base32, 15) + " and AKIA" + f.string(ScannerFixtures.base32, 17),
                // Lower case is not an access key ID.
                "akia" + f.string(ScannerFixtures.base32, 16).lowercased(),
                // Inside a longer word.
                "TODAYINASIAASACKOFRICEFELLOVER",
                // Prefix mentioned in prose.
                "AWS keys start with AKIA or ASIA.",
            ]
        )

        // MARK: aws-secret-access-key
        let awsSecret1 = f.mixed(ScannerFixtures.base64, 40)
        let awsSecret2 = f.mixed(ScannerFixtures.base64, 40)
        let awsSecret3 = f.mixed(ScannerFixtures.base64, 40)
        samples["aws-secret-access-key"] = DetectorSamples(
            positives: [
                Positive(message: "[default]\naws_secret_access_key = \(awsSecret1)\n", secret: awsSecret1),
                Positive(message: "export AWS_SECRET_ACCESS_KEY=\(awsSecret2)", secret: awsSecret2),
                Positive(
                    message: "{\"SecretAccessKey\": \"\(awsSecret3)\", \"SessionToken\": \"…\"}",
                    secret: awsSecret3
                ),
            ],
            negatives: [
                // AWS's documentation example.
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                // Wrong length.
                "aws_secret_access_key = " + f.mixed(ScannerFixtures.base64, 39),
                "aws_secret_access_key = " + f.mixed(ScannerFixtures.base64, 41),
                // Placeholder.
                "aws_secret_access_key = <your secret access key here, forty chars>",
                // The name alone, in prose.
                "Rotate the aws_secret_access_key every 90 days.",
            ]
        )

        // MARK: slack-token
        let bot = f.slackBotToken()
        let user = f.slackUserToken()
        let refresh = f.slackUserToken(prefix: "xoxe-")
        let workspace =
            "xoxa-2-" + f.string(ScannerFixtures.digits, 9) + "-" + f.string(ScannerFixtures.digits, 11) + "-"
            + f.mixed(ScannerFixtures.hex, 18)
        let legacy =
            "xoxs-" + f.string(ScannerFixtures.digits, 10) + "-" + f.string(ScannerFixtures.digits, 10) + "-"
            + f.string(ScannerFixtures.digits, 10) + "-" + f.mixed(ScannerFixtures.hex, 10)
        let legacyBot = "xoxb-" + f.string(ScannerFixtures.digits, 12) + "-" + f.mixed(ScannerFixtures.base62, 24)
        samples["slack-token"] = DetectorSamples(
            positives: [
                Positive(message: "SLACK_BOT_TOKEN=\(bot)", secret: bot),
                Positive(message: "user token \(user) from the app page", secret: user),
                Positive(message: "refresh: \(refresh)", secret: refresh),
                Positive(message: "\"access_token\": \"\(workspace)\"", secret: workspace),
                Positive(message: "old one: \(legacy)", secret: legacy),
                Positive(message: "bot \(legacyBot)", secret: legacyBot),
            ],
            negatives: [
                // Placeholders and docs.
                "xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx",
                "SLACK_BOT_TOKEN=xoxb-your-bot-token",
                "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d",
                // Hugs and kisses.
                "See you soon! xoxo-Anna",
                "xoxo, Sam",
                // Wrong shape: too few segments.
                "xoxb-12345-abcd234",
            ]
        )

        // MARK: github-token
        let prefixes = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
        let tokens = prefixes.map { f.githubToken(prefix: $0) }
        let badChecksum = f.githubTokenWithBadChecksum()
        let valid = f.githubToken()
        samples["github-token"] = DetectorSamples(
            positives: tokens.map { Positive(message: "GITHUB_TOKEN=\($0) # rotate monthly", secret: $0) }
                + [Positive(message: "git clone https://\(valid)@github.com/acme/app.git", secret: valid)],
            negatives: [
                // Wrong checksum: the made-up token of a tutorial.
                badChecksum,
                "ghp_" + f.string(ScannerFixtures.base62, 36),
                // Wrong length (a valid token plus or minus a character).
                String(valid.dropLast()),
                valid + "A",
                // Placeholder.
                "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                // Upper-case prefix is not issued.
                "GHP_" + valid.dropFirst(4),
                // Inside a longer token.
                "x" + valid,
            ]
        )

        // MARK: openai-api-key
        let legacyKey = f.openAILegacyKey()
        let plainLegacy = "sk-" + f.mixed(ScannerFixtures.base62, 48)
        let project = f.openAIProjectKey()
        let shortProject = f.openAIProjectKey(half: 58)
        let service = f.openAIProjectKey(kind: "svcacct", half: 58)
        let admin = f.openAIProjectKey(kind: "admin", half: 58)
        samples["openai-api-key"] = DetectorSamples(
            positives: [
                Positive(message: "OPENAI_API_KEY=\(legacyKey)", secret: legacyKey),
                Positive(message: "old key \(plainLegacy)!", secret: plainLegacy),
                Positive(message: "use \(project) for the project", secret: project),
                Positive(message: "\"\(shortProject)\"", secret: shortProject),
                Positive(message: "svc: \(service)", secret: service),
                Positive(message: "admin key: \(admin)", secret: admin),
            ],
            negatives: [
                // Placeholders.
                "OPENAI_API_KEY=sk-...",
                "export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "sk-your-api-key-here",
                "sk-proj-" + String(repeating: "x", count: 124),
                // Look-alike words.
                "The skill-tree and task-list need a risk-review; ask-me-anything at the desk-side.",
                // Wrong length (47 and 49).
                "sk-" + f.mixed(ScannerFixtures.base62, 47),
                "sk-" + f.mixed(ScannerFixtures.base62, 49),
                // Inside a longer token.
                "task-" + f.mixed(ScannerFixtures.base62, 48),
            ]
        )

        // MARK: bearer-token
        let opaque = f.mixed(ScannerFixtures.base62, 32)
        let hexToken = f.mixed(ScannerFixtures.hex, 40)
        samples["bearer-token"] = DetectorSamples(
            positives: [
                Positive(message: "curl -H 'Authorization: Bearer \(opaque)' https://api.example.org", secret: opaque),
                Positive(message: "authorization: bearer \(hexToken)", secret: hexToken),
            ],
            negatives: [
                // Prose.
                "I am the bearer of bad news, unfortunately.",
                "Bearer tokens are described in RFC6750.",
                // Placeholders.
                "Authorization: Bearer <token>",
                "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE",
                "Authorization: Bearer $TOKEN",
                // Too short.
                "Bearer abc123DEF",
            ]
        )

        // MARK: generic-secret
        let password = f.mixed(ScannerFixtures.base62, 14)
        let apiKey = f.mixed(ScannerFixtures.base62, 32)
        let clientSecret = f.mixed(ScannerFixtures.base64URL, 40)
        let quoted = "correct horse battery \(f.string(ScannerFixtures.digits, 3))"
        samples["generic-secret"] = DetectorSamples(
            positives: [
                Positive(message: "DB_PASSWORD=\(password)", secret: password),
                Positive(message: "the wifi password: \(password).", secret: password),
                Positive(message: "x-api-key: \(apiKey)", secret: apiKey),
                Positive(message: "{\"client_secret\": \"\(clientSecret)\"}", secret: clientSecret),
                Positive(message: "password = \"\(quoted)\"", secret: quoted),
                Positive(message: "PWD := \(password)", secret: password),
                Positive(message: "'apikey' => '\(apiKey)'", secret: apiKey),
                Positive(message: "Secret: hUnTeR2!xyz", secret: "hUnTeR2!xyz"),
                Positive(message: "My API key: \(apiKey) (don't share)", secret: apiKey),
                Positive(message: "パスワード password：\(password)", secret: password),
            ],
            negatives: [
                // Placeholders.
                "api_key=<your key here>",
                "API_KEY=<YOUR_API_KEY>",
                "password: ********",
                "password=xxxxxxxxxxxx",
                "secret: changeme",
                "DB_PASSWORD=${DB_PASSWORD}",
                "DB_PASSWORD=$DB_PASSWORD",
                "password: {{ vault_db_password }}",
                "password: your_password_here",
                "api_key: INSERT_API_KEY_HERE",
                "API_KEY=REPLACE_ME",
                "redis_password: [REDIS_PASSWORD]",
                "client_secret = {CLIENT_SECRET},",
                "set password=%APP_PASSWORD%",
                // Elided: a prefix shown with `...` or `…` is not the secret.
                "ANTHROPIC_API_KEY=sk-ant-api03-...",
                "api_key: Ab12Cd34Ef56\u{2026}",
                // Too short.
                "password: hunter2",
                // Code that reads the secret elsewhere.
                "password = getpass()",
                "api_key = os.environ['OPENAI_API_KEY']",
                "password: self.password",
                "let api_key = std::env::var(\"API_KEY\")?;",
                "'password' => $this->password,",
                // The name of a variable holding it.
                "conn = connect(user=db_user, password=db_password)",
                "const user = await User.create({ email, password: hashedPassword });",
                "ALTER USER app WITH PASSWORD :'db_password';",
                // Paths.
                "pwd: /home/alice/projects/gatehouse",
                "db_password: /run/secrets/db_password",
                // Prose.
                "Top secret: Tomorrow's surprise party!",
                "The password policy: at least twelve characters.",
                "Password reset link: https://example.org/reset",
                // Other words and comparisons.
                "passwords: rotated quarterly",
                "if password == stored_password { login() }",
                "secretary: Margaret Thompson",
                "API key: please ask Bob for it",
            ]
        )

        // MARK: jwt
        let hs256 = f.jwt()
        let rs256 = f.jwt(header: #"{"alg":"RS256","kid":"k1"}"#, signatureLength: 342)
        samples["jwt"] = DetectorSamples(
            positives: [
                Positive(message: "token=\(hs256)&next=/home", secret: hs256),
                Positive(message: "id token: \(rs256)", secret: rs256),
                // Bearer and JWT cover the same bytes; the specific detector names the finding.
                Positive(message: "Authorization: Bearer \(hs256)", secret: hs256),
            ],
            negatives: [
                // Header without "alg".
                ScannerFixtures.base64URL(#"{"typ":"JWT","foo":"bar"}"#) + "." + ScannerFixtures.base64URL("{}")
                    + "." + f.string(ScannerFixtures.base64URL, 43),
                // Unsigned token.
                ScannerFixtures.base64URL(#"{"alg":"none"}"#) + "." + ScannerFixtures.base64URL(#"{"sub":"x"}"#) + ".",
                // Two segments only.
                ScannerFixtures.base64URL(#"{"alg":"HS256"}"#) + "." + ScannerFixtures.base64URL(#"{"sub":"x"}"#),
                // Elided in prose.
                "JWTs look like eyJhbGciOi... so don't paste them.",
            ]
        )

        // MARK: payment-card
        let visa = f.card(prefix: "4", length: 16)
        let visa13 = f.card(prefix: "4", length: 13)
        let mastercard = f.card(prefix: "53", length: 16)
        let mastercard2 = f.card(prefix: "2221", length: 16)
        let amex = f.card(prefix: "37", length: 15)
        let discover = f.card(prefix: "6011", length: 16)
        let discover644 = f.card(prefix: "645", length: 19)
        let jcb = f.card(prefix: "3530", length: 16)
        let diners = f.card(prefix: "305", length: 14)
        let unionPay = f.card(prefix: "62", length: 19)
        let visaSpaced = ScannerFixtures.grouped(visa, [4, 4, 4, 4], separator: " ")
        let visaDashed = ScannerFixtures.grouped(visa, [4, 4, 4, 4], separator: "-")
        let amexGrouped = ScannerFixtures.grouped(amex, [4, 6, 5], separator: " ")
        let unionPayGrouped = ScannerFixtures.grouped(unionPay, [4, 4, 4, 4, 3], separator: " ")
        samples["payment-card"] = DetectorSamples(
            positives: [
                Positive(message: "card: \(visa)", secret: visa),
                Positive(message: "old visa \(visa13).", secret: visa13),
                Positive(message: "MC \(mastercard) exp 12/29", secret: mastercard),
                Positive(message: "(\(mastercard2))", secret: mastercard2),
                Positive(message: "amex \(amexGrouped) cvv 1234", secret: amexGrouped),
                Positive(message: "discover=\(discover)", secret: discover),
                Positive(message: discover644, secret: discover644),
                Positive(message: "jcb \(jcb)", secret: jcb),
                Positive(message: "diners \(diners)", secret: diners),
                Positive(message: "VISA \(visaSpaced) thanks", secret: visaSpaced),
                Positive(message: "number \(visaDashed)", secret: visaDashed),
                Positive(message: "unionpay \(unionPayGrouped)", secret: unionPayGrouped),
                // A trailing CVV group and a leading reference are not part of the card.
                Positive(message: "\(visaSpaced) 12/29", secret: visaSpaced),
                Positive(message: "ref 12 \(visaSpaced)", secret: visaSpaced),
                Positive(message: "card2 \(visaSpaced)", secret: visaSpaced),
            ],
            negatives: [
                // Luhn fails.
                "card: " + ScannerFixtures.breakLuhn(visa),
                ScannerFixtures.grouped(ScannerFixtures.breakLuhn(visa), [4, 4, 4, 4], separator: " "),
                // Unknown network prefix (Luhn-valid).
                f.card(prefix: "9", length: 16),
                f.card(prefix: "1", length: 16),
                // Wrong length for the network (Luhn-valid).
                f.card(prefix: "37", length: 16),
                f.card(prefix: "53", length: 15),
                f.card(prefix: "4", length: 12),
                f.card(prefix: "4", length: 20),
                // Touching letters, a decimal, a phone number.
                "x\(visa)",
                "\(visa)abc",
                "0.\(visa)",
                "+\(visa13)",
                // Mixed separators and odd grouping.
                ScannerFixtures.grouped(visa, [2, 2, 12], separator: " "),
            ]
        )
        // One file of samples per family of the catalogue; a kind appears in one of them only.
        for family in [saas(&f), cloud(&f), keys(&f), ids(&f)] {
            samples.merge(family) { _, _ in preconditionFailure("a detector's samples are defined twice") }
        }
        return samples
    }()
}
