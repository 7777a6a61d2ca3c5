import Testing

@testable import GatehouseCore

/// Checks specific to the keys family: checksums, boundaries, collapsed PEM blocks, and quiet chat.
@Suite("Keys and credentials detectors")
struct KeysDetectorTests {
    let scanner = SecretScanner()


    // MARK: SHA-256 and BIP-39

    @Test func bip39ChecksumAcceptsPublishedVectorsAndRejectsTheirNeighbours() {
        func indices(_ phrase: String) -> [Int] {
            phrase.split(separator: " ").map { w in BIP39Wordlist.words.firstIndex { $0.elementsEqual(w.utf8) }! }
        }
        // Trezor's reference vectors (entropy 00…, 7f…, ff…): public examples, valid checksums.
        let zeros = String(repeating: "abandon ", count: 11) + "about"
        let sevenF = "legal winner thank year wave sausage worth useful legal winner thank yellow"
        let ones = String(repeating: "zoo ", count: 23) + "vote"
        #expect(BIP39Wordlist.hasValidChecksum(indices(zeros)))
        #expect(BIP39Wordlist.hasValidChecksum(indices(sevenF)))
        #expect(BIP39Wordlist.hasValidChecksum(indices(ones)))
        #expect(!BIP39Wordlist.hasValidChecksum(indices(String(repeating: "abandon ", count: 11) + "ability")))
        #expect(!BIP39Wordlist.hasValidChecksum(indices(String(repeating: "zoo ", count: 23) + "wrong")))
        // They repeat words, so as examples they are not findings.
        #expect(scanner.scan(zeros) == [])
        #expect(scanner.scan(sevenF) == [])
    }

    @Test func wordlistHasUniqueFourLetterPrefixes() {
        #expect(BIP39Wordlist.words.count == 2048)
        #expect(Set(BIP39Wordlist.words.map { $0.prefix(4) }).count == 2048)
        #expect(BIP39Wordlist.index(of: Array("abandon".utf8), 0..<7) == 0)
        #expect(BIP39Wordlist.index(of: Array("zoo".utf8), 0..<3) == 2047)
        #expect(BIP39Wordlist.index(of: Array("abandons".utf8), 0..<8) == nil)
        #expect(BIP39Wordlist.index(of: Array("aban".utf8), 0..<4) == nil)
    }

    @Test func everyGeneratedPhraseLengthIsFound() {
        var f = ScannerFixtures(seed: 11)
        for words in [12, 15, 18, 21, 24] {
            for _ in 0..<20 {
                let phrase = f.seedPhrase(words: words)
                let findings = scanner.scan("backup: \(phrase)")
                #expect(findings.map(\.kind) == ["bip39-seed-phrase"], "\(words) words")
                #expect(findings.first?.range == ScannerFixtures.byteRange(of: phrase, in: "backup: \(phrase)"))
            }
        }
    }

    @Test func contextWordsThatAreListedDoNotHideAnyOfThePhrase() throws {
        // "seed", "phrase" and "secret" are BIP-39 words: a window shifted onto them may pass by chance, and
        // then the finding grows to cover them, never shrinks.
        var f = ScannerFixtures(seed: 12)
        for _ in 0..<50 {
            let phrase = f.seedPhrase(words: 12)
            let message = "secret seed phrase \(phrase)"
            let finding = try #require(scanner.scan(message).first)
            let expected = try #require(ScannerFixtures.byteRange(of: phrase, in: message))
            #expect(finding.range.lowerBound <= expected.lowerBound && finding.range.upperBound == expected.upperBound)
        }
    }

    @Test func phrasesInterruptedByOtherTextAreNotFound() {
        var f = ScannerFixtures(seed: 13)
        let words = f.seedPhrase(words: 12).split(separator: " ")
        // Capitalised mid-phrase, hyphen-joined, or with a sentence between.
        let capital = words.enumerated().map { $0.offset == 6 ? $0.element.capitalized : String($0.element) }
        #expect(scanner.scan(capital.joined(separator: " ")) == [])
        #expect(scanner.scan(words.joined(separator: "-")) == [])
        #expect(scanner.scan(words.prefix(6).joined(separator: " ") + ". I think that's it. " + words.suffix(6).joined(separator: " ")) == [])
    }

    // MARK: age

    @Test func ageKeysOfManySeedsValidateAndAnyChangedCharacterFails() {
        var f = ScannerFixtures(seed: 21)
        for _ in 0..<50 {
            let key = f.ageSecretKey()
            #expect(scanner.scan(key).map(\.kind) == ["age-secret-key"])
            #expect(scanner.scan(key).first?.masked == "AGE-SECRET-KEY-1…[74 chars]")
        }
        for _ in 0..<50 { #expect(scanner.scan(f.ageSecretKeyWithBadChecksum()) == []) }
    }

    @Test func ageKeyNeedsBoundaries() {
        var f = ScannerFixtures(seed: 22)
        let key = f.ageSecretKey()
        #expect(scanner.scan("X" + key) == [])
        #expect(scanner.scan("_" + key) == [])
        #expect(scanner.scan(key + "7") == [])
        #expect(scanner.scan("(" + key + ")").map(\.kind) == ["age-secret-key"])
    }

    // MARK: PEM

    @Test func pemBlocksCollapsedOntoOneLineAreFound() throws {
        var f = ScannerFixtures(seed: 31)
        for label in ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"] {
            let block = f.pemBlock(label: label, newline: " ")
            let message = "key: \(block) thanks"
            let findings = scanner.scan(message)
            #expect(findings.map(\.kind) == ["pem-private-key"], "\(label)")
            #expect(findings.first?.range == ScannerFixtures.byteRange(of: block, in: message), "\(label)")
        }
    }

    @Test func collapsedBlocksWithArmorHeadersAreFoundWhole() throws {
        var f = ScannerFixtures(seed: 32)
        let body = f.string(ScannerFixtures.base64, 64) + " " + f.string(ScannerFixtures.base64, 64)
        let encrypted =
            "-----BEGIN RSA PRIVATE KEY----- Proc-Type: 4,ENCRYPTED DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF  "
            + body + " -----END RSA PRIVATE KEY-----"
        let pgp =
            "-----BEGIN PGP PRIVATE KEY BLOCK----- Version: GnuPG v2 Comment: test key  " + body + " =AbCd"
            + " -----END PGP PRIVATE KEY BLOCK-----"
        for block in [encrypted, pgp] {
            let message = "pasted: \(block) ok?"
            let findings = scanner.scan(message)
            #expect(findings.map(\.kind) == ["pem-private-key"])
            #expect(findings.first?.range == ScannerFixtures.byteRange(of: block, in: message))
        }
    }

    @Test func escapedNewlinesAndCRLFAreFound() {
        var f = ScannerFixtures(seed: 33)
        let escaped = f.pemBlock(label: "OPENSSH PRIVATE KEY", newline: "\\r\\n")
        let crlf = f.pemBlock(label: "EC PRIVATE KEY", newline: "\r\n")
        #expect(scanner.scan(#"{"key":""# + escaped + #""}"#).map(\.kind) == ["pem-private-key"])
        #expect(scanner.scan(crlf).map(\.kind) == ["pem-private-key"])
        // A collapsed public key is still not a finding.
        #expect(scanner.scan(f.pemBlock(label: "PUBLIC KEY", newline: " ")) == [])
    }

    // MARK: TOTP

    @Test func totpSeedGroupsAndBoundaries() {
        var f = ScannerFixtures(seed: 41)
        let seed = f.totpSeed(length: 32)
        let dashed = stride(from: 0, to: 32, by: 4).map { String(seed.dropFirst($0).prefix(4)) }.joined(separator: "-")
        #expect(scanner.scan("MFA key: \(dashed)").map(\.kind) == ["totp-seed"])
        // Mixed separators stop the group chain short of 16 characters.
        #expect(scanner.scan("MFA key: \(seed.prefix(4)) \(seed.dropFirst(4).prefix(4))-\(seed.dropFirst(8).prefix(4))") == [])
        // Too far from the context word.
        #expect(scanner.scan("TOTP is enabled for everyone in the company, and the seed is \(seed)") == [])
        // Inside a hash, "2fa" is not a context word.
        #expect(scanner.scan("commit 92fa \(seed)") == [])
        // A hotp URI works too, and the padded seed is covered with its padding.
        let padded = seed.prefix(26) + "======"
        let findings = scanner.scan("otpauth://hotp/x?secret=\(padded)&counter=0")
        #expect(findings.map(\.kind) == ["totp-seed"])
    }

    // MARK: Basic, URLs, connection strings

    @Test func basicAuthDecodesAndChecksTheToken() {
        #expect(BasicAuthValidator.decode(ArraySlice(Array("YWxpY2U6czNjcjN0".utf8))) == Array("alice:s3cr3t".utf8))
        #expect(BasicAuthValidator.decode(ArraySlice(Array("AAAA".utf8))) == nil)  // NUL bytes
        // Same user and password: a default, not a secret.
        #expect(scanner.scan("Authorization: Basic " + ScannerFixtures.base64Padded("admin:admin")) == [])
        // Unpadded is not what clients send.
        #expect(scanner.scan("Authorization: Basic " + ScannerFixtures.base64Padded("al:s3cr3tpw").dropLast(1)) == [])
    }

    @Test func urlCredentialsNeedASchemeAndAHost() {
        var f = ScannerFixtures(seed: 51)
        let password = f.password()
        #expect(scanner.scan("://bob:\(password)@host.test").isEmpty)
        #expect(scanner.scan("https://bob:\(password)@/path").isEmpty)
        // Any scheme; unescaped `@` in the password is kept with it.
        let message = "sftp://bob:ab@\(password)@files.test/"
        #expect(scanner.scan(message).first?.range == ScannerFixtures.byteRange(of: "ab@\(password)", in: message))
        // Database schemes are named by the specific detector.
        #expect(scanner.scan("mysql://root:\(password)@127.0.0.1/db").map(\.kind) == ["database-url"])
        #expect(scanner.scan("x mariadb://root:\(password)@db/app").map(\.kind) == ["database-url"])
    }

    @Test func assignmentsInConnectionAndQueryStringsEndAtTheNextField() {
        var f = ScannerFixtures(seed: 52)
        let password = f.password()
        // Without a server field this is generic-secret's, which now stops at `;Key=` and `&key=`.
        let ado = "User Id=app;Password=\(password);Encrypt=True"
        #expect(scanner.scan(ado).first?.range == ScannerFixtures.byteRange(of: password, in: ado))
        let query = "https://example.org/cb?client_secret=\(password)&state=xyz"
        #expect(scanner.scan(query).first?.range == ScannerFixtures.byteRange(of: password, in: query))
        #expect(scanner.scan("Server=db;Password=\(password);").map(\.kind) == ["connection-string"])
    }

    // MARK: Prose

    @Test func proseConnectorsAndQuotes() throws {
        var f = ScannerFixtures(seed: 61)
        let password = f.password()
        for message in [
            "The password to the staging box is now \(password)",
            "pw is \(password)",
            "Kennwort: \(password)",
            "Das WLAN-Passwort ist \(password)",
            "la contrasena es \(password)",
            "the password is “\(password)”",
            "c'est quoi? le mot de passe c'est \(password)",
        ] {
            let finding = try #require(scanner.scan(message).first, "\(message)")
            #expect(finding.range == ScannerFixtures.byteRange(of: password, in: message), "\(message)")
        }
    }

    /// People talking about passwords, keys, seeds and 2FA: none of it is a finding.
    static let quietChat: [String] = [
        "Did you change the password? The old password is no longer valid.",
        "My password is too weak, the site says it needs a symbol.",
        "The password is the same as the one for the printer.",
        "password is case-sensitive, be careful",
        "Passwords are stored with bcrypt, never in plain text.",
        "Set up 2FA with an authenticator app, then save the backup codes somewhere safe.",
        "TOTP codes rotate every 30 seconds; the seed stays on your phone.",
        "Write your seed phrase on paper and never type it into a website.",
        "I have to say that this year was good and we can all come over to work on the other idea now.",
        "What is the wifi password? Is it still the one on the fridge?",
        "Use basic auth for now and switch to OAuth later.",
        "The DSN looks like postgres://user:pass@host:5432/db in the docs.",
        "Connection string format: Server=myServer;Database=myDB;User Id=myUser;Password=myPassword;",
        "https://shop.example.com/p/123?utm_source=news&utm_medium=email&gclid=EAIaIQobChMI",
        "Le mot de passe est dans le coffre-fort, demande à Marie.",
        "Das Passwort ist abgelaufen, bitte neu setzen.",
        "La contraseña es demasiado corta.",
        "A senha é a mesma de sempre.",
        "Het wachtwoord is gewijzigd.",
        "La password è scaduta ieri.",
        "age encrypts files; keys look like AGE-SECRET-KEY-1... and should stay in keys.txt",
        "ssh git@github.com and then git push; mail me at bob@example.org",
        "about above absent absorb abstract absurd abuse access accident account accuse achieve acid",
    ]

    @Test func quietChatYieldsNoFindings() {
        for message in Self.quietChat {
            #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        }
    }
}
