import Foundation
import Testing

@testable import GatehouseCore

/// The per-scalar fold: its generated NFKC table and hand-written ranges agree with Unicode, and folding
/// changes only what can hide an ASCII token.
@Suite("Scalar folding")
struct ScalarFoldingTests {
    static func fold(_ text: String) -> String? {
        ScalarFolder.fold(MappedText(original: Array(text.utf8))).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    static let scalars: [Unicode.Scalar] = (0x80...0x1FFFF).compactMap(Unicode.Scalar.init)

    /// Regenerates `CompatibilityFolds` with Foundation's NFKC and compares, so the table cannot drift.
    @Test func compatibilityTableMatchesNFKC() {
        var mismatches: [String] = []
        for scalar in Self.scalars {
            let p = scalar.properties
            var expected: [UInt8]?
            if !(p.isDefaultIgnorableCodePoint || p.generalCategory == .format || p.isWhitespace),
                p.changesWhenNFKCCaseFolded
            {
                let folded = Array(String(Character(scalar)).precomposedStringWithCompatibilityMapping.utf8)
                let tokenSymbol = folded.count == 1 && "_-+/=.".utf8.contains(folded[0])
                if !folded.isEmpty, folded.allSatisfy({ $0 > 0x20 && $0 < 0x80 }),
                    folded.contains(where: ScanBytes.isAlnum) || tokenSymbol
                {
                    expected = folded
                }
            }
            let entry = ScalarFold.entry(scalar.value)
            var actual: [UInt8]?
            switch ScalarFold.action(entry) {
            case .compatibilityByte: actual = [UInt8(ScalarFold.operand(entry))]
            case .compatibilityString: actual = ScalarFold.strings[Int(ScalarFold.operand(entry))]
            default: actual = nil
            }
            if actual != expected && mismatches.count < 20 {
                mismatches.append(String(format: "U+%04X", scalar.value) + " \(String(describing: expected))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// Every default-ignorable or format scalar is removable; nothing visible is.
    @Test func ignorableRangesMatchUnicodeProperties() {
        var missing: [String] = []
        var extra: [String] = []
        for scalar in Self.scalars + (0xE0000...0xE0FFF).compactMap(Unicode.Scalar.init) {
            let p = scalar.properties
            let invisible = p.isDefaultIgnorableCodePoint || p.generalCategory == .format
            let removable = ScalarFold.action(ScalarFold.entry(scalar.value)) == .ignorable
            if invisible && !removable { missing.append(String(format: "U+%04X", scalar.value)) }
            if removable && !invisible && p.generalCategory != .unassigned {
                extra.append(String(format: "U+%04X", scalar.value))
            }
        }
        #expect(missing.isEmpty, "\(missing.prefix(20))")
        #expect(extra.isEmpty, "\(extra.prefix(20))")
    }

    @Test func spacesAreExactlyTheNonASCIIWhitespace() {
        for scalar in Self.scalars {
            let isSpace = ScalarFold.action(ScalarFold.entry(scalar.value)) == .space
            #expect(isSpace == scalar.properties.isWhitespace, "\(String(format: "U+%04X", scalar.value))")
        }
    }

    @Test func homoglyphsAreLettersOfOtherScriptsThatFoldToASCIILettersOrDigits() {
        for (scalar, ascii) in ScalarFold.homoglyphs {
            let s = Unicode.Scalar(scalar)!
            #expect(s.properties.isAlphabetic && !s.isASCII, "\(s)")
            #expect(ascii.isLetter || ascii.isNumber)
            #expect(ScalarFold.action(ScalarFold.entry(scalar)) == .homoglyph)
        }
    }

    @Test(arguments: [
        ("AKIA\u{200B}\u{200D}Z3MS", "AKIAZ3MS"),
        ("\u{200B}\u{200B}AKIA", "AKIA"),
        ("A\u{202E}B\u{00AD}C\u{FE0F}D\u{E0041}E", "ABCDE"),
        ("ＡＫＩＡ－１２", "AKIA-12"),
        ("𝐀𝐊𝐈𝐀𝟏𝟐 ⓐⓑ ﬁx ™", "AKIA12 ab fix TM"),
        // Look-alikes fold inside a chunk that has ASCII letters or digits, not in a Russian word.
        ("АKIА Привет", "AKIA Привет"),
        ("ghр_Оx1 ΑΒΓ1", "ghp_Ox1 ABΓ1"),
        ("A\u{0336}K\u{0336}I\u{0336}A\u{0336}", "AKIA"),
    ])
    func foldsWhatHidesASCII(input: String, output: String) {
        #expect(Self.fold(input) == output)
    }

    @Test(arguments: [
        "plain ASCII with nothing to do",
        "Café ☕️ at 10? \u{200B}",
        "👨‍👩‍👧 family, 🇩🇪 flag, ❤️",
        "می‌خواهم بروم",
        "Привет, как дела? Встретимся в 10.",
        "Γειά σου κόσμε, τι κάνεις;",
        "मैं कल सुबह 9 बजे पहुँचूँगा।",
        "明天下午三点开会",
        "Dmitriy Иванов and Αλέξανδρος Smith",
        "über naïve résumé",
    ])
    func leavesOrdinaryMultilingualTextAlone(input: String) {
        #expect(Self.fold(input) == nil, "\(input)")
    }

    @Test func foldedBytesMapToTheScalarsTheyCameFrom() throws {
        let text = "k ＡＫ\u{200B}ｉ"
        let view = try #require(ScalarFolder.fold(MappedText(original: Array(text.utf8))))
        #expect(String(decoding: view.bytes, as: UTF8.self) == "k AKi")
        #expect(view.sourceRange(of: 2..<3) == 2..<5)
        #expect(view.sourceRange(of: 2..<5) == 2..<14)
        #expect(view.obfuscation(in: 4..<5) == [.compatibility, .zeroWidth])
    }
}
