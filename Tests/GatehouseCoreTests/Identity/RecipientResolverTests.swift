import Testing

@testable import GatehouseCore

@Suite struct NameKeyTests {
    @Test(arguments: [
        ("Alice", "alice"),
        ("ALICE", "alice"),
        ("  Alice\t", "alice"),
        ("Ａｌｉｃｅ", "alice"),  // fullwidth, NFKC
        ("Alice   Smith", "alice smith"),
        ("Alice\u{3000}Smith", "alice smith"),  // ideographic space
        ("Re\u{0301}my", "rémy"),  // decomposed é
        ("ﬁona", "fiona"),  // ligature
    ])
    func foldsToOneForm(name: String, key: String) {
        #expect(NameKey(name).value == key)
        #expect(NameKey(name) == NameKey(key))
    }

    @Test func differentNamesStayDifferent() {
        #expect(NameKey("Al") != NameKey("Alice"))
        #expect(NameKey("Alice") != NameKey("Alice Smith"))
        #expect(NameKey("Alice") != NameKey("Alicia"))
        #expect(NameKey("AliceSmith") != NameKey("Alice Smith"))
    }
}

@Suite struct RecipientResolverTests {
    private static let alice = RecipientNormalizer.parseForTest("+44 7700 900123")
    private static let bob = RecipientNormalizer.parseForTest("447700900456@c.us")
    private static let team = RecipientNormalizer.parseForTest("120363041234567890@g.us")

    private static let policy = Policy(
        allowUnlisted: false,
        recipients: [
            RecipientEntry(name: "Alice", id: alice, note: "colleague"),
            RecipientEntry(name: "Bob", id: bob),
            RecipientEntry(name: "Project team", id: team),
        ])

    private func resolve(_ query: String, in policy: Policy = Self.policy) -> Result<ResolvedRecipient, Denial> {
        RecipientResolver.resolve(query, in: policy)
    }

    private func refusal(_ query: String, in policy: Policy = Self.policy) -> Denial? {
        if case .failure(let denial) = resolve(query, in: policy) { return denial }
        return nil
    }

    // MARK: Names

    @Test(arguments: ["Alice", "alice", "ALICE", " Alice ", "Ａｌｉｃｅ", "ａｌｉｃｅ"])
    func exactNameMatchesAfterFolding(query: String) throws {
        let resolved = try resolve(query).get()
        #expect(resolved.id == Self.alice)
        #expect(resolved.name == "Alice")
        #expect(resolved.allowlisted)
    }

    @Test func multiWordNameMatchesWithAnyWhiteSpace() throws {
        #expect(try resolve("project   TEAM").get().id == Self.team)
    }

    @Test(arguments: ["Al", "Alic", "lice", "Alice S", "Alices", "Project", "team", "Bo"])
    func neverMatchesBySubstring(query: String) throws {
        let denial = try #require(refusal(query))
        #expect(denial.code == .recipientNotAllowlisted)
        #expect(denial.check == .recipient)
        #expect(denial.detail.contains("names match exactly"))
    }

    @Test func substringIsRefusedEvenWhenUnlistedIsAllowed() throws {
        var open = Self.policy
        open.allowUnlisted = true
        #expect(try #require(refusal("Al", in: open)).code == .recipientNotAllowlisted)
    }

    @Test func ambiguousNameListsEveryCandidateMasked() throws {
        // Given two entries that share a name but not a number
        let sam1 = RecipientNormalizer.parseForTest("+447700900111")
        let sam2 = RecipientNormalizer.parseForTest("+447700900222")
        let policy = Policy(recipients: [RecipientEntry(name: "Sam", id: sam1), RecipientEntry(name: "sam", id: sam2)])
        // When
        let denial = try #require(refusal("SAM", in: policy))
        // Then
        #expect(denial.code == .recipientAmbiguous)
        #expect(denial.check == .recipient)
        #expect(denial.detail.contains(sam1.masked))
        #expect(denial.detail.contains(sam2.masked))
        #expect(!denial.detail.contains("447700900111"))
        #expect(!denial.detail.contains("447700900222"))
    }

    @Test func sameNameForTheSameIdentityIsNotAmbiguous() throws {
        // Given the same person listed twice in two number forms
        let policy = Policy(recipients: [
            RecipientEntry(name: "Alice", id: RecipientNormalizer.parseForTest("+447700900123")),
            RecipientEntry(name: "alice", id: RecipientNormalizer.parseForTest("447700900123:4@c.us")),
        ])
        #expect(try resolve("Alice", in: policy).get().id == Self.alice)
    }

    // MARK: Numbers and JIDs

    @Test(arguments: [
        "+447700900123", "447700900123", "+44 7700 900 123", "whatsapp:+447700900123",
        "447700900123@s.whatsapp.net", "447700900123@c.us", "447700900123:12@s.whatsapp.net", "447700900123.0:3@c.us",
    ])
    func phoneAndJIDFormsOfAListedNumberMatch(query: String) throws {
        let resolved = try resolve(query).get()
        #expect(resolved.id == Self.alice)
        #expect(resolved.entry?.name == "Alice")
    }

    @Test func listedCUSEntryMatchesPhoneForm() throws {
        #expect(try resolve("+44 7700 900456").get().entry?.name == "Bob")
    }

    @Test func listedGroupMatchesByJID() throws {
        #expect(try resolve("120363041234567890@G.US").get().entry?.name == "Project team")
    }

    @Test func lidWithAListedPhonesDigitsIsNotThatPhone() throws {
        let denial = try #require(refusal("447700900123@lid"))
        #expect(denial.code == .recipientNotAllowlisted)
    }

    @Test func unlistedNumberIsRefusedWithAMaskedReason() throws {
        let denial = try #require(refusal("+447700900999"))
        #expect(denial.code == .recipientNotAllowlisted)
        #expect(denial.check == .recipient)
        #expect(denial.detail.contains("+44•••••••999"))
        #expect(!denial.detail.contains("447700900999"))
        #expect(denial.detail.contains("allow_unlisted"))
    }

    @Test func unlistedNumberIsAllowedUnderAllowUnlisted() throws {
        var open = Self.policy
        open.allowUnlisted = true
        let resolved = try resolve("+447700900999", in: open).get()
        #expect(resolved.id.jid == "447700900999@s.whatsapp.net")
        #expect(resolved.entry == nil)
        #expect(!resolved.allowlisted)
        #expect(resolved.name == nil)
    }

    @Test func unknownNameIsRefusedEvenUnderAllowUnlisted() throws {
        var open = Self.policy
        open.allowUnlisted = true
        let denial = try #require(refusal("Zed", in: open))
        #expect(denial.code == .recipientNotAllowlisted)
        #expect(denial.detail.contains("'Zed'"))
    }

    @Test(arguments: ["Order 1234567", "+44 12", "0770090012", "a@b@c", "+447700900123@s.whatsapp.net", "status@broadcast"])
    func malformedNumbersAreInvalidNotUnlisted(query: String) throws {
        var open = Self.policy
        open.allowUnlisted = true
        let denial = try #require(refusal(query, in: open))
        #expect(denial.code == .recipientInvalid)
        #expect(denial.check == .recipient)
    }

    @Test(arguments: ["", "   ", "\u{3000}"])
    func emptyRecipientIsInvalid(query: String) throws {
        #expect(try #require(refusal(query)).code == .recipientInvalid)
    }

    @Test func echoedNameIsPrintableAndBounded() throws {
        let query = "Eve\u{0007}\u{200B}" + String(repeating: "x", count: 200)
        let detail = try #require(refusal(query)).detail
        #expect(!detail.contains("\u{0007}"))
        #expect(!detail.contains("\u{200B}"))
        #expect(!detail.contains(String(repeating: "x", count: 64)))
    }
}

extension RecipientNormalizer {
    /// A canonical identity from a literal the test knows is valid.
    fileprivate static func parseForTest(_ text: String) -> RecipientID {
        switch parse(text) {
        case .success(let id): return id
        case .failure(let error): fatalError("test literal \(text) is not a recipient: \(error)")
        }
    }
}
