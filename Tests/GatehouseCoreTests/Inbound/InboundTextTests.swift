import Foundation
import Testing

@testable import GatehouseCore

@Suite struct InboundTextTests {
    @Test func controlBidiAndZeroWidthCharactersAreRemovedNewlinesKept() {
        let raw = "pay\u{202E}lanigiro\u{202C} now\u{200B}\u{2066}!\u{0007}\u{009B}\nline two\tend\u{FEFF}"
        let clean = InboundText.sanitize(raw, maxCharacters: 100)
        #expect(clean.text == "paylanigiro now!\nline two\tend")
        #expect(!clean.truncated)
    }

    @Test func textIsNFCNormalised() {
        let decomposed = "cafe\u{0301}"
        #expect(InboundText.sanitize(decomposed, maxCharacters: 10).text.unicodeScalars.count == 4)
        #expect(InboundText.sanitize(decomposed, maxCharacters: 10).text == "café")
    }

    @Test func longTextIsCutAtTheCapAndSaysSo() {
        let clean = InboundText.sanitize(String(repeating: "ab", count: 100), maxCharacters: 7)
        #expect(clean.text == "abababa")
        #expect(clean.truncated)
        #expect(!InboundText.sanitize("short", maxCharacters: 5).truncated)
    }

    @Test func labelsAreOneLineAndShort() {
        let label = InboundText.label("  Bob\n\u{202E}Evil\t" + String(repeating: "x", count: 200))
        #expect(!label.contains("\n"))
        #expect(!label.unicodeScalars.contains("\u{202E}"))
        #expect(label.count <= 64)
        #expect(label.hasPrefix("Bob Evil"))
    }
}

@Suite struct InboundIdentityTests {
    @Test func inADirectChatTheChatIsTheSenderWhicheverIdentityTheSenderColumnGives() throws {
        let chat = try InboundIdentity.chat("447700900123@s.whatsapp.net").get()
        // Live bridge rows may carry the LID digits while the chat is the phone JID.
        let candidates = try InboundIdentity.candidates(sender: "123456789012345", chat: chat).get()
        #expect(candidates.map(\.jid) == ["447700900123@s.whatsapp.net"])
        #expect(try InboundIdentity.candidates(sender: "", chat: chat).get().map(\.jid) == ["447700900123@s.whatsapp.net"])
        // ...but a sender that is no identity at all is a malformed record.
        guard case .failure = InboundIdentity.candidates(sender: "nobody at all", chat: chat) else {
            Issue.record("a junk sender was accepted in a direct chat")
            return
        }
    }

    @Test func bareDigitsInAGroupMayBeAPhoneOrALID() throws {
        let chat = try InboundIdentity.chat("120363041234567890@g.us").get()
        let candidates = try InboundIdentity.candidates(sender: "447700900123", chat: chat).get()
        #expect(candidates.map(\.jid) == ["447700900123@s.whatsapp.net", "447700900123@lid"])
        // A LID too long for E.164 is only a LID.
        let lidOnly = try InboundIdentity.candidates(sender: "1234567890123456", chat: chat).get()
        #expect(lidOnly.map(\.jid) == ["1234567890123456@lid"])
    }

    @Test func aFullJIDWithADeviceIsThePerson() throws {
        let chat = try InboundIdentity.chat("120363041234567890@g.us").get()
        let candidates = try InboundIdentity.candidates(sender: "447700900123:12@s.whatsapp.net", chat: chat).get()
        #expect(candidates.map(\.jid) == ["447700900123@s.whatsapp.net"])
    }

    @Test func broadcastAndChannelChatsAreUnsupportedAndJunkIsRefused() throws {
        #expect(InboundIdentity.chat("status@broadcast") == .failure(.unsupportedChat))
        #expect(InboundIdentity.chat("1234567@newsletter") == .failure(.unsupportedChat))
        guard case .failure(.badChat) = InboundIdentity.chat("not a jid") else { Issue.record("junk chat accepted"); return }
        let group = try InboundIdentity.chat("120363041234567890@g.us").get()
        guard case .failure = InboundIdentity.candidates(sender: "", chat: group) else { Issue.record("empty sender accepted"); return }
        guard case .failure = InboundIdentity.candidates(sender: "120363041234567890@g.us", chat: group) else {
            Issue.record("a group accepted as sender")
            return
        }
        guard case .failure = InboundIdentity.candidates(sender: "12a45678", chat: group) else { Issue.record("letters accepted"); return }
    }
}

@Suite struct PairingCodeTests {
    @Test func codesUseTheUnambiguousAlphabet() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let code = PairingCode.generate(using: &generator)
            #expect(code.count == 8)
            #expect(code.allSatisfy { PairingCode.alphabet.contains($0) })
            #expect(!code.contains { "01OI".contains($0) })
        }
    }

    @Test func aCodeIsReadIgnoringCaseSpacesAndDashes() {
        #expect(PairingCode.candidate(in: "  abcd-efgh \n") == "ABCDEFGH")
        #expect(PairingCode.candidate(in: "ABCD EFGH") == "ABCDEFGH")
        #expect(PairingCode.candidate(in: "ABCDEFG") == nil)
        #expect(PairingCode.candidate(in: "ABCDEFG0") == nil)  // 0 is not in the alphabet
        #expect(PairingCode.candidate(in: "hello there") == nil)
    }
}

@Suite struct TimestampTests {
    @Test func theBridgesGoSQLiteFormatWithAnOffsetIsAnInstant() throws {
        let date = try #require(Timestamp.parse("2025-04-06 17:39:40+01:00"))
        #expect(date == Date(timeIntervalSince1970: 1_743_957_580))
        let fine = try #require(Timestamp.parse("2025-04-06 17:39:40.123456789+01:00"))
        #expect(abs(fine.timeIntervalSince1970 - 1_743_957_580.123456789) < 0.000_01)
    }

    @Test func isoFormsAreRead() throws {
        #expect(Timestamp.parse("2026-11-29T12:00:00Z") == Date(timeIntervalSince1970: 1_795_953_600))
        #expect(Timestamp.parse("2026-11-29T13:00:00+0100") == Date(timeIntervalSince1970: 1_795_953_600))
        #expect(AuditTime.parse(AuditTime.format(Date(timeIntervalSince1970: 1_795_953_600.5))) == Date(timeIntervalSince1970: 1_795_953_600.5))
    }

    @Test func aTimeWithoutOffsetOrWithJunkIsRefused() {
        for text in ["2026-11-29T12:00:00", "2026-13-01T00:00:00Z", "2026-11-29T12:00:00Zjunk", "", "yesterday", "2026-11-29T12:00:00.Z",
            "2026-11-29T12:00:00.1234567890Z"]
        {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        #expect(AuditTime.parse("2026-11-29T12:00:00+00:00") == nil)
    }
}

@Suite struct ServicePolicyTests {
    @Test func approvedChatsAlwaysPatternsOnlyWhenTheAgentMayInitiate() throws {
        var service = ServicePolicy()
        let listed = try RecipientNormalizer.parse("+34 900 123 456").get()
        let other = try RecipientNormalizer.parse("+34 900 999 999").get()
        service.approvedChats = [listed]
        service.approvedPatterns = ["+34900*"]
        #expect(!service.admits(listed), "off by default")
        service.enabled = true
        #expect(service.admits(listed))
        #expect(!service.admits(other))
        service.allowAgentInitiated = true
        #expect(service.admits(other))
        #expect(!service.admits(try RecipientNormalizer.parse("+44 7700 900123").get()))
        #expect(!service.admits(try RecipientNormalizer.parse("120363041234567890@g.us").get()))
    }

    @Test func globsMatchWholeNumbers() {
        #expect(Glob.matches("+34900*", "+34900123456"))
        #expect(Glob.matches("+3490?123456", "+34901123456"))
        #expect(!Glob.matches("+34900", "+34900123456"))
        #expect(!Glob.matches("+34900*", "+4434900123"))
        #expect(Glob.matches("*", "+1"))
    }
}
