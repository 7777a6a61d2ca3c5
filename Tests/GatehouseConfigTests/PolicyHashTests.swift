import GatehouseCore
import Testing

@testable import GatehouseConfig

@Suite struct PolicyHashTests {
    private static let alice = try! RecipientNormalizer.parse("+447700900123").get()
    private static let bob = try! RecipientNormalizer.parse("+447700900456").get()

    private static let base = Policy(
        transport: .outbox(directory: "/srv/outbox"),
        allowUnlisted: false,
        requireConfirmFor: [.unlisted, .files],
        confirmTokenLifetimeSeconds: 600,
        globalLimits: RateLimits(perMinute: 10, perHour: 60),
        perRecipientLimits: RateLimits(perMinute: 5, perHour: 30),
        files: FilePolicy(roots: ["/home/me/share"], maxBytes: 16 << 20, allowedExtensions: [".pdf", ".png"]),
        onSecret: .block,
        recipients: [RecipientEntry(name: "Alice", id: alice, rateLimits: RateLimits(perMinute: 2, perHour: 10))])

    private static let mutations: [(String, @Sendable (inout Policy) -> Void)] = [
        ("transport outbox dir", { $0.transport = .outbox(directory: "/srv/other") }),
        ("transport default outbox", { $0.transport = .outbox(directory: nil) }),
        ("transport bridge", { $0.transport = .bridge(url: "http://127.0.0.1:8080/api", allowNonLoopback: false) }),
        ("allow_unlisted", { $0.allowUnlisted = true }),
        ("require_confirm_for add", { $0.requireConfirmFor.insert(.messages) }),
        ("require_confirm_for remove", { $0.requireConfirmFor.remove(.files) }),
        ("ttl", { $0.confirmTokenLifetimeSeconds = 601 }),
        ("global per_minute", { $0.globalLimits.perMinute = 11 }),
        ("global per_minute none", { $0.globalLimits.perMinute = nil }),
        ("global per_hour", { $0.globalLimits.perHour = 61 }),
        ("per recipient minute", { $0.perRecipientLimits.perMinute = 6 }),
        ("per recipient hour", { $0.perRecipientLimits.perHour = nil }),
        ("files roots", { $0.files.roots.append("/srv/share") }),
        ("files max", { $0.files.maxBytes += 1 }),
        ("files ext", { $0.files.allowedExtensions.append(".txt") }),
        ("secrets", { $0.onSecret = .warn }),
        ("secret actions", { $0.secretActions = ["iban": .block] }),
        ("allowed values", { $0.allowedValues = ["4242424242424242"] }),
        ("split window", { $0.splitWindowSeconds = 0 }),
        ("unscannable files", { $0.files.unscannable = .block }),
        ("recipient name", { $0.recipients[0].name = "Alicia" }),
        ("recipient jid", { $0.recipients[0].id = bob }),
        ("recipient limits", { $0.recipients[0].rateLimits = RateLimits(perMinute: 3, perHour: 10) }),
        ("recipient limits removed", { $0.recipients[0].rateLimits = nil }),
        ("recipient added", { $0.recipients.append(RecipientEntry(name: "Bob", id: bob)) }),
        ("recipient removed", { $0.recipients = [] }),
    ]

    @Test func hashIsStableForEqualPolicies() {
        #expect(Self.base.hash == Self.base.hash)
        var copy = Self.base
        copy.requireConfirmFor = [.files, .unlisted]
        #expect(copy.hash == Self.base.hash)
        #expect(Self.base.hash.count == 64)
        #expect(Self.base.hash.allSatisfy { $0.isHexDigit })
    }

    @Test func hashChangesWhenAnyDecidingFieldChanges() {
        var seen: [String: String] = ["base": Self.base.hash]
        for (label, mutate) in Self.mutations {
            var changed = Self.base
            mutate(&changed)
            #expect(changed.hash != Self.base.hash, "\(label)")
            if let clash = seen.first(where: { $0.value == changed.hash }) {
                Issue.record("\(label) hashes like \(clash.key)")
            }
            seen[label] = changed.hash
        }
    }

    @Test func reorderedRecipientsAreADifferentPolicy() {
        var two = Self.base
        two.recipients.append(RecipientEntry(name: "Bob", id: Self.bob))
        var swapped = two
        swapped.recipients.reverse()
        #expect(two.hash != swapped.hash)
    }

    @Test func loadedConfigHashFollowsTheText() throws {
        let loader = ConfigLoader(configDirectory: "/etc/gatehouse", homeDirectory: nil, resolvePath: { $0 })
        let a = try loader.parse("rate_limit: {per_minute: 10}", source: "a").get()
        let b = try loader.parse("rate_limit: {per_minute: 10}\n# comment\n", source: "b").get()
        let c = try loader.parse("rate_limit: {per_minute: 9}", source: "c").get()
        #expect(a.hash == b.hash)
        #expect(a.hash != c.hash)
    }

    @Test func fieldSeparatorsInNamesCannotForgeAnotherPolicy() {
        // One recipient whose name smuggles a line break and the field separator must not hash
        // like two recipients.
        let two = Policy(recipients: [RecipientEntry(name: "X", id: Self.alice), RecipientEntry(name: "Y", id: Self.bob)])
        let smuggled = Policy(recipients: [
            RecipientEntry(name: "X\u{1F}\(Self.alice.jid)\u{1F}-\nrecipient=Y", id: Self.bob)
        ])
        #expect(two.hash != smuggled.hash)
    }
}

@Suite struct BridgeAddressTests {
    @Test(arguments: ["http://127.0.0.1:99999/api", "http://127.0.0.1:0/api", "ftp://127.0.0.1/api", "http:///api", "http://u:p@127.0.0.1/api"])
    func badBridgeURLsAreRefused(url: String) {
        guard case .failure = BridgeAddress.check(url) else {
            Issue.record("\(url) accepted")
            return
        }
    }

    @Test func loopbackIsToldFromTheRest() throws {
        #expect(try BridgeAddress.check("http://127.0.0.1:8080/api").get() == true)
        #expect(try BridgeAddress.check("http://[::1]:8080/api").get() == true)
        #expect(try BridgeAddress.check("http://192.168.1.5:8080/api").get() == false)
    }
}
