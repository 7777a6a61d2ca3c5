import Testing

@testable import GatehouseCore

@Suite struct DisplayNameTests {
    private func tag(_ name: String) -> String {
        "file_" + _SHA256.hash(Array(name.utf8)).prefix(4).map { String(format2: $0) }.joined()
    }

    @Test func plainNamesSurvive() {
        #expect(DisplayName.sanitize("Invoice March (final).pdf") == "Invoice March (final).pdf")
        #expect(DisplayName.sanitize("report-2026_v2.PDF") == "report-2026_v2.pdf")
    }

    @Test func accentsFoldToASCII() {
        #expect(DisplayName.sanitize("Café Menü Ångström.pdf") == "Cafe Menu Angstrom.pdf")
        #expect(DisplayName.sanitize("ﬁnal.txt") == "final.txt")  // NFKD splits the ligature
    }

    @Test func thaiNameFallsBackToAHashTag() {
        // Given a name with no Latin letters or digits, which NFKD cannot fold
        let thai = "รายงานประจำปี.pdf"
        let name = DisplayName.sanitize(thai)
        // Then the stem is a tag of the name and the extension is kept
        #expect(name == tag(thai) + ".pdf")
        #expect(name.count == "file_".count + 8 + 4)
    }

    @Test func mixedScriptsKeepTheLatinPart() {
        #expect(DisplayName.sanitize("รายงาน-2026.pdf") == "2026.pdf")
        #expect(DisplayName.sanitize("Отчёт report.pdf") == "report.pdf")
    }

    @Test func traversalLosesItsDirectories() {
        #expect(DisplayName.sanitize("../../etc/passwd") == "passwd")
        #expect(DisplayName.sanitize("..\\..\\Windows\\evil.exe") == "evil.exe")
        #expect(DisplayName.sanitize("/srv/share/a.pdf") == "a.pdf")
    }

    @Test(arguments: ["", ".", "..", "/", "../", "...", "___", " "])
    func degenerateNamesGetATag(name: String) {
        let safe = DisplayName.sanitize(name)
        #expect(safe.hasPrefix("file_"))
        #expect(safe.count == 13)
        #expect(safe != "." && safe != "..")
    }

    @Test func emptyNameTagIsSHA256OfEmpty() {
        #expect(DisplayName.sanitize("") == "file_e3b0c442")
    }

    @Test func unsafeCharactersBecomeUnderscores() {
        #expect(DisplayName.sanitize("a;b|c$d`e'f\"g<h>.txt") == "a_b_c_d_e_f_g_h.txt")
        #expect(DisplayName.sanitize("line\nbreak\u{0}nul.txt") == "line_break_nul.txt")
        #expect(DisplayName.sanitize("right\u{202E}fdp.exe") == "right_fdp.exe")
    }

    @Test func hiddenAndOptionLikeNamesAreTrimmed() {
        #expect(DisplayName.sanitize(".bashrc") == "bashrc")
        #expect(DisplayName.sanitize("-rf.txt") == "rf.txt")
        #expect(DisplayName.sanitize("name. .pdf") == "name.pdf")
    }

    @Test func longNamesAreCappedKeepingTheExtension() {
        let name = DisplayName.sanitize(String(repeating: "a", count: 300) + ".pdf")
        #expect(name.count == DisplayName.maxLength)
        #expect(name.hasSuffix(".pdf"))
    }

    @Test func aLongOrOddExtensionIsPartOfTheName() {
        #expect(DisplayName.sanitize("notes.averyverylongext") == "notes.averyverylongext")
        #expect(DisplayName.sanitize("a.pdf ") == "a.pdf")  // never accepted: ".pdf " is not an allowed extension
    }

    @Test func resultIsAlwaysASCIIAndBounded() {
        let samples = ["名前.png", "😀😀.jpg", "a/b\\c:d*e?.pdf", String(repeating: "é", count: 500), "\u{0}"]
        for sample in samples {
            let safe = DisplayName.sanitize(sample)
            #expect(!safe.isEmpty && safe.count <= 100)
            #expect(safe.allSatisfy { $0.isASCII && $0 != "/" && $0 != "\\" })
        }
    }

    // FIPS 180-4 / NIST CSRC example vectors for the internal digest behind the tag.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256Vectors(input: String, hex: String) {
        #expect(_SHA256.hash(Array(input.utf8)).map { String(format2: $0) }.joined() == hex)
    }
}

extension String {
    fileprivate init(format2 byte: UInt8) {
        let s = String(byte, radix: 16)
        self = s.count == 1 ? "0" + s : s
    }
}
