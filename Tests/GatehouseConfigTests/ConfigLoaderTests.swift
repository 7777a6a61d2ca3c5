import GatehouseCore
import Testing

@testable import GatehouseConfig
import GatehouseTesting

@Suite struct ConfigLoaderTests {
    /// Paths that exist on the pretend machine, and what they resolve to.
    private static let existing: [String: String] = [
        "/home/me/share": "/home/me/share",
        "/etc/gatehouse/docs": "/data/docs",
        "/srv/link": "/srv/real",
        "/": "/",
    ]

    private static let loader = ConfigLoader(
        configDirectory: "/etc/gatehouse", homeDirectory: "/home/me", resolvePath: { existing[$0] })

    private func load(_ text: String) -> Result<Policy, ConfigError> {
        Self.loader.parse(text, source: "/etc/gatehouse/gatehouse.yaml")
    }

    private func policy(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Policy {
        switch load(text) {
        case .success(let policy): return policy
        case .failure(let error):
            Issue.record("expected a valid config, got \(error)", sourceLocation: sourceLocation)
            throw error
        }
    }

    private func issues(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ConfigIssue] {
        switch load(text) {
        case .success(let policy):
            Issue.record("expected an invalid config, got \(policy)", sourceLocation: sourceLocation)
            return []
        case .failure(let error):
            #expect(error.source == "/etc/gatehouse/gatehouse.yaml", sourceLocation: sourceLocation)
            #expect(!error.issues.isEmpty, sourceLocation: sourceLocation)
            return error.issues
        }
    }

    private func onlyIssue(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigIssue? {
        let found = issues(text, sourceLocation: sourceLocation)
        #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
        return found.first
    }

    // MARK: Booleans

    @Test func quotedFalseIsAStringNamingKeyAndLine() {
        let issue = onlyIssue(#"allow_unlisted: "false""#)
        #expect(issue?.key == "allow_unlisted")
        #expect(issue?.line == 1)
        #expect(issue?.description == #"line 1: allow_unlisted: expected true or false, found the string "false" (remove the quotes)"#)
    }

    @Test func linesAreOneBased() {
        let issue = onlyIssue("# Gatehouse\n\nallow_unlisted: 'false'\n")
        #expect(issue?.key == "allow_unlisted")
        #expect(issue?.line == 3)
    }

    @Test(arguments: ["yes", "no", "on", "off", "y", "1", "0", "~", "[true]"])
    func onlyTrueAndFalseAreBooleans(word: String) {
        let issue = onlyIssue("allow_unlisted: \(word)")
        #expect(issue?.key == "allow_unlisted")
        #expect(issue?.line == 1)
        #expect(issue?.message.hasPrefix("expected true or false") == true)
    }

    @Test func yesIsNamedInTheMessage() {
        #expect(onlyIssue("allow_unlisted: yes")?.description == "line 1: allow_unlisted: expected true or false, found yes")
    }

    @Test(arguments: [("true", true), ("false", false), ("True", true), ("FALSE", false)])
    func plainBooleansParse(word: String, value: Bool) throws {
        #expect(try policy("allow_unlisted: \(word)").allowUnlisted == value)
    }

    @Test func invalidConfigErrorDescriptionNamesTheSource() throws {
        guard case .failure(let error) = load("allow_unlisted: yes") else {
            Issue.record("expected failure")
            return
        }
        #expect(error.description == "invalid config /etc/gatehouse/gatehouse.yaml: line 1: allow_unlisted: expected true or false, found yes")
    }

    // MARK: Unknown keys

    @Test func unknownTopKeySuggestsTheNearestKnownOne() {
        let issue = onlyIssue("allow_unlisted: false\nallow_unlistd: true\n")
        #expect(issue?.key == "allow_unlistd")
        #expect(issue?.line == 2)
        #expect(issue?.message.hasPrefix("unknown key (did you mean 'allow_unlisted'?); known keys here: transport, outbox_dir") == true)
    }

    @Test func unknownNestedKeyIsNamedWithItsPath() {
        let issue = onlyIssue("rate_limit:\n  per_minit: 3\n")
        #expect(issue?.key == "rate_limit.per_minit")
        #expect(issue?.line == 2)
        #expect(issue?.message.contains("did you mean 'per_minute'?") == true)
    }

    @Test func unknownRecipientKeyIsNamedWithItsIndex() {
        let issue = onlyIssue("recipients:\n  - name: Alice\n    jid: '+447700900123'\n    phone: '+447700900123'\n")
        #expect(issue?.key == "recipients[0].phone")
        #expect(issue?.line == 4)
    }

    @Test func farFetchedKeyGetsNoSuggestion() {
        let issue = onlyIssue("colour_scheme: dark")
        #expect(issue?.key == "colour_scheme")
        #expect(issue?.message.contains("did you mean") == false)
    }

    @Test func duplicatedKeyIsRefused() {
        // The second value must not silently win over the first.
        let found = issues("allow_unlisted: false\nallow_unlisted: true\n")
        #expect(found.contains { $0.message.contains("allow_unlisted") })
    }

    // MARK: Types

    @Test func quotedNumberIsNotANumber() {
        let issue = onlyIssue("rate_limit:\n  per_minute: \"10\"\n")
        #expect(issue?.key == "rate_limit.per_minute")
        #expect(issue?.line == 2)
        #expect(issue?.message == #"expected a whole number, found the string "10""#)
    }

    @Test(arguments: ["1.5", "ten", "[10]", "{n: 10}", "''"])
    func nonIntegersAreRefusedForLimits(value: String) {
        let issue = onlyIssue("rate_limit:\n  per_minute: \(value)\n")
        #expect(issue?.key == "rate_limit.per_minute")
        #expect(issue?.message.hasPrefix("expected a whole number") == true)
    }

    @Test func mappingForRecipientsIsRefused() {
        let issue = onlyIssue("recipients:\n  name: Alice\n  jid: '+447700900123'\n")
        #expect(issue?.key == "recipients")
        #expect(issue?.line == 2)
        #expect(issue?.message == "expected a list, found a mapping")
    }

    @Test func scalarForAMappingIsRefused() {
        let issue = onlyIssue("rate_limit: 10")
        #expect(issue?.key == "rate_limit")
        #expect(issue?.message == "expected a mapping (key: value lines), found 10")
    }

    @Test func topLevelListIsRefused() {
        #expect(onlyIssue("- a\n- b\n")?.message.hasPrefix("expected a mapping") == true)
    }

    // MARK: Impossible values

    @Test func negativeLimitIsRefused() {
        let issue = onlyIssue("rate_limit:\n  per_minute: 10\n  per_hour: -1\n")
        #expect(issue?.key == "rate_limit.per_hour")
        #expect(issue?.line == 3)
        #expect(issue?.message == "-1 is out of range 0…1000000")
    }

    @Test func zeroTokenLifetimeIsRefused() {
        let issue = onlyIssue("confirm_token_ttl_seconds: 0")
        #expect(issue?.key == "confirm_token_ttl_seconds")
        #expect(issue?.line == 1)
        #expect(issue?.message == "0 is out of range 1…86400")
    }

    @Test func zeroMaxSizeIsRefused() {
        let issue = onlyIssue("files:\n  max_size_mb: 0\n")
        #expect(issue?.key == "files.max_size_mb")
        #expect(issue?.line == 2)
        #expect(issue?.message.hasPrefix("0 is out of range") == true)
    }

    @Test(arguments: ["-5", "4096", ".nan", ".inf", "'16'"])
    func impossibleMaxSizesAreRefused(value: String) {
        #expect(onlyIssue("files:\n  max_size_mb: \(value)\n")?.key == "files.max_size_mb")
    }

    @Test func fractionalMaxSizeIsBytes() throws {
        #expect(try policy("files:\n  max_size_mb: 0.5\n").files.maxBytes == 524_288)
    }

    @Test func badTriggerIsRefused() {
        let issue = onlyIssue("require_confirm_for: [unlisted, sometimes]")
        #expect(issue?.key == "require_confirm_for")
        #expect(issue?.line == 1)
        #expect(issue?.message == "unknown trigger 'sometimes'; use unlisted, files, messages or all")
    }

    @Test func triggersParse() throws {
        #expect(try policy("require_confirm_for: [files, messages]").requireConfirmFor == [.files, .messages])
        #expect(try policy("require_confirm_for: []").requireConfirmFor == [])
        #expect(try policy("require_confirm_for:\n  - all\n").requireConfirmFor == [.all])
    }

    @Test func badOnDetectIsRefused() {
        let issue = onlyIssue("secrets:\n  on_detect: ignore\n")
        #expect(issue?.key == "secrets.on_detect")
        #expect(issue?.line == 2)
        #expect(issue?.message == "expected block or warn, found 'ignore'")
    }

    @Test func onDetectWarnParses() throws {
        #expect(try policy("secrets:\n  on_detect: warn\n").onSecret == .warn)
    }

    @Test func secretActionsAllowAndWindowParse() throws {
        let yaml = """
            secrets:
              actions: {payment-card: warn, national-id: block, personal: warn}
              allow: ["4242 4242 4242 4242"]
              split_window_seconds: 30
            files:
              unscannable: block
            """
        let parsed = try policy(yaml)
        #expect(parsed.secretActions == ["payment-card": .warn, "national-id": .block, "personal": .warn])
        #expect(parsed.allowedValues == ["4242424242424242"])
        #expect(parsed.splitWindowSeconds == 30)
        #expect(parsed.files.unscannable == .block)
    }

    @Test func defaultsAreBlockHighWarnUnscannableAndATwoMinuteWindow() throws {
        let parsed = try policy("allow_unlisted: false")
        #expect(parsed.secretActions.isEmpty)
        #expect(parsed.splitWindowSeconds == 120)
        #expect(parsed.files.unscannable == .warn)
    }

    @Test func unknownActionTargetIsRefusedWithAHint() {
        let issue = onlyIssue("secrets:\n  actions:\n    payment-crad: warn\n")
        #expect(issue?.key == "secrets.actions")
        #expect(issue?.message.contains("'payment-crad'") == true)
        #expect(issue?.message.contains("did you mean 'payment-card'") == true)
    }

    @Test func badActionWordAndShortAllowedValueAreRefused() {
        #expect(onlyIssue("secrets:\n  actions:\n    payment: ignore\n")?.key == "secrets.actions.payment")
        #expect(onlyIssue("secrets:\n  allow: [\"1234\"]\n")?.key == "secrets.allow")
        #expect(onlyIssue("files:\n  unscannable: maybe\n")?.key == "files.unscannable")
        #expect(onlyIssue("secrets:\n  split_window_seconds: -1\n")?.key == "secrets.split_window_seconds")
    }

    // MARK: Recipients

    @Test func invalidJIDIsNamedWithItsIndexAndLine() {
        let yaml = """
            recipients:
              - name: Alice
                jid: "+44 7700 900123"
              - name: Bob
                jid: "07700 900456"
            """
        let issue = onlyIssue(yaml)
        #expect(issue?.key == "recipients[1].jid")
        #expect(issue?.line == 5)
        #expect(issue?.message.hasPrefix("not a valid number or JID: a national number (leading 0)") == true)
        #expect(issue?.description.contains("900456") == false)
    }

    @Test(arguments: ["status@broadcast", "123@newsletter", "Order 1234567", "+44@s.whatsapp.net", "a@b@c"])
    func refusedJIDsAreConfigErrors(jid: String) {
        #expect(onlyIssue("recipients:\n  - name: X\n    jid: '\(jid)'\n")?.key == "recipients[0].jid")
    }

    @Test func recipientNeedsNameAndJID() {
        let issue = onlyIssue("recipients:\n  - name: Alice\n")
        #expect(issue?.key == "recipients[0]")
        #expect(issue?.line == 2)
        #expect(issue?.message == "a recipient needs both name and jid")
    }

    @Test func emptyNameIsRefused() {
        #expect(onlyIssue("recipients:\n  - name: ''\n    jid: '+447700900123'\n")?.key == "recipients[0].name")
    }

    @Test func recipientFieldsParse() throws {
        let yaml = """
            recipients:
              - name: Alice
                jid: "+44 7700 900123"
                note: colleague
              - name: Team
                jid: 120363041234567890@g.us
                rate_limit: {per_minute: 2, per_hour: 20}
              - name: Lid
                jid: 123456789012345@lid
                note:
              - name: Bare
                jid: 447700900456
            """
        let recipients = try policy(yaml).recipients
        #expect(recipients.map(\.name) == ["Alice", "Team", "Lid", "Bare"])
        #expect(recipients.map(\.id.jid) == ["447700900123@s.whatsapp.net", "120363041234567890@g.us", "123456789012345@lid", "447700900456@s.whatsapp.net"])
        #expect(recipients.map(\.id.kind) == [.phone, .group, .lid, .phone])
        #expect(recipients.map(\.note) == ["colleague", "", "", ""])
        #expect(recipients[0].rateLimits == nil)
        #expect(recipients[1].rateLimits == RateLimits(perMinute: 2, perHour: 20))
    }

    @Test func badRecipientRateLimitIsNamed() {
        let issue = onlyIssue("recipients:\n  - name: A\n    jid: '+447700900123'\n    rate_limit: {per_minute: -2}\n")
        #expect(issue?.key == "recipients[0].rate_limit.per_minute")
        #expect(issue?.line == 4)
    }

    // MARK: Bridge and transport

    @Test func nonLoopbackBridgeIsRefused() {
        let issue = onlyIssue("bridge_url: http://192.168.1.20:8080/api")
        #expect(issue?.key == "bridge_url")
        #expect(issue?.line == 1)
        #expect(issue?.message.contains("bridge_allow_non_loopback: true") == true)
    }

    @Test(arguments: [
        "http://10.0.0.5/api", "http://0.0.0.0:8080/api", "http://127.0.0.1.evil.example/api", "http://bridge.local:8080/api",
        "http://[::ffff:7f00:1]/api", "http://localhost.evil.example/api",
    ])
    func lookalikeLoopbacksAreRefused(url: String) {
        #expect(onlyIssue("bridge_url: \(url)")?.key == "bridge_url")
    }

    @Test func nonLoopbackBridgeIsAllowedWhenSaidExplicitly() throws {
        let policy = try policy("bridge_url: http://192.168.1.20:8080/api\nbridge_allow_non_loopback: true\n")
        #expect(policy.transport == .bridge(url: "http://192.168.1.20:8080/api", allowNonLoopback: true))
    }

    @Test func quotedTrueDoesNotAllowANonLoopbackBridge() {
        let found = issues("bridge_url: http://192.168.1.20:8080/api\nbridge_allow_non_loopback: \"true\"\n")
        #expect(found.contains { $0.key == "bridge_allow_non_loopback" && $0.line == 2 })
        #expect(found.contains { $0.key == "bridge_url" })
    }

    @Test(arguments: ["http://127.0.0.1:8080/api", "http://localhost:8080/api", "https://LOCALHOST/api", "http://[::1]:8080/api", "http://127.8.9.10/api"])
    func loopbackBridgesAreAccepted(url: String) throws {
        #expect(try policy("bridge_url: \(url)").transport == .bridge(url: url, allowNonLoopback: false))
    }

    @Test(arguments: ["ftp://127.0.0.1/api", "127.0.0.1:8080", "http://user:pw@127.0.0.1/api", "http://127.0.0.1/api?x=1", "http:///api"])
    func malformedBridgeURLsAreRefused(url: String) {
        #expect(onlyIssue("bridge_url: '\(url)'")?.key == "bridge_url")
    }

    @Test func bridgeURLAloneMeansBridge() throws {
        #expect(try policy("bridge_url: http://127.0.0.1:8080/api").transport.name == "bridge")
    }

    @Test func nothingMeansOutboxInTheStateDir() throws {
        #expect(try policy("allow_unlisted: false").transport == .outbox(directory: nil))
    }

    @Test func explicitOutboxWinsOverBridgeURL() throws {
        #expect(try policy("transport: outbox\nbridge_url: http://127.0.0.1:8080/api\n").transport == .outbox(directory: nil))
    }

    @Test func bridgeWithoutURLIsRefused() {
        let issue = onlyIssue("transport: bridge")
        #expect(issue?.key == "transport")
        #expect(issue?.line == 1)
        #expect(issue?.message == "transport bridge needs bridge_url")
    }

    @Test func unknownTransportIsRefused() {
        let issue = onlyIssue("transport: carrier-pigeon")
        #expect(issue?.key == "transport")
        #expect(issue?.message == "expected outbox or bridge, found 'carrier-pigeon'")
    }

    @Test(arguments: [
        ("outbox", "/etc/gatehouse/outbox"),
        ("./out/box", "/etc/gatehouse/./out/box"),
        ("/var/spool/gh", "/var/spool/gh"),
        ("~/gh-outbox", "/home/me/gh-outbox"),
    ])
    func outboxDirIsRelativeToTheConfigFile(written: String, resolved: String) throws {
        #expect(try policy("outbox_dir: \(written)").transport == .outbox(directory: resolved))
    }

    // MARK: Files

    @Test func rootsAreResolvedThroughTheInjectedResolver() throws {
        let files = try policy("files:\n  roots: [~/share, docs, /srv/link]\n").files
        #expect(files.roots == ["/home/me/share", "/data/docs", "/srv/real"])
    }

    @Test func missingRootIsRefusedWithItsLine() {
        let issue = onlyIssue("files:\n  roots:\n    - /home/me/share\n    - /home/me/gone\n")
        #expect(issue?.key == "files.roots")
        #expect(issue?.line == 4)
        #expect(issue?.message == "/home/me/gone does not exist or cannot be read")
    }

    @Test func rootOfTheFileSystemIsRefused() {
        #expect(onlyIssue("files:\n  roots: [/]\n")?.message == "the whole file system cannot be a root")
    }

    @Test func noRootsByDefault() throws {
        #expect(try policy("allow_unlisted: false").files.roots == [])
        #expect(try policy("files:\n  roots:\n").files.roots == [])
    }

    @Test func extensionsAreNormalised() throws {
        #expect(try policy("files:\n  allowed_ext: [PDF, .Png, txt]\n").files.allowedExtensions == [".pdf", ".png", ".txt"])
    }

    @Test(arguments: [".", "p df", ".tar.gz", "../x"])
    func nonExtensionsAreRefused(ext: String) {
        #expect(onlyIssue("files:\n  allowed_ext: ['\(ext)']\n")?.key == "files.allowed_ext")
    }

    // MARK: Whole files

    @Test(arguments: ["---\n", "---\n...\n", "~\n", "null\n"])
    func emptyDocumentIsAnError(text: String) {
        let issue = onlyIssue(text)
        #expect(issue?.message.hasPrefix("config is empty") == true)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "   \n"])
    func emptyFileIsAnError(text: String) {
        let issue = onlyIssue(text)
        #expect(issue?.line == nil)
        #expect(issue?.message.hasPrefix("config is empty") == true)
    }

    @Test func invalidYAMLIsAnError() {
        #expect(onlyIssue("allow_unlisted: [true\n")?.message.hasPrefix("not valid YAML") == true)
    }

    @Test func oversizedFileIsAnError() {
        let text = "# " + String(repeating: "x", count: ConfigLoader.maximumBytes) + "\n"
        #expect(onlyIssue(text)?.message.contains("larger than") == true)
    }

    @Test func everyProblemIsReported() {
        let found = issues("allow_unlisted: yes\nconfirm_token_ttl_seconds: 0\nfoo: 1\nsecrets: {on_detect: maybe}\n")
        #expect(Set(found.map(\.key)) == ["allow_unlisted", "confirm_token_ttl_seconds", "foo", "secrets.on_detect"])
        #expect(found.allSatisfy { $0.line != nil })
    }

    @Test func defaultsFromAnAlmostEmptyConfig() throws {
        let policy = try policy("allow_unlisted: false")
        #expect(policy == Policy())
    }

    @Test func guardedWhatsAppMCPConfigParses() throws {
        // The shape of guarded-whatsapp-mcp 0.1.0's allowlist.example.yaml
        let yaml = """
            # guarded-whatsapp-mcp allowlist
            bridge_url: "http://localhost:8080/api"
            allow_unlisted: false
            require_confirm_for:
              - unlisted
              - files
            rate_limit:
              per_minute: 10
              per_hour: 60
            files:
              max_size_mb: 100
              allowed_ext: [".pdf", ".docx", ".png", ".jpg", ".txt"]
            secrets:
              on_detect: block
            recipients:
              - name: "Alex"
                jid: "+14155550123"
                note: "Colleague"
              - name: "Project Group"
                jid: "120363000000000000@g.us"
                note: "Team group chat"
              - name: Me
                jid: "14155550199@s.whatsapp.net"
            """
        let policy = try policy(yaml)
        #expect(policy.transport == .bridge(url: "http://localhost:8080/api", allowNonLoopback: false))
        #expect(policy.allowUnlisted == false)
        #expect(policy.requireConfirmFor == [.unlisted, .files])
        #expect(policy.globalLimits == RateLimits(perMinute: 10, perHour: 60))
        #expect(policy.perRecipientLimits == RateLimits(perMinute: nil, perHour: nil))
        #expect(policy.files.maxBytes == 100 * 1024 * 1024)
        #expect(policy.files.allowedExtensions == [".pdf", ".docx", ".png", ".jpg", ".txt"])
        #expect(policy.files.roots == [])
        #expect(policy.onSecret == .block)
        #expect(policy.recipients.map(\.name) == ["Alex", "Project Group", "Me"])
        #expect(policy.recipients.map(\.id.jid) == ["14155550123@s.whatsapp.net", "120363000000000000@g.us", "14155550199@s.whatsapp.net"])
        #expect(policy.recipients.map(\.note) == ["Colleague", "Team group chat", ""])
    }

    @Test func fullGatehouseConfigParses() throws {
        let yaml = """
            transport: outbox
            outbox_dir: out
            allow_unlisted: true
            require_confirm_for: [all]
            confirm_token_ttl_seconds: 120
            rate_limit:
              per_minute: 3
              per_hour: 30
              per_recipient_per_minute: 1
              per_recipient_per_hour: 5
            files:
              roots: [/home/me/share]
              max_size_mb: 2
              allowed_ext: [.pdf]
            secrets:
              on_detect: warn
            recipients:
              - name: Alice
                jid: "+44 7700 900123"
            """
        let policy = try policy(yaml)
        #expect(policy.transport == .outbox(directory: "/etc/gatehouse/out"))
        #expect(policy.allowUnlisted)
        #expect(policy.requireConfirmFor == [.all])
        #expect(policy.confirmTokenLifetimeSeconds == 120)
        #expect(policy.globalLimits == RateLimits(perMinute: 3, perHour: 30))
        #expect(policy.perRecipientLimits == RateLimits(perMinute: 1, perHour: 5))
        #expect(policy.files == FilePolicy(roots: ["/home/me/share"], maxBytes: 2 * 1024 * 1024, allowedExtensions: [".pdf"]))
        #expect(policy.onSecret == .warn)
        #expect(policy.recipients.count == 1)
    }

    // MARK: Fuzz

    @Test func mutatedConfigsGiveAPolicyOrTypedIssuesNeverACrash() {
        let base = Array("""
            allow_unlisted: false
            require_confirm_for: [unlisted, files]
            rate_limit: {per_minute: 10, per_hour: 60}
            files: {roots: [/home/me/share], max_size_mb: 16}
            recipients:
              - name: Alice
                jid: "+44 7700 900123"
            """)
        let noise: [Character] = [":", "-", " ", "\n", "\"", "'", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "%", "@", "0", "x", "\t", "\u{0}", "é", "\u{2028}"]
        var generator = SeededConfigGenerator(seed: 11)
        var valid = 0
        for _ in 0..<400 {
            var text = base
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<text.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: text[index] = noise.randomElement(using: &generator)!
                case 1: text.insert(noise.randomElement(using: &generator)!, at: index)
                default: text.remove(at: index)
                }
            }
            switch load(String(text)) {
            case .success: valid += 1
            case .failure(let error):
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { !$0.message.isEmpty })
                #expect(error.issues.allSatisfy { ($0.line ?? 1) >= 1 })
            }
        }
        #expect(valid < 400)
    }
}

private typealias SeededConfigGenerator = SeededGenerator
