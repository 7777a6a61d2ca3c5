import Foundation
import Testing

@testable import GatehouseCore

/// Extraction throughput on a large .docx, for release builds:
///
///     python3 Tests/GatehouseCoreTests/Fixtures/make_office_fixtures.py --benchmark /tmp/bench.docx
///     GATEHOUSE_FILE_BENCH=/tmp/bench.docx swift test -c release -Xswiftc -enable-testing --filter FileTextBenchmark
@Suite("FileTextBenchmark")
struct FileTextBenchmark {
    static let path = ProcessInfo.processInfo.environment["GATEHOUSE_FILE_BENCH"]

    /// The best of five runs of `body`, in seconds.
    static func best(_ body: () throws -> Void) rethrows -> Double {
        var best = Duration.seconds(1000)
        for _ in 0..<5 {
            let start = ContinuousClock.now
            try body()
            best = min(best, ContinuousClock.now - start)
        }
        return Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    }

    static func report(_ label: String, megabytes: Double, seconds: Double) {
        print(String(format: "FileTextBenchmark: %@ %.2f MB in %.3f s: %.1f MB/s", label, megabytes, seconds, megabytes / seconds))
    }

    @Test(.enabled(if: path != nil)) func extractLargeDocx() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path!)))
        let megabytes = Double(bytes.count) / 1_048_576
        var characters = 0
        let whole = Self.best {
            if case .text(let text, _) = FileTextExtractor.extract(bytes: bytes, kind: .zip, extension: "docx") {
                characters = text.utf8.count
            }
        }
        Self.report("extract (file size)", megabytes: megabytes, seconds: whole)
        print(String(format: "FileTextBenchmark: text out %.2f MB", Double(characters) / 1_048_576))

        // Where the time goes, on the main part.
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entry(named: "word/document.xml"))
        var xml: [UInt8] = []
        let inflate = try Self.best {
            var budget = InflateBudget(limit: 64 << 20)
            xml = try archive.contents(of: entry, budget: &budget)
        }
        let xmlMegabytes = Double(xml.count) / 1_048_576
        Self.report("inflate+crc (output size)", megabytes: xmlMegabytes, seconds: inflate)
        Self.report("crc32 alone", megabytes: xmlMegabytes, seconds: Self.best { _ = CRC32.checksum(xml) })
        var text: [UInt8] = []
        Self.report(
            "xml text (input size)", megabytes: xmlMegabytes,
            seconds: try Self.best { text = try XMLTextExtractor.text(of: xml, profile: .wordprocessing) })
        Self.report(
            "utf-8 check (text size)", megabytes: Double(text.count) / 1_048_576,
            seconds: Self.best { _ = ContentSniffer.isText(text[...], isWholeFile: true) })

        // Worst case per input byte: a new dynamic block (and table rebuild) every ~12 bytes.
        let tiny = DeflateBitWriter.tinyDynamicBlocks(400_000)
        Self.report(
            "tiny dynamic blocks (input size)", megabytes: Double(tiny.count) / 1_048_576,
            seconds: try Self.best { _ = try Inflater.inflate(tiny, limit: 1 << 20) })
    }
}
