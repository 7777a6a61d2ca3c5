import GatehouseCore
import Testing

@Suite("Text files")
struct PlainTextTests {
    func extract(_ bytes: [UInt8], _ kind: FileKind = .text, _ ext: String = "txt") -> FileText {
        FileTextExtractor.extract(bytes: bytes, kind: kind, extension: ext)
    }

    @Test func utf8TextIsReturnedAsIs() {
        let text = "name,card\nAda,4111 1111 1111 1111\nünïcödé 日本語\n"
        #expect(extract(Array(text.utf8), .text, "csv") == .text(text, source: "UTF-8 text"))
        #expect(extract([], .text) == .text("", source: "UTF-8 text"))
    }

    @Test func utf8ByteOrderMarkIsDropped() {
        #expect(extract([0xEF, 0xBB, 0xBF] + Array("hi".utf8)) == .text("hi", source: "UTF-8 text"))
    }

    @Test func utf16WithByteOrderMarkIsDecoded() {
        let text = "UTF16MARK ü 😀"
        let units = Array(text.utf16)
        let little: [UInt8] = [0xFF, 0xFE] + units.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + units.flatMap { unit -> [UInt8] in [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        // UTF-16 is not UTF-8, so the sniffer calls it `unknown`, or `mp3` when a little-endian BOM passes
        // its MPEG frame-sync test; the BOM is what identifies it.
        #expect(ContentSniffer.sniff(little, isWholeFile: true) == .mp3)
        #expect(ContentSniffer.sniff(big, isWholeFile: true) == .unknown)
        for kind in [FileKind.mp3, .unknown] {
            #expect(extract(little, kind) == .text(text, source: "UTF-16LE text"))
            #expect(extract(big, kind) == .text(text, source: "UTF-16BE text"))
        }
        // Audio that happens to start with the same two bytes does not decode.
        if case .text = extract([0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], .mp3) { Issue.record("audio decoded as text") }
    }

    @Test(arguments: [
        [0xFF, 0xFE, 0x41],  // odd length
        [0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00],  // high surrogate, then not a low one
        [0xFF, 0xFE, 0x00, 0xDC],  // lone low surrogate
        [0xFE, 0xFF, 0xD8, 0x3D],  // high surrogate at the end
        [0xFF, 0xFE, 0x00, 0x00],  // NUL
    ] as [[UInt8]])
    func invalidUTF16IsUnscannable(bytes: [UInt8]) {
        guard case .unscannable(let reason) = extract(bytes, .unknown) else {
            Issue.record("decoded invalid UTF-16")
            return
        }
        #expect(reason.contains("UTF-16"))
    }

    @Test func invalidUTF8IsUnscannableNotRepaired() {
        // A valid prefix (what the sniffer saw) followed by invalid bytes further in.
        let bytes = Array(String(repeating: "SECRETPREFIX ", count: 400).utf8) + [0xC3, 0x28] + Array("tail".utf8)
        guard case .unscannable(let reason) = extract(bytes) else {
            Issue.record("invalid UTF-8 was decoded")
            return
        }
        #expect(reason == "the file is not valid UTF-8 text")
        #expect(extract(Array("a\u{0}b".utf8)) == .unscannable(reason: "the file is not valid UTF-8 text"))
        #expect(extract([0x61, 0xE2, 0x82]) == .unscannable(reason: "the file is not valid UTF-8 text"))
    }

    @Test(arguments: [
        (FileKind.pdf, "pdf"), (.png, "png"), (.jpeg, "jpg"), (.gif, "gif"), (.webp, "webp"), (.mp3, "mp3"),
        (.ogg, "ogg"), (.isoMedia, "mp4"), (.ole, "doc"), (.unknown, "bin"), (.elf, "txt"), (.script, "sh"),
        (.windowsExecutable, "exe"), (.machO, "dylib"),
    ])
    func otherKindsAreUnscannableWithAReason(kind: FileKind, ext: String) {
        let bytes = Array("SECRETCONTENT 4111 1111 1111 1111".utf8)
        guard case .unscannable(let reason) = extract(bytes, kind, ext) else {
            Issue.record("\(kind) was read as text")
            return
        }
        #expect(!reason.isEmpty)
        #expect(!reason.contains("SECRETCONTENT"))
    }
}
