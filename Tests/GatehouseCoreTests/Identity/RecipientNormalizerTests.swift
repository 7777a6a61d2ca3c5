import Testing

@testable import GatehouseCore
import GatehouseTesting

/// CONTRACTS.md §6: what the normalizer must accept, canonicalise and refuse.
@Suite struct RecipientNormalizerTests {
    private static let alice = "447700900123@s.whatsapp.net"

    private func parsed(_ input: String) -> RecipientID? {
        try? RecipientNormalizer.parse(input).get()
    }

    private func error(_ input: String) -> RecipientParseError? {
        if case .failure(let error) = RecipientNormalizer.parse(input) { return error }
        return nil
    }

    // MARK: ACCEPT

    @Test(arguments: [
        "+447700900123",
        "447700900123",  // bare digits are read as international
        "+44 7700 900123",
        "+44-7700-900-123",
        "+44.7700.900.123",
        "+44 (7700) 900123",
        "(44) 7700 900 123",
        "+44\u{00A0}7700\u{00A0}900123",
        "  +447700900123\n",
        "whatsapp:+447700900123",
        "WhatsApp:+44 7700 900123",
        "whatsapp:447700900123@s.whatsapp.net",
    ])
    func phoneFormsCanonicaliseToOneUserJID(input: String) {
        // When
        let id = parsed(input)
        // Then
        #expect(id?.kind == .phone)
        #expect(id?.jid == Self.alice)
    }

    @Test(arguments: [
        "447700900123@s.whatsapp.net",
        "447700900123@c.us",
        "447700900123@C.US",
        "447700900123@S.WhatsApp.Net",
        "447700900123:12@s.whatsapp.net",
        "447700900123.0:12@s.whatsapp.net",
        "447700900123:3@c.us",
        "447700900123.0:12@c.us",
    ])
    func userJIDsDropDeviceAndLegacyServer(input: String) {
        let id = parsed(input)
        #expect(id?.kind == .phone)
        #expect(id?.jid == Self.alice)
    }

    @Test func everyFormOfOneNumberIsTheSameIdentity() {
        let forms = ["+44 7700 900123", "447700900123@c.us", "447700900123:12@s.whatsapp.net", "whatsapp:+447700900123"]
        let ids = Set(forms.compactMap(parsed))
        #expect(ids.count == 1)
        #expect(ids.first?.jid == Self.alice)
    }

    @Test(arguments: [
        ("120363041234567890@g.us", "120363041234567890@g.us"),
        ("447700900123-1612345678@g.us", "447700900123-1612345678@g.us"),
        ("447700900123-1612345678@G.US", "447700900123-1612345678@g.us"),
    ])
    func groupsAreKeptAsTheyAre(input: String, jid: String) {
        let id = parsed(input)
        #expect(id?.kind == .group)
        #expect(id?.jid == jid)
    }

    @Test(arguments: [
        ("123456789012345@lid", "123456789012345@lid"),
        ("123456789012345:7@lid", "123456789012345@lid"),
        ("98765432109876543210@lid", "98765432109876543210@lid"),
    ])
    func lidIsItsOwnKind(input: String, jid: String) {
        let id = parsed(input)
        #expect(id?.kind == .lid)
        #expect(id?.jid == jid)
    }

    @Test func lidIsNeverThePhoneWithTheSameDigits() {
        // Given the same 12 digits as a LID and as a phone number
        let lid = parsed("447700900123@lid")
        let phone = parsed("+447700900123")
        // Then they are two identities, and the LID never becomes a phone JID
        #expect(lid != nil && phone != nil)
        #expect(lid != phone)
        #expect(lid?.kind == .lid)
        #expect(lid?.jid.hasSuffix("@s.whatsapp.net") == false)
    }

    @Test func userPartIsTheDigits() {
        #expect(parsed("+447700900123")?.user == "447700900123")
        #expect(parsed("447700900123-1612345678@g.us")?.user == "447700900123-1612345678")
    }

    @Test func lengthBoundariesOfE164() {
        #expect(parsed("+1234567")?.jid == "1234567@s.whatsapp.net")  // 7 digits
        #expect(parsed("+123456789012345")?.jid == "123456789012345@s.whatsapp.net")  // 15 digits
        #expect(error("+123456") == .tooFewDigits)  // 6
        #expect(error("+1234567890123456") == .tooManyDigits)  // 16
        #expect(error("1234567890123456@s.whatsapp.net") == .tooManyDigits)
    }

    // MARK: REFUSE

    @Test(arguments: [
        ("+4477009001234567", RecipientParseError.tooManyDigits),
        ("+44 7700 9001 2345 67", .tooManyDigits),
        ("+0447700900123", .leadingZero),
        ("07700900123", .leadingZero),
        ("07700 900123", .leadingZero),
        ("0447700900123@s.whatsapp.net", .leadingZero),
        ("+44 123", .tooFewDigits),
        ("12345@c.us", .tooFewDigits),
        ("Order 1234567", .badCharacters),
        ("Alice", .badCharacters),
        ("Call 447700900123", .badCharacters),
        ("4477009001x23", .badCharacters),
        ("44 7700+900123", .badCharacters),
        ("++447700900123", .badCharacters),
        ("+44/7700/900123", .badCharacters),
        ("US.13491208655302741918", .badCharacters),  // BSUID
        ("US.ENT.13491208655302741918", .badCharacters),  // parent BSUID
        ("a@b@s.whatsapp.net", .multipleAt),
        ("447700900123@@s.whatsapp.net", .multipleAt),
        ("@s.whatsapp.net", .emptyUser),
        ("@g.us", .emptyUser),
        ("+447700900123@s.whatsapp.net", .plusInJID),
        ("44+7700900123@c.us", .plusInJID),
        ("120363041234567890@newsletter", .refusedServer("newsletter")),
        ("status@broadcast", .refusedServer("broadcast")),
        ("1234567890@broadcast", .refusedServer("broadcast")),
        ("447700900123@example.com", .unknownServer),
        ("447700900123@hosted", .unknownServer),
        ("447700900123@bot", .unknownServer),
        ("447700900123@", .unknownServer),
        ("", .empty),
        ("   \n\t", .empty),
    ])
    func refuses(input: String, expected: RecipientParseError) {
        #expect(error(input) == expected)
    }

    @Test(arguments: [
        "4477abc00123@s.whatsapp.net",
        ":12@s.whatsapp.net",
        ".0:12@c.us",
        "US.13491208655302741918@s.whatsapp.net",
        "-123@g.us",
        "123-@g.us",
        "123--456@g.us",
        "12a3@g.us",
        "abc@lid",
        "US.1349@lid",
        "123456789012345678901@lid",  // 21 digits
    ])
    func refusesBadUserParts(input: String) {
        guard case .badUser = error(input) else {
            Issue.record("expected badUser for \(input), got \(String(describing: RecipientNormalizer.parse(input)))")
            return
        }
    }

    @Test func refusesAPrefixWithNothingAfterIt() {
        #expect(error("whatsapp:") != nil)
        #expect(error("whatsapp:   ") != nil)
    }

    @Test(arguments: [
        "+447700900123\u{0301}",  // combining acute accent on the last digit
        "+4477009001\u{20E3}23",  // combining keycap
        "+44770090012\u{FE0F}\u{20E3}3",  // keycap emoji digit "2️⃣"
    ])
    func digitsWithCombiningMarksAreRefused(input: String) {
        // "3\u{0301}" is one Character that sorts between "0" and "9": it must not pass for a digit.
        #expect(error(input) == .badCharacters)
    }

    @Test func refusesOverlongInput() {
        let long = "+44" + String(repeating: " ", count: 200) + "7700900123"
        #expect(error(long) == .tooLong)
    }

    @Test(arguments: ["+4477009001234567", "07700900123", "Order 1234567", "447700900123@example.com", "4477abc00123@s.whatsapp.net"])
    func refusalMessagesNeverRepeatTheInput(input: String) throws {
        let message = try #require(error(input)).description
        #expect(!message.contains("7700"))
        #expect(!message.contains("1234567"))
        #expect(!message.contains("Order"))
    }

    // MARK: Masking

    @Test func maskedPhoneShowsTwoLeadingAndThreeTrailingDigits() throws {
        let id = try #require(parsed("+447700900123"))
        #expect(id.masked == "+44•••••••123")
        #expect(id.description == id.masked)
        #expect(!"\(id)".contains("7700900"))
    }

    @Test func maskedPhoneNeverShowsMoreThanFiveDigitsForAnyLength() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for length in 7...15 {
            for _ in 0..<20 {
                let digits = String((0..<length).map { index in
                    Character(String(index == 0 ? Int.random(in: 1...9, using: &generator) : Int.random(in: 0...9, using: &generator)))
                })
                let id = try #require(parsed("+" + digits))
                let masked = id.masked
                let shown = masked.filter(\.isASCIIDigit)
                #expect(shown.count <= 5, "\(masked)")
                #expect(masked.hasPrefix("+" + digits.prefix(2)))
                #expect(masked.hasSuffix(String(digits.suffix(3))))
                #expect(masked.filter { $0 == "•" }.count == length - 5)
            }
        }
    }

    @Test func maskedGroupAndLIDHideTheMiddle() throws {
        let group = try #require(parsed("120363041234567890@g.us"))
        #expect(group.masked == "1203•••••••••••890@g.us")
        let lid = try #require(parsed("123456789012345@lid"))
        #expect(lid.masked == "1234••••••••345@lid")
        #expect(!lid.masked.contains("56789012"))
    }

    // MARK: Property / fuzz

    /// Characters chosen to hit every branch: digits, separators, JID punctuation, letters, and
    /// Unicode that looks like digits or white space but is not.
    private static let alphabet: [String] = [
        "0", "1", "2", "4", "7", "9", "+", "@", ":", ".", "-", "(", ")", " ", "\u{00A0}", "\t",
        "a", "Z", "s.whatsapp.net", "c.us", "g.us", "lid", "broadcast", "newsletter", "whatsapp:",
        "\u{0000}", "\u{200B}", "\u{200E}", "\u{202E}", "\u{2028}", "\u{FEFF}", "\u{FF14}", "\u{0663}", "\u{00B2}",
        "😀", "🇬🇧", "é", "\u{0301}", "\u{0308}", "\u{FE0F}", "\u{20E3}", "𝟕", "İ", "ß",
    ]

    @Test func randomInputsNeverCrashAndEverySuccessIsCanonical() {
        var generator = SeededGenerator(seed: 42)
        var successes = 0
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let input = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
            if case .success(let id) = RecipientNormalizer.parse(input) {
                successes += 1
                checkCanonical(id, input: input)
            }
        }
        _ = successes  // random soup rarely succeeds; the mutation test below covers successes
    }

    /// Valid forms with a few random edits: most stay close enough to a recipient to reach deep branches.
    private static let seeds = [
        "+44 7700 900123", "447700900123@s.whatsapp.net", "447700900123.0:12@c.us", "120363041234567890@g.us",
        "447700900123-1612345678@g.us", "123456789012345@lid", "whatsapp:+447700900123",
    ]

    @Test func mutatedValidFormsNeverCrashAndEverySuccessIsCanonical() {
        var generator = SeededGenerator(seed: 1234)
        var successes = 0
        var refusals = 0
        for _ in 0..<20_000 {
            var characters = Array(Self.seeds.randomElement(using: &generator)!.unicodeScalars).map(String.init)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0...characters.count, using: &generator)
                let piece = Self.alphabet.randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: characters.insert(piece, at: index)
                case 1 where index < characters.count: characters[index] = piece
                default: if index < characters.count { characters.remove(at: index) }
                }
            }
            let input = characters.joined()
            switch RecipientNormalizer.parse(input) {
            case .success(let id):
                successes += 1
                checkCanonical(id, input: input)
            case .failure(let error):
                refusals += 1
                #expect(!error.description.isEmpty)
            }
        }
        #expect(successes > 1_000)
        #expect(refusals > 1_000)
    }

    @Test func randomValidNumbersRoundTrip() throws {
        var generator = SeededGenerator(seed: 7)
        let separators = ["", " ", "-", ".", "(", ")"]
        for _ in 0..<2_000 {
            let length = Int.random(in: 7...15, using: &generator)
            let digits = (0..<length).map { index in String(index == 0 ? Int.random(in: 1...9, using: &generator) : Int.random(in: 0...9, using: &generator)) }
            let written = (Bool.random(using: &generator) ? "+" : "")
                + digits.map { $0 + separators.randomElement(using: &generator)! }.joined()
            let id = try #require(parsed(written), "\(written)")
            #expect(id.jid == digits.joined() + "@s.whatsapp.net")
            checkCanonical(id, input: written)
        }
    }

    /// What is wrong with a parse result, if anything: canonical means one `@`, ASCII only, a phone
    /// user of 7–15 ASCII digits without a leading 0, a known server, and a fixed point of `parse`.
    private func problems(_ id: RecipientID) -> [String] {
        var found: [String] = []
        let parts = id.jid.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 { found.append("not exactly one @") }
        if !id.jid.unicodeScalars.allSatisfy(\.isASCII) { found.append("non-ASCII JID") }
        let user = parts.first.map(String.init) ?? ""
        let server = parts.count == 2 ? String(parts[1]) : ""
        switch id.kind {
        case .phone:
            if server != "s.whatsapp.net" { found.append("phone on \(server)") }
            if !user.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) { found.append("phone user not digits") }
            if !(7...15).contains(user.unicodeScalars.count) { found.append("phone length") }
            if user.first == "0" { found.append("leading zero") }
        case .group:
            if server != "g.us" { found.append("group on \(server)") }
        case .lid:
            if server != "lid" { found.append("lid on \(server)") }
        }
        if parsed(id.jid) != id { found.append("canonical JID does not parse to itself") }
        return found
    }

    private func checkCanonical(_ id: RecipientID, input: String) {
        let found = problems(id)
        #expect(found.isEmpty, "\(input.debugDescription) -> \(id.jid.debugDescription): \(found)")
    }
}


/// The stricter edges: device suffixes are digits, groups and LIDs have real lengths, a spaced prefix.
@Suite struct RecipientNormalizerEdgeTests {
    @Test(arguments: ["447700900123:abc@s.whatsapp.net", "447700900123:@s.whatsapp.net", "447700900123.x.y:z@s.whatsapp.net", "447700900123.@c.us"])
    func malformedDeviceSuffixesAreRefused(text: String) {
        #expect((try? RecipientNormalizer.parse(text).get()) == nil)
    }

    @Test(arguments: ["447700900123:12@s.whatsapp.net", "447700900123.0:12@s.whatsapp.net", "447700900123.1@c.us"])
    func wellFormedDeviceSuffixesNameThePerson(text: String) throws {
        #expect(try RecipientNormalizer.parse(text).get().jid == "447700900123@s.whatsapp.net")
    }

    @Test(arguments: ["1@g.us", "12-34@g.us", "120363041234567890-1-2@g.us", "1@lid", "12345@lid"])
    func tooShortGroupsAndLIDsAreRefused(text: String) {
        #expect((try? RecipientNormalizer.parse(text).get()) == nil)
    }

    @Test func aSpaceAfterTheWhatsAppPrefixIsAllowed() throws {
        #expect(try RecipientNormalizer.parse("whatsapp: +44 7700 900123").get().jid == "447700900123@s.whatsapp.net")
    }
}
