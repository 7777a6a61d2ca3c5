import Testing

@testable import GatehouseCore

@Suite("XML text extractor")
struct XMLTextExtractorTests {
    func text(_ xml: String, _ profile: XMLTextProfile = .wordprocessing) throws -> String {
        String(decoding: try XMLTextExtractor.text(of: Array(xml.utf8), profile: profile), as: UTF8.self)
    }

    @Test func runsJoinAndParagraphsSeparate() throws {
        let xml = """
            <w:body><w:p><w:r><w:t>ab</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>cd</w:t></w:r></w:p>
            <w:p><w:r><w:t>ef</w:t></w:r></w:p></w:body>
            """
        #expect(try text(xml) == "abcd\nef\n")
    }

    @Test func cellsRowsTabsAndBreaksAreBoundaries() throws {
        let xml = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        #expect(try text(xml) == "a\n\tb\n\t\n")
        #expect(try text("<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>") == "a\tb\nc\n")
    }

    @Test func entitiesAndCharacterReferencesAreDecoded() throws {
        let xml = "<w:t>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;caf&#233;</w:t>"
        #expect(try text(xml) == "&<>\"'AB😀café")
    }

    @Test func invalidReferencesStayAsWritten() throws {
        let xml = "<w:t>&#0; &#xD800; &#x110000; &bogus; &amp x &#12345678901;</w:t>"
        #expect(try text(xml) == "&#0; &#xD800; &#x110000; &bogus; &amp x &#12345678901;")
    }

    @Test func cdataPassesThroughOnlyInsideTextElements() throws {
        #expect(try text("<w:t><![CDATA[a <b> & c]]></w:t><![CDATA[dropped]]>") == "a <b> & c")
    }

    @Test func attributesCommentsAndInstructionsAreDropped() throws {
        let xml = """
            <?xml version="1.0"?><!-- <w:t>hidden</w:t> --><w:r w:x="a>b" w:y='<w:t>no</w:t>'>\
            <w:t xml:space="preserve"> kept </w:t><?pi <w:t>no</w:t>?></w:r>
            """
        #expect(try text(xml) == " kept ")
    }

    @Test func doctypeEntitiesAreNeverExpanded() throws {
        let xml = """
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;"> <!ATTLIST a b CDATA "]>">]>
            <w:t>&lol2;</w:t>
            """
        #expect(try text(xml) == "&lol2;")
    }

    @Test func sharedStringIndicesAreSkippedButCellValuesKept() throws {
        let xml = """
            <row><c r="A1" t="s"><v>7</v></c><c r="B1"><v>4111111111111111</v></c>\
            <c r="C1" t="inlineStr"><is><t>inline</t></is></c><c r="D1" s="1" t="str"><f>A1&amp;"x"</f><v>vx</v></c></row>
            """
        #expect(try text(xml, .spreadsheet) == "\t4111111111111111\tinline\tvx\t\n")
    }

    @Test func attributeNamedLikeTypeDoesNotConfuseCells() throws {
        // `xt="s"` and a `t` whose value is not exactly `s` are not shared-string cells.
        let xml = #"<c xt="s"><v>1</v></c><c t="str"><v>2</v></c><c t = "s" ><v>3</v></c>"#
        #expect(try text(xml, .spreadsheet) == "1\t2\t\t")
    }

    @Test func metadataKeepsEveryValueOnItsOwnLine() throws {
        let xml = "<cp:coreProperties><dc:title>T</dc:title><dc:creator>Jane &amp; co</dc:creator></cp:coreProperties>"
        #expect(try text(xml, .metadata) == "T\nJane & co\n\n")
    }

    @Test(arguments: [
        "<w:t>abc</w:t", "<w:t>abc<!-- x", "<w:t><![CDATA[ x", "<w:r a=\"unterminated>", "<?pi", "<!DOCTYPE x [",
    ])
    func unterminatedMarkupIsRefused(xml: String) {
        #expect(throws: XMLTextError.self) { try text(xml) }
    }

    /// Inputs that would make a backtracking or rescanning lexer quadratic; asserted on results, so a
    /// regression shows as a test that does not finish.
    @Test(arguments: ["&", "&#", "&#x1", "<w:t>", "</w:t>", "<w:p/>", "<!---", "<c t=\"s\">", "]]"])
    func hostileRepetitionIsLinear(unit: String) throws {
        let body = String(repeating: unit, count: (1 << 19) / unit.utf8.count)
        let xml = "<w:t>" + body + "</w:t>"
        do {
            _ = try text(xml)
            _ = try text(xml, .spreadsheet)
        } catch is XMLTextError {}
    }
}
