import Testing

@testable import GatehouseCore

/// Derived views map every byte back to the original bytes it came from, and views of views compose.
@Suite("MappedText")
struct MappedTextTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func theOriginalIsItsOwnMap() {
        let text = MappedText(original: Self.bytes("héllo"))
        #expect(text.isIdentity)
        #expect(text.sourceRange(of: 1..<3) == 1..<3)
        #expect(text.sourceRange(of: 2..<2) == nil)
        #expect(text.obfuscation(in: 0..<6).isEmpty)
    }

    @Test func copiedBytesMapToThemselvesAndRemovalsMarkTheNextByte() {
        // Given: "AB<zwsp>CD", the zero-width space (3 bytes at 2..<5) removed
        let original = MappedText(original: Self.bytes("AB\u{200B}CD"))
        var builder = MappedText.Builder(capacity: 4)
        builder.copy(0..<2, of: original)
        builder.noteRemoval(.zeroWidth)
        builder.copy(5..<7, of: original)
        let view = builder.build()
        // Then: "ABCD", where "BC" spans the removed character and only "C" carries the step
        #expect(view.bytes == Self.bytes("ABCD"))
        #expect(view.sourceRange(of: 0..<4) == 0..<7)
        #expect(view.sourceRange(of: 1..<3) == 1..<6)
        #expect(view.sourceRange(of: 3..<4) == 6..<7)
        #expect(view.obfuscation(in: 0..<2).isEmpty)
        #expect(view.obfuscation(in: 1..<3) == .zeroWidth)
        #expect(view.obfuscation(in: 2..<3) == .zeroWidth)
    }

    @Test func aByteMadeFromSeveralMapsToAllOfThem() {
        // Given: fullwidth "Ａ" (3 bytes) folded to "A", then "%42" decoded to "B"
        let original = MappedText(original: Self.bytes("xＡ%42"))
        var builder = MappedText.Builder(capacity: 2)
        builder.append(0x41, from: original, 1..<4, adding: .compatibility)
        builder.append(0x42, from: original, 4..<7, adding: .urlEncoded)
        let view = builder.build()
        #expect(view.bytes == Self.bytes("AB"))
        #expect(view.sourceRange(of: 0..<1) == 1..<4)
        #expect(view.sourceRange(of: 1..<2) == 4..<7)
        #expect(view.obfuscation(in: 0..<2) == [.compatibility, .urlEncoded])
    }

    @Test func viewsOfViewsMapStraightToTheOriginal() {
        // Given: "a%2541b" → (url-decode) "a%41b" → (url-decode) "aAb"
        let original = MappedText(original: Self.bytes("a%2541b"))
        var first = MappedText.Builder(capacity: 5)
        first.copy(0..<1, of: original)
        first.append(0x25, from: original, 1..<4, adding: .urlEncoded)
        first.copy(4..<7, of: original)
        let level1 = first.build()
        #expect(level1.bytes == Self.bytes("a%41b"))
        var second = MappedText.Builder(capacity: 3)
        second.copy(0..<1, of: level1)
        second.append(0x41, from: level1, 1..<4, adding: .urlEncoded)
        second.copy(4..<5, of: level1)
        let level2 = second.build()
        // Then: the decoded "A" came from "%2541", all 5 original bytes
        #expect(level2.bytes == Self.bytes("aAb"))
        #expect(level2.sourceRange(of: 1..<2) == 1..<6)
        #expect(level2.sourceRange(of: 0..<3) == 0..<7)
        #expect(level2.obfuscation(in: 1..<2) == .urlEncoded)
    }

    @Test func separatorsMapNowhereAndRangesCoverOutOfOrderBytes() {
        let original = MappedText(original: Self.bytes("0123456789"))
        var builder = MappedText.Builder(capacity: 5)
        builder.copy(6..<8, of: original)
        builder.appendSeparator(0x0A)
        builder.copy(2..<4, of: original)
        let view = builder.build()
        #expect(view.sourceRange(of: 2..<3) == nil)
        #expect(view.sourceRange(of: 1..<4) == 2..<8)
        #expect(view.sourceRange(of: 0..<5) == 2..<8)
    }

    @Test func truncateDropsARejectedRunAndExtendLastCoversPadding() {
        let original = MappedText(original: Self.bytes("QUJD== rest"))
        var builder = MappedText.Builder(capacity: 8)
        builder.append(0x41, from: original, 0..<2, adding: .base64)
        builder.append(0x42, from: original, 1..<3, adding: .base64)
        builder.append(0x43, from: original, 2..<4, adding: .base64)
        builder.extendLast(over: 4..<6, of: original)
        let mark = builder.count
        builder.appendSeparator(0x0A)
        builder.append(0x00, from: original, 7..<9, adding: .base64)
        builder.truncate(to: mark)
        let view = builder.build()
        #expect(view.bytes == Self.bytes("ABC"))
        #expect(view.sourceRange(of: 0..<3) == 0..<6)
        #expect(view.sourceRange(of: 2..<3) == 2..<6)
    }
}
