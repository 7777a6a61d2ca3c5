import Testing

@testable import GatehouseCore

/// `generic-secret` and `password-in-prose` against values that are not secrets (variable names, code paths,
/// template words, elisions, bracketed stand-ins) and against word-like real passwords that must still count.
@Suite("Generic secret false positives")
struct GenericSecretFalsePositiveTests {
    let plain = SecretScanner()
    let scanner = NormalizingScanner()
    static let genericKinds: Set<String> = ["generic-secret", "password-in-prose"]

    // MARK: Allowing

    /// The benign corpus lines that were flagged (code:9, 30, 80, 97, 106, 110; placeholders:28, 100, 138).
    static let corpusLines = [
        #"let api_key = std::env::var("API_KEY").expect("API_KEY not set");"#,
        "ALTER USER app WITH PASSWORD :'db_password';",
        "body: JSON.stringify({ username, password: newPassword }),",
        "conn = psycopg2.connect(host=db_host, user=db_user, password=db_password)",
        "user = User(email=form.email.data, password=hashed_password)",
        "const user = await User.create({ email, password: hashedPassword });",
        "api_key: INSERT_API_KEY_HERE",
        "API_KEY=REPLACE_ME",
        "redis_password: [REDIS_PASSWORD]",
    ]

    @Test(arguments: corpusLines)
    func flaggedCorpusLinesStayQuiet(message: String) {
        #expect(scanner.scan(message) == [], "\(message.debugDescription)")
        #expect(plain.scan(message) == [], "\(message.debugDescription)")
    }

    /// Values that name the variable holding the secret.
    static let variableNames = [
        "password=user_password",
        "password: userPassword",
        "password: currentPassword,",
        "'password' => old_password,",
        "password = DB_PASSWORD",
        "secret = SECRET_KEY",
        "client_secret: clientSecret",
        "api_key=config_api_key",
        "access_token: accessToken }",
        "password: encryptedPassword);",
        "password = \"db_password\"",
        "PGPASSWORD=\"$db_password\" psql -h db",
        "'password' => $password,",
        "'password' => $this->password,",
        "password = $_ENV['DB_PASSWORD'];",
        "password = config::db_password;",
        "let api_key = Config::get(\"api_key\")",
        "PASSWORD = process.env.DB_PASSWORD",
        "set password=%APP_PASSWORD%",
    ]

    @Test(arguments: variableNames)
    func variableNamesAndCodePathsAreNotSecrets(message: String) {
        #expect(scanner.scan(message) == [], "\(message.debugDescription)")
    }

    /// Template words, bracketed stand-ins and elisions.
    static let standIns = [
        "API_KEY=PASTE_KEY_HERE",
        "api_key: insertKeyHere",
        "secret: FIXME_BEFORE_PROD",
        "password: TODO_SET_IN_VAULT",
        "api_key = tbd_by_ops_team",
        "STRIPE_SECRET=replace-with-live-secret",
        "client_secret = {CLIENT_SECRET},",
        "api_key=[api-key-from-dashboard].",
        "password: {db.password}",
        "ANTHROPIC_API_KEY=sk-ant-api03-...",
        "password = pypi-AgEIcHlwaS5vcmc...",
        "OPENAI_API_KEY=sk-proj-Ab12Cd34\u{2026}",
        "api key: AbCdEf12GhIj...)",
        "the wifi pw: Hunter22x...",
    ]

    @Test(arguments: standIns)
    func placeholdersAndElisionsAreNotSecrets(message: String) {
        // Only the generic detectors are judged: a vendor detector may read a long enough prefix on its own.
        let kinds = scanner.scan(message).map(\.kind).filter { Self.genericKinds.contains($0) }
        #expect(kinds == [], "\(message.debugDescription)")
    }

    // MARK: Blocking

    /// Word-like and symbol-bearing real passwords, with the exact bytes the finding must cover.
    static let realSecrets: [(message: String, secret: String)] = [
        ("password=hunter2x", "hunter2x"),
        ("password: Summer#2024", "Summer#2024"),
        ("DB_PASSWORD=Summer2024!", "Summer2024"),
        ("password = Correct-Horse-Battery", "Correct-Horse-Battery"),
        ("password = \"correct_horse_battery\"", "correct_horse_battery"),
        ("password: CorrectHorseBattery", "CorrectHorseBattery"),
        ("secret: Here4you!now", "Here4you!now"),
        ("secret: todoist_Ab12Cd34", "todoist_Ab12Cd34"),
        ("password=$ecretP4ss", "$ecretP4ss"),
        ("password=Tr0ub4dor&3", "Tr0ub4dor&3"),
        ("password: summer_2024_pass", "summer_2024_pass"),
        ("password: hunter22x.", "hunter22x"),
        ("(pwd: Hunter22x)", "Hunter22x"),
        ("api_key=[Ab12Cd34Ef56", "[Ab12Cd34Ef56"),
        ("password: passwordHash99", "passwordHash99"),
        ("password: purple_monkey_dish", "purple_monkey_dish"),
        ("API_KEY=key2here4now", "key2here4now"),
        // A chat sentence that trails off keeps its password: only `:`/`=` assignments read `...` as elision.
        ("my password is Summer2024...", "Summer2024"),
    ]

    @Test(arguments: realSecrets.indices)
    func realPasswordsAreStillFound(index: Int) throws {
        let (message, secret) = Self.realSecrets[index]
        let expected = try #require(ScannerFixtures.byteRange(of: secret, in: message))
        for findings in [plain.scan(message), scanner.scan(message)] {
            #expect(findings.count == 1, "\(findings) in \(message.debugDescription)")
            #expect(findings.first.map { Self.genericKinds.contains($0.kind) } == true, "\(message.debugDescription)")
            #expect(findings.first?.range == expected, "\(message.debugDescription)")
        }
    }

    @Test func generatedSecretsBesideTheNewRulesAreFound() throws {
        // Random values in every assignment style the new rules look at.
        var f = ScannerFixtures(seed: 11)
        for _ in 0..<50 {
            let value = f.mixed(ScannerFixtures.base62, 16)
            for message in [
                "password=\(value)", "api_key = '\(value)'", "secret: \(value)]", "secret: \(value).",
                "(password: \(value))", "api_key: \(value)9here",
            ] {
                let findings = plain.scan(message)
                #expect(findings.first.map { Self.genericKinds.contains($0.kind) } == true, "\(message.debugDescription)")
            }
        }
    }

    // MARK: The heuristics themselves

    static func judge(_ value: String, _ rule: (ScanText, Range<Int>) -> Bool) -> Bool {
        let text = ScanText(value)
        return rule(text, 0..<text.count)
    }

    @Test func variableNamesNeedWordsOfOneStyleAndAHintWord() {
        for name in [
            "db_password", "hashed_password", "newPassword", "hashedPassword", "DB_PASSWORD", "api_key", "userID",
            "pwdHash", "old_pwd", "envVar", "config_secret_value",
        ] {
            #expect(Self.judge(name, ValueHeuristics.isVariableName), "\(name)")
        }
        for value in [
            "password", "correct_horse_battery", "CorrectHorsePassword", "Db_Password", "hunter2_pass", "db-password",
            "xkcd_pass", "pass__word", "password_", "Summer2024!", "db password",
        ] {
            #expect(!Self.judge(value, ValueHeuristics.isVariableName), "\(value)")
        }
    }

    @Test func codeReferencesIncludePathsAndVariables() {
        for value in [
            "std::env::var(", "Config::get(", "config::db_password", "$this->password", "$db_password", "$password",
            "$_ENV[", "os.environ", "process.env.API_KEY",
        ] {
            #expect(Self.judge(value, ValueHeuristics.isCodeReference), "\(value)")
        }
        for value in ["$ecretP4ss", "$$password", "a::", "::a", "Tr0ub::4dor!", "hunter->", "$Xyz9-pass"] {
            #expect(!Self.judge(value, ValueHeuristics.isCodeReference), "\(value)")
        }
    }

    @Test func placeholderWordsMustBeWholeWords() {
        for value in [
            "INSERT_API_KEY_HERE", "REPLACE_ME", "replaceme", "TODO", "tbd-later", "<fixme>", "insertKeyHere",
            "key-goes-here", "%DB_PASSWORD%", "changeme",
        ] {
            #expect(Self.judge(value, ValueHeuristics.isPlaceholder), "\(value)")
        }
        for value in ["todoist_Ab12", "Here4you!now", "whereabouts99", "sphere2024", "Inserted99x", "%db%", "Xtbdy9", "4tbd7D1cfEIi", "Ab3TbdE9", "setTodo42"] {
            #expect(!Self.judge(value, ValueHeuristics.isPlaceholder), "\(value)")
        }
    }

    @Test func trailingPunctuationShowsElisionAndBrackets() {
        func trim(_ value: String) -> (end: Int, elided: Bool, bracketed: Bool) {
            let text = ScanText(value)
            return ValueHeuristics.trimTrailingPunctuation(text, 0..<text.count) { ".,)]}".utf8.contains($0) }
        }
        #expect(trim("sk-ant-api03-...") == (13, true, false))
        #expect(trim("abc...),") == (3, true, false))
        #expect(trim("hunter22.") == (8, false, false))
        #expect(trim("hunter22..") == (8, false, false))
        #expect(trim("[REDIS_PASSWORD],") == (15, false, true))
        #expect(trim("{token}") == (6, false, true))
        #expect(trim("abc]") == (3, false, false))
        #expect(trim("]") == (0, false, false))
    }
}
