import Foundation
import Testing

@testable import GatehouseCore

/// Finding encoded runs, decoding them within a budget, and mapping decoded bytes to their encoding.
@Suite("Encoded runs")
struct EncodedRunTests {
    static func runs(_ text: String) -> [EncodedRunFinder.Run] {
        EncodedRunFinder.runs(in: MappedText(original: Array(text.utf8)))
    }

    static func decoded(_ text: String, budget: Int = 1 << 20) -> String? {
        var decoder = RunDecoder(budget: budget)
        return decoder.decode([(MappedText(original: Array(text.utf8)), false)]).map {
            String(decoding: $0.bytes, as: UTF8.self)
        }
    }

    @Test func findsPercentBase64AndHexRuns() {
        let hex = String(repeating: "41", count: 16)
        let text = "a %41b c QUtJQVozTVNKVjRXV0ZN== d 0x\(hex) 50% off"
        #expect(
            Self.runs(text) == [
                .init(range: 2..<6, kind: .percent),
                .init(range: 9..<31, kind: .base64),
                .init(range: 34..<68, kind: .base64),
                .init(range: 36..<68, kind: .hex),
            ]
        )
        #expect(Self.runs("50% off, 100%! 20%-30%, short QUJD").isEmpty)
    }

    @Test func decodesEachEncodingOfText() {
        // Each run comes with the text of its line around it (at most `contextLength` bytes each side).
        #expect(Self.decoded("%41%4B%49%41 and AK%49A") == "AKIA and AK%49A\n%41%4B%49%41 and AKIA")
        #expect(Self.decoded("x " + Data("hello, plain world".utf8).base64EncodedString()) == "x hello, plain world")
        #expect(Self.decoded(Data("hello, plain world".utf8).map { String(format: "%02X", $0) }.joined()) == "hello, plain world")
        // base64url, without padding, with a 2-character prefix glued on.
        let url = Data("subjects?>>and objects".utf8).base64EncodedString()
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "=", with: "")
        #expect(url.contains("_") || url.contains("-"))
        #expect(Self.decoded("Zz" + url) == "subjects?>>and objects")
    }

    @Test func contextStopsAtTheLineAndAtGluedTokens() {
        let text = Array("line one\nSSN: MTIzLTQ1LTY3ODk= ok\nnext".utf8)
        let run = 14..<30
        let (before, after) = RunDecoder.context(of: run, in: text)
        #expect(String(decoding: text[before], as: UTF8.self) == "SSN: ")
        #expect(String(decoding: text[after], as: UTF8.self) == " ok")
        // A hex run inside a longer token: the token must not run on into the decoded bytes.
        let glued = Array("pypi-Ab0123456789abcdef0123456789Zz tail".utf8)
        let (b2, a2) = RunDecoder.context(of: 7..<33, in: glued)
        #expect(b2.isEmpty && a2.isEmpty)
    }

    @Test func skipsBinaryAndRandomIDs() {
        var g = ScannerFixtures(seed: 11)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for _ in 0..<600 { png.append(UInt8(truncatingIfNeeded: g.next())) }
        #expect(Self.decoded("data:image/png;base64," + Data(png).base64EncodedString()) == nil)
        #expect(Self.decoded("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 sha256 " + g.string(ScannerFixtures.hex, 64)) == nil)
        #expect(Self.decoded("id " + g.string(ScannerFixtures.base64URL, 43) + " " + g.string(ScannerFixtures.base62, 32)) == nil)
        #expect(Self.decoded("550e8400-e29b-41d4-a716-446655440000 " + String(repeating: "1234567890", count: 10)) == nil)
    }

    @Test func decodedBytesMapToTheCharactersHoldingTheirBits() throws {
        // "QUJD" is base64 of "ABC": A ← Q,U; B ← U,J; C ← J,D. Padding joins the last byte.
        var decoder = RunDecoder(budget: 100)
        let text = MappedText(original: Array("  QUJDREVGR0hJSktMTU5PUA== ".utf8))
        let decoded = decoder.decode([(text, false)])
        let view = try #require(decoded)
        // The spaces around the run are copied as context, each mapping to itself.
        #expect(String(decoding: view.bytes, as: UTF8.self) == "  ABCDEFGHIJKLMNOP ")
        #expect(view.sourceRange(of: 0..<2) == 0..<2)
        #expect(view.sourceRange(of: 2..<3) == 2..<4)
        #expect(view.sourceRange(of: 3..<4) == 3..<5)
        #expect(view.sourceRange(of: 4..<5) == 4..<6)
        #expect(view.sourceRange(of: 17..<18) == 22..<26)
        #expect(view.obfuscation(in: 2..<18) == .base64)
        #expect(view.obfuscation(in: 0..<2).isEmpty)
    }

    @Test func budgetBoundsTheWork() {
        let encoded = String(repeating: "%41", count: 1000)
        var decoder = RunDecoder(budget: 100)
        let view = decoder.decode([(MappedText(original: Array(encoded.utf8)), false)])
        #expect(view?.count == 100)
        #expect(decoder.budget == 0)
        let again = decoder.decode([(MappedText(original: Array(encoded.utf8)), false)])
        #expect(again == nil)
    }

    @Test func textCheckAllowsOneBadByteInTen() {
        var check = TextCheck(expected: 20)
        for b in Array("héllo, wörld, and ok".utf8) {
            let accepted = check.add(b)
            #expect(accepted)
        }
        #expect(check.isText)
        var binary = TextCheck(expected: 20)
        let accepted = [0x00, 0x01, 0xFF, 0x02, 0x03].map { binary.add(UInt8($0)) }
        #expect(accepted.contains(false))
        var truncated = TextCheck(expected: 3)
        _ = truncated.add(0x41)
        _ = truncated.add(0xE2)
        #expect(!truncated.isText)
    }
}
