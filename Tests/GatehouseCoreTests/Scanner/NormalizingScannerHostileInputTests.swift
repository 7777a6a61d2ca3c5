import Foundation
import GatehouseCore
import Testing

/// Hostile inputs for the folded and decoded views: each must come back with the right result (a quadratic
/// view or an unbounded decode shows up as a test that does not finish). Timing is measured in release builds.
@Suite("NormalizingScanner on hostile input")
struct NormalizingScannerHostileInputTests {
    let scanner = NormalizingScanner()
    static let size = 1 << 20

    static func repeated(_ unit: String, toAtLeast bytes: Int = size) -> String {
        String(repeating: unit, count: bytes / unit.utf8.count + 1)
    }

    static let randomBase64: String = {
        var f = ScannerFixtures(seed: 5)
        return Data((0..<(size * 3 / 4)).map { _ in UInt8(truncatingIfNeeded: f.next()) }).base64EncodedString()
    }()

    @Test(arguments: [
        "4", "%41", "%2541", "%", "%4", "\u{200B}", "a\u{200B}", "\u{202E}\u{200B}\u{00AD}", "a ", "A ", "1 ", "a\n",
        "-eyJ", "eyJ ", "_a_ ", "*a* ", "a*", "``a", "Ａ", "𝐀", "а", "AKIА ", "A\u{0336}", "QUJD", "QUJD ", "4142",
        "ghp_ ", "xoxb -", "AKIA IOSF ", "sk- ", "ab12 ", "Ab1 cd2 ", "+", "=", "_", "-----BEGIN ",
    ])
    func hostileRepetitionFindsNothing(unit: String) {
        #expect(scanner.scan(Self.repeated(unit)) == [])
    }

    @Test func megabyteOfRandomBase64IsSkipped() {
        #expect(scanner.scan(Self.randomBase64) == [])
        // Also broken into MIME lines, which the folded view rejoins.
        let lines = stride(from: 0, to: Self.randomBase64.utf8.count, by: 76).map {
            let start = Self.randomBase64.utf8.index(Self.randomBase64.startIndex, offsetBy: $0)
            let end = Self.randomBase64.utf8.index(start, offsetBy: min(76, Self.randomBase64.utf8.count - $0))
            return String(Self.randomBase64[start..<end])
        }
        #expect(scanner.scan(lines.joined(separator: "\r\n")) == [])
    }

    @Test func megabyteTokenIsOneRunAndFindsNothing() {
        var f = ScannerFixtures(seed: 6)
        #expect(scanner.scan(f.string(ScannerFixtures.base62, Self.size)) == [])
        #expect(scanner.scan("ghp_" + f.string(ScannerFixtures.base62, Self.size)) == [])
    }

    @Test func base64OfTextNestedEverywhereStaysWithinBudget() {
        // Base64 of base64 of … of prose: every level decodes to text, the budget stops it.
        var text = String(repeating: "nothing to see here, ", count: 2000)
        for _ in 0..<6 { text = Data(text.utf8).base64EncodedString() }
        #expect(scanner.scan(text) == [])
    }

    @Test func denseDisguisedKeysAreAllFound() {
        // 5,000 keys, each disguised a different way, separated so no two join.
        var f = ScannerFixtures(seed: 8)
        var parts: [String] = []
        for i in 0..<5000 {
            let key = f.awsAccessKeyID()
            switch i % 5 {
            case 0: parts.append(String(key.prefix(6)) + "\u{200B}" + String(key.dropFirst(6)))
            case 1: parts.append(ObfuscationTests.Disguise.spacedEvery4.apply(key).text)
            case 2: parts.append(ObfuscationTests.Disguise.fullwidth.apply(key).text)
            case 3: parts.append(ObfuscationTests.Disguise.base64.apply(key).text)
            default: parts.append(ObfuscationTests.Disguise.urlEncoded.apply(key).text)
            }
        }
        let message = parts.joined(separator: " ; ")
        let findings = scanner.scan(message)
        #expect(findings.count == 5000)
        #expect(Set(findings.map(\.kind)) == ["aws-access-key-id"])
        #expect(findings.map(\.range) == parts.reduce(into: (ranges: [Range<Int>](), offset: 0)) { acc, part in
            acc.ranges.append(acc.offset..<(acc.offset + part.utf8.count))
            acc.offset += part.utf8.count + 3
        }.ranges)
    }

    @Test func spacedKeysSeparatedByWordsAreEachFound() {
        var f = ScannerFixtures(seed: 9)
        let keys = (0..<2000).map { _ in f.awsAccessKeyID() }
        let message = keys.map { ObfuscationTests.Disguise.spacedEvery1.apply($0).text }.joined(separator: " and ")
        #expect(scanner.scan(message).count == 2000)
    }
}
