import Testing

@testable import GatehouseCore

/// Which whitespace gaps and formatting markers the folded view removes, and which it leaves.
@Suite("TokenJoiner")
struct TokenJoinerTests {
    /// The joined text, or nil when nothing changes.
    static let prefixList = TokenJoiner.tokenPrefixes(of: Detector.builtin)
    static let prefixes = TokenJoiner.Prefixes(prefixList)

    static func joined(_ text: String) -> String? {
        TokenJoiner.join(MappedText(original: Array(text.utf8)), prefixes: prefixes).map {
            String(decoding: $0.bytes, as: UTF8.self)
        }
    }

    @Test func tokenPrefixesComeFromSpecificDetectorsShortKeywords() {
        let prefixes = Set(Self.prefixList.map { String(decoding: $0, as: UTF8.self) })
        // The rule, over the whole catalogue: a prefix is a keyword of a specific detector without context
        // keywords, at most 8 token characters, starting with a letter, without `=`.
        for detector in Detector.builtin {
            let qualifies = !detector.isGeneric && !detector.keywords.contains(where: TokenJoiner.isContextKeyword)
            for keyword in detector.keywords where !qualifies || !TokenJoiner.isPrefixShaped(keyword) {
                // Another detector may still supply the same keyword legitimately; none does today.
                #expect(!prefixes.contains(keyword), "\(detector.id): \(keyword) is not a token prefix")
            }
        }
        for prefix in prefixes {
            #expect(prefix.utf8.count <= TokenJoiner.maximumPrefixLength && TokenJoiner.isPrefixShaped(prefix))
            #expect(Detector.builtin.contains { !$0.isGeneric && $0.keywords.contains(prefix) })
        }
        // Names of a value, not the start of one: joining them to what follows would hide both.
        for name in ["-us", "mfa", "pwd", "sig=", "totp", "2fa", "password", "twilio", ":aa", "bot "] {
            #expect(!prefixes.contains(name), "\(name)")
        }
        // The literal starts of tokens stay.
        for start in ["akia", "asia", "eyj", "ghp_", "sk-", "xox", "glpat-", "npm_", "hf_", "dapi", "aiza"] {
            #expect(prefixes.contains(start), "\(start)")
        }
    }

    @Test(arguments: [
        // Pieces of one length, weak and strong, between ordinary words.
        ("my key is AKIA Z3MS JV4W WFMJ XHQM thanks", "my key is AKIAZ3MSJV4WWFMJXHQM thanks"),
        // Spelled out; digits inside a run that has letters join too.
        ("it is A K I A Z 3 M S J V 4 W W F M J X H Q M ok", "it is AKIAZ3MSJV4WWFMJXHQM ok"),
        // Broken over lines, with CRLF.
        ("token:\nghp_0123456789abcdefghij\r\nKLMNOPQRSTUVWXYZ0123\nbye", "token:\nghp_0123456789abcdefghijKLMNOPQRSTUVWXYZ0123\nbye"),
        // A lower-case piece between pieces of its length is a piece.
        ("AbC1 dEf2 ghij KlM3 nOp4", "AbC1dEf2ghijKlM3nOp4"),
        // Token prefixes that read as words.
        ("xoxb -123 4567 8901 -abc", "xoxb-12345678901-abc"),
        ("sk-p roj- BUTY xjGE Ott3", "sk-proj-BUTYxjGEOtt3"),
        ("ghp _abc 1234 5678 9012", "ghp_abc123456789012"),
        // The leftover single character of a fixed-width split, but not a one-letter word.
        ("eyJh bGci OiJI UzI1 NiJ9 K end", "eyJhbGciOiJIUzI1NiJ9K end"),
        ("AKIA Z3MS JV4W WFMJ XHQM I think", "AKIAZ3MSJV4WWFMJXHQM I think"),
        ("AKIA Z3MS JV4W WFMJ XHQM y luego", "AKIAZ3MSJV4WWFMJXHQM y luego"),
        // A lone dot is a token character when spelled out.
        ("e y J h . e y J z . H K J U x 9 w end", "eyJh.eyJz.HKJUx9w end"),
        // Punctuation on the far side does not stop a join: `(` before, `.` after.
        ("(AKIA Z3MS JV4W WFMJ XHQM).", "(AKIAZ3MSJV4WWFMJXHQM)."),
        // Formatting markers between token characters.
        ("key AK*IA*Z3MS~JV4W``WFMJXHQM", "key AKIAZ3MSJV4WWFMJXHQM"),
        // Italic underscores around a token, the token's own underscore kept.
        ("_ghp_abc123_ and _x1_", "ghp_abc123 and x1"),
        ("see (_italic text here_)", "see (italic text here)"),
    ])
    func closesGapsAndRemovesMarkers(input: String, output: String) {
        #expect(Self.joined(input) == output)
    }

    @Test(arguments: [
        "Hello World 2024",
        "Hello World 2024 and HELLO WORLD",
        // Numbers are the card and phone detectors' business.
        "Call me at +44 7700 900123 or 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6",
        "Numbers: 1234 5678 9012 3456, timestamp 1700000000123",
        // Short runs are not tokens.
        "iPhone 15 Pro, AB12 CD34",
        // Words never join; a single letter never joins a longer chunk.
        "here is a AKIAZ3MSJV4WWFMJXHQM key",
        "send it with AKIA and ASIA keys or Asia 2024 trip",
        // A single after too short a grid.
        "ab1c de2f K",
        "the quick brown fox jumps over the lazy dog",
        // Markers at a chunk's edge, or not between token characters, stay.
        "*bold* and ~strike~ and `code` and ```block```",
        "5 * 3 = 15, a *b* c",
        // Underscores inside identifiers are not italics.
        "snake_case_name and __init__ and _unpaired",
        // PEM armour lines.
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        // Too far apart: more than one line break.
        "AKIAZ3MSJV\n\nWFMJXHQMAB",
        "Привет, как дела? 你好",
    ])
    func leavesOrdinaryTextAlone(input: String) {
        #expect(Self.joined(input) == nil)
    }

    @Test func closedGapsMapBackAcrossTheWhitespace() throws {
        let text = "key AKIA Z3MS\nJV4W WFMJ XHQM!"
        let view = try #require(TokenJoiner.join(MappedText(original: Array(text.utf8)), prefixes: Self.prefixes))
        // "AKIAZ3MSJV4WWFMJXHQM" is at 4..<24 of the view, 4..<28 of the text.
        #expect(view.sourceRange(of: 4..<24) == 4..<28)
        #expect(view.obfuscation(in: 4..<24) == .split)
        #expect(view.obfuscation(in: 4..<8).isEmpty)
    }
}
