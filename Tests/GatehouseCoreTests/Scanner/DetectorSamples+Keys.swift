import GatehouseCore

/// Samples for private keys and wallets (`age-secret-key`, `bip39-seed-phrase`, `totp-seed`) and credentials
/// in context (`basic-auth`, `url-credentials`, `database-url`, `connection-string`, `password-in-prose`).
extension DetectorSamples {
    static func keys(_ f: inout ScannerFixtures) -> [String: DetectorSamples] {
        var samples: [String: DetectorSamples] = [:]

        // MARK: age-secret-key
        let age1 = f.ageSecretKey()
        let age2 = f.ageSecretKey()
        let age3 = f.ageSecretKey()
        let badAge = f.ageSecretKeyWithBadChecksum()
        samples["age-secret-key"] = DetectorSamples(
            positives: [
                Positive(message: "# created: 2024-05-01T10:00:00Z\n# public key: age1…\n\(age1)\n", secret: age1),
                Positive(message: "SOPS_AGE_KEY=\(age2)", secret: age2),
                Positive(message: "here's my age identity \(age3), keep it safe", secret: age3),
                Positive(message: "lower case works too: \(age1.lowercased())", secret: age1.lowercased()),
            ],
            negatives: [
                // Checksum does not verify (one character changed).
                badAge,
                // Wrong length: one character short, one too many.
                String(age1.dropLast()),
                age1 + "Q",
                // Placeholder in docs.
                "AGE-SECRET-KEY-1" + String(repeating: "X", count: 58),
                // Mixed case is not bech32.
                String(age2.prefix(40)) + age2.dropFirst(40).lowercased(),
                // Talk about the format.
                "age identities start with AGE-SECRET-KEY-1 followed by bech32.",
            ]
        )

        // MARK: bip39-seed-phrase
        let seed12 = f.seedPhrase(words: 12)
        let seed24 = f.seedPhrase(words: 24)
        let seed18 = f.seedPhrase(words: 18)
        let seed15Lines = f.seedPhrase(words: 15, separator: "\n")
        let numbered = f.seedPhrase(words: 12).split(separator: " ").enumerated()
            .map { "\($0.offset + 1). \($0.element)" }.joined(separator: " ")
        let numberedSecret = String(numbered.dropFirst(3))
        samples["bip39-seed-phrase"] = DetectorSamples(
            positives: [
                Positive(message: "my recovery phrase: \(seed12)", secret: seed12),
                Positive(message: "Ledger backup — \(seed24). Don't lose it!", secret: seed24),
                Positive(message: "words:\n\(seed15Lines)\nthanks", secret: seed15Lines),
                Positive(message: "seed \(seed18.uppercased())", secret: seed18.uppercased()),
                Positive(message: "1. \(numberedSecret)", secret: numberedSecret),
            ],
            negatives: [
                // Checksum fails (last word changed).
                f.seedPhraseWithBadChecksum(words: 12),
                // Eleven words: not a phrase length, and too short anyway.
                seed12.split(separator: " ").dropLast().joined(separator: " "),
                // The published test vector: repeated words, an example rather than a wallet.
                String(repeating: "abandon ", count: 11) + "about",
                // A word outside the list breaks the run ("bitcoin" is not a BIP-39 word).
                seed12.split(separator: " ").prefix(6).joined(separator: " ") + " bitcoin "
                    + seed12.split(separator: " ").suffix(6).joined(separator: " "),
                // Ordinary prose made of listed words, with short words between.
                "I have to say that this year was good and we can all come over to work on the other idea now",
                // Talk about seed phrases.
                "Never share your 12 word seed phrase with anyone, not even support staff.",
            ]
        )

        // MARK: totp-seed
        let seed32 = f.totpSeed(length: 32)
        let seed16 = f.totpSeed(length: 16)
        let grouped = stride(from: 0, to: 32, by: 4).map { i in
            String(seed32.dropFirst(i).prefix(4)).lowercased()
        }.joined(separator: " ")
        let uriSeed = f.totpSeed(length: 32)
        let uri = "otpauth://totp/ACME:alice%40example.org?secret=\(uriSeed)&issuer=ACME&digits=6"
        samples["totp-seed"] = DetectorSamples(
            positives: [
                Positive(message: "scan this: \(uri)", secret: uriSeed),
                Positive(message: "2FA secret: \(seed16)", secret: seed16),
                Positive(message: "Authenticator key for the shared account is \(grouped) (Google style)", secret: grouped),
                Positive(message: "TOTP seed = \(seed32)", secret: seed32),
                Positive(message: "backup code key \(seed16.lowercased())", secret: seed16.lowercased()),
            ],
            negatives: [
                // No context word: a bare base32 string could be anything.
                "ref \(seed32)",
                // Too short (15 characters).
                "2FA key: \(seed16.dropLast())",
                // Placeholder and letters without a digit (prose in capitals).
                "TOTP secret: AAAAAAAAAAAAAAAAAAAAAAAA",
                "2FA AUTHENTICATIONREQUIRED for all admins",
                // Digits 0, 1, 8, 9 are not base32: a phone number or an order number.
                "2FA code sent to 0155 1234 8899 0011",
                // Talk about TOTP.
                "Please enable TOTP in the authenticator app before Friday.",
                // A URI without a secret parameter.
                "otpauth://totp/ACME:alice?issuer=ACME",
            ]
        )

        // MARK: basic-auth
        let basicPassword = f.password()
        let basic1 = ScannerFixtures.base64Padded("alice:" + basicPassword)
        let basic2 = ScannerFixtures.base64Padded(":" + f.mixed(ScannerFixtures.base62, 52))
        let basic3 = ScannerFixtures.base64Padded("svc-deploy:" + f.password(length: 20))
        samples["basic-auth"] = DetectorSamples(
            positives: [
                Positive(message: "curl -H 'Authorization: Basic \(basic1)' https://api.test", secret: basic1),
                Positive(message: "Authorization: Basic \(basic2)", secret: basic2),
                Positive(message: "proxy-authorization: basic \(basic3)\r\nhost: x", secret: basic3),
            ],
            negatives: [
                // Documentation stand-in: user:password.
                "Authorization: Basic " + ScannerFixtures.base64Padded("user:password"),
                // Decodes to text without a colon.
                "Authorization: Basic " + ScannerFixtures.base64Padded("just a token here"),
                // Not base64 of text: random bytes decode to control characters.
                "Authorization: Basic " + ScannerFixtures.base64Padded("alice:" + basicPassword).dropLast(4) + "AAAA",
                // English after "basic".
                "We covered basic training and basic understanding today.",
                // Placeholder.
                "Authorization: Basic <base64(user:pass)>",
            ]
        )

        // MARK: url-credentials
        let urlPassword = f.password()
        let token = f.mixed(ScannerFixtures.base62, 30)
        let ftpPassword = f.password(length: 10)
        samples["url-credentials"] = DetectorSamples(
            positives: [
                Positive(message: "clone with https://deploy:\(urlPassword)@git.internal.test/app.git", secret: urlPassword),
                Positive(message: "proxy=http://:\(token)@proxy.corp.test:3128", secret: token),
                Positive(message: "(ftp://bob:\(ftpPassword)@files.test/in)", secret: ftpPassword),
            ],
            negatives: [
                // user@host alone: no password.
                "ssh://git@github.com/acme/app.git and https://bob@example.org/",
                // Placeholders.
                "https://user:password@example.org/",
                "https://admin:<pass>@host.test/",
                "https://admin:***@host.test/",
                "https://admin:${ADMIN_PASSWORD}@host.test/",
                // Password equal to the user: a public default.
                "amqp-like http://guest:guest@localhost:15672/",
                // A port, not a password.
                "http://localhost:8080/path?x=1 or mail bob@example.org",
            ]
        )

        // MARK: database-url
        let dbPassword = f.password()
        let mongoPassword = f.mixed(ScannerFixtures.base62, 24)
        let redisPassword = f.mixed(ScannerFixtures.base62, 32)
        let queryPassword = f.password(length: 14)
        samples["database-url"] = DetectorSamples(
            positives: [
                Positive(message: "DATABASE_URL=postgres://app:\(dbPassword)@db.internal:5432/shop", secret: dbPassword),
                Positive(
                    message: "\"uri\": \"mongodb+srv://admin:\(mongoPassword)@cluster0.abcde.mongodb.net/?retryWrites=true\"",
                    secret: mongoPassword
                ),
                Positive(message: "use rediss://:\(redisPassword)@cache.test:6380/0", secret: redisPassword),
                Positive(
                    message: "jdbc:postgresql://db.test:5432/shop?user=app&password=\(queryPassword)&ssl=true",
                    secret: queryPassword
                ),
            ],
            negatives: [
                // No password.
                "postgres://app@db.internal:5432/shop",
                "mysql://localhost:3306/test",
                // Placeholders.
                "postgresql://user:password@localhost:5432/mydb",
                "mongodb://<username>:<password>@host:27017",
                "redis://:${REDIS_PASSWORD}@redis:6379",
                // Password equal to the user, the image default.
                "postgres://postgres:postgres@localhost/postgres",
            ]
        )

        // MARK: connection-string
        let adoPassword = f.password()
        let libpqPassword = f.password(length: 16)
        let odbcPassword = f.password(length: 14) + ";x"
        samples["connection-string"] = DetectorSamples(
            positives: [
                Positive(
                    message: "Server=tcp:sql.test,1433;Initial Catalog=shop;User Id=app;Password=\(adoPassword);Encrypt=True;",
                    secret: adoPassword
                ),
                Positive(message: "host=db.test port=5432 dbname=shop user=app password=\(libpqPassword) sslmode=require", secret: libpqPassword),
                Positive(message: "Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd={\(odbcPassword)};", secret: "{\(odbcPassword)}"),
                Positive(message: "\"Data Source=db;Database=crm;User ID=web;Password='\(adoPassword)'\"", secret: adoPassword),
            ],
            negatives: [
                // Placeholders.
                "Server=db;Database=shop;User Id=app;Password=<password>;",
                "Server=db;Database=shop;User Id=app;Password=****;",
                "host=db dbname=shop user=app password=$PGPASSWORD",
                // No server or database field: a bare assignment, left to generic-secret (this one is a stand-in).
                "Password=password;",
                // Empty password.
                "Server=db;Database=shop;User Id=app;Password=;",
                // Talk about the format.
                "Set Password= in the connection string, next to Server=.",
            ]
        )

        // MARK: password-in-prose
        let p1 = f.password()
        let p2 = f.password(length: 10)
        let p3 = f.mixed(ScannerFixtures.base62, 9)
        let p4 = f.password(length: 14)
        let digitsOnly = "8" + f.string("0123456789", 7).replacingOccurrences(of: "9", with: "3")
        samples["password-in-prose"] = DetectorSamples(
            positives: [
                Positive(message: "the password is \(p1) btw", secret: p1),
                Positive(message: "wifi password for the guest network is \(p2).", secret: p2),
                Positive(message: "my password's \(p3), don't tell anyone", secret: p3),
                Positive(message: "pw: \(p4)", secret: p4),
                Positive(message: "La contraseña es \(p1)", secret: p1),
                Positive(message: "le mot de passe est « \(p2) »", secret: p2),
                Positive(message: "Das Passwort lautet \(p3)!", secret: p3),
                Positive(message: "a senha é \(p4)", secret: p4),
                Positive(message: "la password del wifi è \(p1)", secret: p1),
                Positive(message: "het wachtwoord is nu \"\(p2)\"", secret: p2),
                Positive(message: "the router password is \(digitsOnly)", secret: digitsOnly),
            ],
            negatives: [
                // Talking about passwords: the next word is prose.
                "the password is wrong, try again",
                "The password is in the vault.",
                "your password is correct",
                "Your password is expired, please reset it.",
                "das Passwort ist falsch",
                "la contraseña es incorrecta",
                "le mot de passe est trop court",
                "a senha é fraca demais",
                "het wachtwoord is verlopen",
                "la password è sbagliata",
                // Placeholders and stand-ins.
                "the password is ********",
                "the password is <your password>",
                "my password is hunter2 lol",
                "the password is in 1Password",
                "pw: [WIFI_PASSWORD]",
                "password: TODO_SET_IN_VAULT",
                // Elided after a colon, and a variable's name.
                "wifi pw: Hunter22x...",
                "the new password is newPassword",
                // A run of digits, a length, a URL.
                "the password is 12345678",
                "the password is 12 characters long",
                "the password reset link is https://example.org/reset?t=abc123",
                // A question.
                "what is the wifi password? is it on the router?",
            ]
        )
        return samples
    }
}
