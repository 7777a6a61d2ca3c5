import GatehouseCore
import Testing

/// Text out of the valid fixtures: planted strings present, at the right boundaries, in reading order.
@Suite("Office text")
struct OfficeTextTests {
    func extract(_ name: String, ext: String? = nil) throws -> (text: String, source: String) {
        let bytes = try FixtureFiles.office(name)
        #expect(ContentSniffer.sniff(bytes, isWholeFile: true) == .zip)
        let result = FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: ext ?? String(name.split(separator: ".").last!))
        guard case .text(let text, let source) = result else {
            Issue.record("\(name): \(result)")
            return ("", "")
        }
        return (text, source)
    }

    /// Whether `parts` occur in `text` in this order.
    func inOrder(_ text: String, _ parts: [String]) -> Bool {
        var rest = text[...]
        for part in parts {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    @Test(arguments: ["sample.docx", "sample-stored.docx"])
    func wordDocument(name: String) throws {
        let (text, source) = try extract(name)
        // Two paragraphs are not glued; a token split over two runs is joined.
        #expect(text.contains("WORDONE\nWORDTWO"))
        #expect(!text.contains("WORDONEWORDTWO"))
        #expect(text.contains("SPLITTOKEN and more"))
        #expect(text.contains("Fish & Chips <tag> \"q\" 'a' AB café 😀"))
        #expect(text.contains("Card 4111 1111 1111 1111 on file"))
        #expect(text.contains("CELLA\n\tCELLB\n\t\nCELLC"))
        #expect(text.contains("BEFORETAB\tAFTERTAB\nAFTERBREAK"))
        #expect(text.contains("CDATAMARK <kept> & raw"))
        #expect(text.contains("Unicode ünïcödé 日本語"))
        #expect(text.contains("DELETEDMARK"))
        // Attribute values and XML comments are not text.
        #expect(!text.contains("ATTRIBUTEMARK"))
        #expect(!text.contains("COMMENTEDOUTMARK"))
        #expect(!text.contains("Normal"))
        #expect(
            inOrder(text, [
                "WORDONE", "HEADERMARK", "FOOTERMARK", "FOOTNOTEMARK", "ENDNOTEMARK", "COMMENTMARK", "TITLEMARK",
                "AUTHORMARK", "EDITORMARK", "COMPANYMARK",
            ]))
        #expect(
            source == "word/document.xml, word/header1.xml, word/footer1.xml, word/footnotes.xml, "
                + "word/endnotes.xml, word/comments.xml, docProps/core.xml, docProps/app.xml")
    }

    @Test(arguments: ["sample.xlsx", "sample-stored.xlsx"])
    func workbook(name: String) throws {
        let (text, source) = try extract(name)
        #expect(text.contains("SHAREDMARK\nRICHRUN\nTom & Jerry\n"))
        // A1 holds shared string 0: its index is not text. B1 is a number, read as typed.
        #expect(text.contains("\n\t4111111111111111\tINLINEMARK\tFORMULAPART\t\n\t12345.5\t\t\n"))
        #expect(inOrder(text, ["SHAREDMARK", "4111111111111111", "SHEETTWOMARK", "SHEETTENMARK", "AUTHORMARK"]))
        #expect(!text.contains("CONCAT"))
        #expect(source.hasPrefix("xl/sharedStrings.xml, xl/worksheets/sheet1.xml, xl/worksheets/sheet2.xml"))
    }

    @Test(arguments: ["sample.pptx", "sample-stored.pptx"])
    func presentation(name: String) throws {
        let (text, source) = try extract(name)
        #expect(text.contains("SLIDEONEMARK title\nsecond line ends SLIDEWORD\n"))
        #expect(!text.contains("SLIDEWORDNEXTPARA"))
        #expect(text.contains("SPLITTOKEN on a slide"))
        #expect(inOrder(text, ["SLIDEONEMARK", "NEXTPARA", "SLIDETENMARK", "NOTESMARK", "TITLEMARK", "COMPANYMARK"]))
        #expect(source.hasPrefix("ppt/slides/slide1.xml, ppt/slides/slide2.xml, ppt/slides/slide10.xml"))
    }

    @Test func deflatedAndStoredGiveTheSameText() throws {
        for ext in ["docx", "xlsx", "pptx"] {
            #expect(try extract("sample.\(ext)").text == extract("sample-stored.\(ext)").text)
        }
    }

    @Test(arguments: ["docm", "DOCX", ".docx", "dotx", "dotm"])
    func macroAndTemplateVariantsAreRead(ext: String) throws {
        #expect(try extract("sample.docx", ext: ext).text.contains("WORDONE"))
    }

    @Test func theScannerFindsWhatWasPlanted() throws {
        let scanner = SecretScanner()
        let word = scanner.scan(try extract("sample.docx").text)
        #expect(word.map(\.kind).contains("payment-card"))
        #expect(word.map(\.kind).contains("generic-secret"))
        let sheet = scanner.scan(try extract("sample.xlsx").text)
        #expect(sheet.map(\.kind) == ["payment-card"])
    }

    @Test func wrongFormatForTheExtensionIsUnscannable() throws {
        let bytes = try FixtureFiles.office("sample.xlsx")
        #expect(
            FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: "docx")
                == .unscannable(reason: "the file is named as a Word document but has no word/document.xml"))
        #expect(
            FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: "zip")
                == .unscannable(
                    reason: "ZIP archives other than Office Open XML documents (.docx, .xlsx, .pptx) are not scanned"))
        guard case .unscannable = FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: "xlsb") else {
            Issue.record("binary workbook read as text")
            return
        }
    }

    @Test func inflateBudgetScalesWithFileSize() {
        #expect(FileTextExtractor.inflateLimit(forFileSize: 0) == 1 << 20)
        #expect(FileTextExtractor.inflateLimit(forFileSize: 100_000) == 10_000_000)
        #expect(FileTextExtractor.inflateLimit(forFileSize: 10 << 20) == 64 << 20)
        #expect(FileTextExtractor.inflateLimit(forFileSize: Int.max) == 64 << 20)
    }
}
