import GatehouseTesting
import Testing

@testable import GatehouseCore

/// Every hostile fixture is unscannable, for the right reason, without echoing anything from the file.
@Suite("Hostile Office files")
struct HostileOfficeFileTests {
    func extract(_ bytes: [UInt8], ext: String = "docx") -> FileText {
        FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: ext)
    }

    @Test func baselineFromTheSameWriterIsReadable() throws {
        #expect(try extract(FixtureFiles.office("hostile-baseline.docx")) == .text("HOSTILE but well-formed\n", source: "word/document.xml"))
    }

    @Test(arguments: [
        ("truncated.docx", "no end of central directory"),
        ("crc-mismatch.docx", "fails its CRC-32 check"),
        ("corrupt-deflate.docx", "reserved block type"),
        ("bad-huffman.docx", "invalid Huffman table"),
        ("distance-too-far.docx", "bytes before its start"),
        ("truncated-deflate.docx", "ends early"),
        ("bomb.docx", "a possible zip bomb"),
        ("bomb-understated.docx", "is not the size its header declares"),
        ("encrypted.docx", "ZIP entry 3 is encrypted"),
        ("dotdot.docx", "ZIP entry 3 has an unsafe name"),
        ("absolute.docx", "ZIP entry 3 has an unsafe name"),
        ("duplicate.docx", "ZIP entry 3 repeats the name"),
        ("duplicate-case.docx", "ZIP entry 3 repeats the name"),
        ("name-mismatch.docx", "corrupt or inconsistent local header"),
        ("method-mismatch.docx", "corrupt or inconsistent local header"),
        ("unsupported-method.docx", "unsupported compression method 12"),
        ("stored-size-mismatch.docx", "is not the size its header declares"),
        ("data-out-of-bounds.docx", "extends past its archive's data"),
        ("too-many-entries.docx", "60000 entries, more than the 10000 allowed"),
        ("zip64.docx", "ZIP64 archives are not supported"),
        ("missing-main.docx", "has no word/document.xml"),
        ("malformed-xml.docx", "malformed"),
        ("not-office.zip", "other than Office Open XML"),
    ])
    func hostileFixtureIsUnscannable(name: String, expected: String) throws {
        let bytes = try FixtureFiles.office(name)
        let result = extract(bytes, ext: name.hasSuffix(".zip") ? "zip" : "docx")
        guard case .unscannable(let reason) = result else {
            Issue.record("\(name) gave \(result)")
            return
        }
        #expect(reason.contains(expected), "\(name): \(reason)")
        for planted in ["HOSTILE", "evil", "HELLO", "secret"] { #expect(!reason.contains(planted), "\(reason)") }
    }

    @Test func entryCountCapApplies() throws {
        let bytes = try FixtureFiles.office("sample.docx")
        let result = OfficeText.extract(bytes, format: .word, inflateLimit: 1 << 20, maximumEntries: 5)
        #expect(result == .unscannable(reason: "the ZIP archive has 12 entries, more than the 5 allowed"))
    }

    @Test func inflateBudgetCoversAllPartsTogether() throws {
        let bytes = try FixtureFiles.office("sample.docx")
        // Enough for the document alone, not for it plus headers, notes and metadata.
        let result = OfficeText.extract(bytes, format: .word, inflateLimit: 4000, maximumEntries: 100)
        #expect(result == .unscannable(reason: "the archive decompresses to more than 4000 bytes (a possible zip bomb)"))
    }

    @Test func everyTruncationIsUnscannable() throws {
        let bytes = try FixtureFiles.office("sample.docx")
        for cut in 0..<bytes.count {
            guard case .unscannable = extract(Array(bytes[..<cut])) else {
                Issue.record("prefix of \(cut) bytes was read")
                return
            }
        }
    }

    /// Corrupting bytes anywhere ends in text or a reason, never a trap or a hang.
    @Test(arguments: ["sample.docx", "sample.xlsx", "sample.pptx"])
    func corruptedArchivesFailCleanly(name: String) throws {
        let original = try FixtureFiles.office(name)
        var random = SeededGenerator(seed: 0x5A1F + UInt64(name.utf8.count))
        var unscannable = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 3)) {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: 1 + random.next() % 255)
            }
            if case .unscannable = extract(bytes, ext: String(name.split(separator: ".").last!)) { unscannable += 1 }
        }
        #expect(unscannable > 0)
    }

    @Test func unsafeNamesAreRecognised() throws {
        for name in ["../x", "a/../b", "a\\..\\b", "/abs", "\\abs", "C:x", "a\u{0}b", ""] {
            let bytes = Self.singleEntryZip(name: name)
            #expect(throws: ZipError.unsafeName(entry: 1)) { try ZipArchive(bytes: bytes) }
        }
        for name in ["a/..b", "..a", "a/b..", "word/document.xml"] {
            #expect(throws: Never.self) { try ZipArchive(bytes: Self.singleEntryZip(name: name)) }
        }
    }

    /// A one-entry stored archive with an empty body.
    static func singleEntryZip(name: String) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16) }
        let n = Array(name.utf8)
        let local = u32(0x0403_4B50) + u16(20) + u16(0) + u16(0) + u32(0) + u32(0) + u32(0) + u32(0) + u16(n.count) + u16(0) + n
        let central =
            u32(0x0201_4B50) + u16(20) + u16(20) + u16(0) + u16(0) + u32(0) + u32(0) + u32(0) + u32(0) + u16(n.count)
            + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(0) + n
        let end = u32(0x0605_4B50) + u16(0) + u16(0) + u16(1) + u16(1) + u32(central.count) + u32(local.count) + u16(0)
        return local + central + end
    }
}
