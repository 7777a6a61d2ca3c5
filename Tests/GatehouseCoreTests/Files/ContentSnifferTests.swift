import Testing

@testable import GatehouseCore

@Suite struct ContentSnifferTests {
    @Test(
        arguments: [
            (Array("%PDF-1.7\n".utf8), FileKind.pdf),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], .png),
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 16], .jpeg),
            (Array("GIF89a\u{1}\u{0}".utf8), .gif),
            (Array("RIFF\u{24}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), .webp),
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0], .zip),
            ([0x50, 0x4B, 0x05, 0x06, 0, 0], .zip),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], .ole),
            (Array("OggS\u{0}\u{2}".utf8), .ogg),
            (Array("ID3\u{4}\u{0}".utf8), .mp3),
            ([0xFF, 0xFB, 0x90, 0x64], .mp3),
            ([0, 0, 0, 0x20] + Array("ftypisom".utf8), .isoMedia),
            ([0, 0, 0, 0x14] + Array("ftypqt  ".utf8), .isoMedia),
            (Array("MZ\u{90}\u{0}".utf8), .windowsExecutable),
            ([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1], .elf),
            ([0xCF, 0xFA, 0xED, 0xFE, 7, 0], .machO),
            ([0xCA, 0xFE, 0xBA, 0xBE, 0, 0], .machO),
            (Array("#!/bin/sh\nrm -rf /\n".utf8), .script),
            (Array("Hello, Welt! Grüße, สวัสดี\n".utf8), .text),
            ([0xEF, 0xBB, 0xBF] + Array("bom".utf8), .text),
        ] as [([UInt8], FileKind)]
    )
    func recognisesMagicBytes(bytes: [UInt8], kind: FileKind) {
        #expect(ContentSniffer.sniff(bytes, isWholeFile: true) == kind)
    }

    @Test func emptyIsUnknown() {
        #expect(ContentSniffer.sniff([], isWholeFile: true) == .unknown)
        #expect(ContentSniffer.sniff([]) == .unknown)
    }

    @Test func executablesWinOverText() {
        // "\u{7F}ELF" and "MZ" are valid ASCII, so order decides: executables are named, not passed as text.
        #expect(ContentSniffer.sniff(Array("MZ is a fine name for a note".utf8)) == .windowsExecutable)
        #expect(ContentSniffer.sniff([0x7F] + Array("ELF".utf8)) == .elf)
    }

    @Test func textWithANulIsNotText() {
        #expect(ContentSniffer.sniff(Array("plain\u{0}text".utf8), isWholeFile: true) == .unknown)
    }

    @Test(
        arguments: [
            [0xC0, 0xAF],  // overlong "/"
            [0xE0, 0x80, 0xAF],  // overlong
            [0xED, 0xA0, 0x80],  // UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            [0xFF, 0xFE, 0x41, 0x00],  // UTF-16LE with BOM
            [0x80],  // lone continuation byte
        ] as [[UInt8]]
    )
    func invalidUTF8IsNotText(bytes: [UInt8]) {
        #expect(ContentSniffer.sniff(Array("ok ".utf8) + bytes, isWholeFile: true) != .text)
    }

    @Test func aSequenceCutByThePrefixIsStillText() {
        // Given a prefix that ends in the first two bytes of "€" (E2 82 AC)
        let cut = Array("price: ".utf8) + [0xE2, 0x82]
        // Then it is text when more may follow, and not when that is the whole file
        #expect(ContentSniffer.sniff(cut) == .text)
        #expect(ContentSniffer.sniff(cut, isWholeFile: true) == .unknown)
    }

    @Test func adtsAACIsNotMP3() {
        #expect(ContentSniffer.sniff([0xFF, 0xF1, 0x50, 0x80, 0, 0]) != .mp3)
    }

    @Test func pdfMustStartAtOffsetZero() {
        #expect(ContentSniffer.sniff(Array("junk%PDF-1.4".utf8)) != .pdf)
    }

    @Test func executableKindsAreMarked() {
        let executables = FileKind.allCases.filter(\.isExecutable)
        #expect(Set(executables) == [.windowsExecutable, .elf, .machO, .script])
    }
}
