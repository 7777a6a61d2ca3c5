import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseService

/// `gatehouse scan`: the gate's content check on its own, for CI hooks, pre-commit and batch review.
///
/// Judged under the config's `secrets:` policy when a config is found (else the defaults), exactly as
/// the gate would judge a message. Findings carry UTF-8 byte offsets and a masked value, never the value.
struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan text for secrets and personal data; exit 0 clean, 1 would block, 2 error.",
        discussion: """
            Reads standard input, or each FILE (text, or the text of .docx/.xlsx/.pptx), and prints one JSON
            object per input: {"source", "block", "findings": [{kind, category, family, severity, action,
            start, end, masked}]}. Offsets are UTF-8 byte offsets into the text scanned.
            With --jsonl, each input line {"id": ..., "text": ...} gives one output line
            {"id": ..., "block": true|false, "findings": [...]}, in order, flushed per line; a line that is
            not such an object gives {"id": ..., "error": "..."} and the exit status 2 at the end.
            """)

    @OptionGroup var locations: Locations
    @Flag(name: .long, help: "Batch mode: JSON lines in, JSON lines out.") var jsonl = false
    @Flag(name: .long, help: "List the detectors and exit.") var list = false
    @Argument(help: "Files to scan (default: standard input).") var files: [String] = []

    func run() async throws {
        if list {
            for detector in Detector.builtin {
                let fields: [String: JSONValue] = [
                    "kind": .string(detector.id), "family": .string(detector.family.rawValue),
                    "category": .string(detector.category.rawValue), "severity": .string(detector.severity.rawValue),
                    "summary": .string(detector.summary),
                ]
                print(JSONValue.object(fields).canonical)
            }
            return
        }
        let policy: Policy
        do {
            policy = try scanPolicy()
        } catch {
            FileHandle.standardError.write(Data("gatehouse scan: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let judge = ContentJudge(policy: policy, scanner: NormalizingScanner())
        if jsonl {
            guard files.isEmpty else {
                FileHandle.standardError.write(Data("gatehouse scan: --jsonl reads standard input only\n".utf8))
                throw ExitCode(2)
            }
            throw ExitCode(ScanBatch(judge: judge).run())
        }
        var worst: Int32 = 0
        let inputs: [(source: String, read: () throws -> ScannedText)] =
            files.isEmpty
            ? [("stdin", { .text(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)) })]
            : files.map { path in (path, { try ScannedText.read(path: path) }) }
        for input in inputs {
            var fields: [String: JSONValue] = ["source": .string(input.source)]
            do {
                switch try input.read() {
                case .text(let text):
                    let verdict = judge.judge(text)
                    fields["block"] = .bool(!verdict.blocking.isEmpty)
                    fields["findings"] = .array(verdict.findings.map { ScanOutput.json($0, judge: judge) })
                    worst = max(worst, verdict.blocking.isEmpty ? 0 : 1)
                case .unscannable(let reason):
                    fields["block"] = .bool(policy.files.unscannable == .block)
                    fields["unscannable"] = .string(reason)
                    fields["findings"] = .array([])
                    worst = max(worst, policy.files.unscannable == .block ? 1 : 0)
                }
            } catch {
                fields["error"] = .string("\(error)")
                worst = 2
            }
            print(JSONValue.object(fields).canonical)
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    /// The config's policy when there is a config; the defaults when none was asked for and none exists.
    private func scanPolicy() throws -> Policy {
        let path = locations.configPath
        let named = locations.config != nil || locations.environment["GATEHOUSE_CONFIG"] != nil
            || locations.environment["WA_GUARD_CONFIG"] != nil
        guard named || FileManager.default.fileExists(atPath: path) else { return Policy() }
        switch ConfigSource(path: path, environment: locations.environment).current() {
        case .valid(let policy): return policy
        case .invalid(let error): throw ScanError(error.description)
        }
    }
}

struct ScanError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a scanned input held: text, or a reason it has none that can be scanned.
enum ScannedText {
    case text(String)
    case unscannable(String)

    /// The largest file read; the gate's own limit is in the config (`files.max_size_mb`).
    static let maximumBytes = 256 << 20

    static func read(path: String) throws -> ScannedText {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ScanError("\(path) cannot be opened") }
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        guard data.count <= maximumBytes else { throw ScanError("\(path) is larger than \(maximumBytes) bytes") }
        let bytes = [UInt8](data)
        let ext = (path as NSString).pathExtension
        switch FileTextExtractor.extract(bytes: bytes, kind: ContentSniffer.sniff(bytes), extension: ext) {
        case .text(let text, _): return .text(text)
        case .unscannable(let reason): return .unscannable(reason)
        }
    }
}

/// The JSON shape of a finding, shared by single and batch output.
enum ScanOutput {
    static func json(_ finding: Finding, judge: ContentJudge) -> JSONValue {
        .object([
            "kind": .string(finding.kind),
            "category": .string(finding.category.rawValue),
            "family": ContentJudge.family(ofKind: finding.kind).map { .string($0.rawValue) } ?? .null,
            "severity": .string(finding.severity.rawValue),
            "action": .string(judge.action(for: finding).rawValue),
            "start": .int(finding.range.lowerBound),
            "end": .int(finding.range.upperBound),
            "masked": .string(finding.masked),
        ])
    }
}

/// `--jsonl`: one verdict per input line, in order, written as soon as it is known.
struct ScanBatch {
    let judge: ContentJudge
    /// A line longer than this is refused, not read into memory whole.
    static let maximumLineBytes = 16 << 20

    /// Returns the exit status: 2 if any line was malformed, else 1 if any would block, else 0.
    func run() -> Int32 {
        var status: Int32 = 0
        var reader = LineReader(handle: FileHandle.standardInput, maximumLineBytes: Self.maximumLineBytes)
        while let line = reader.next() {
            let output: JSONValue
            switch line {
            case .tooLong:
                output = .object(["id": .null, "error": .string("line longer than \(Self.maximumLineBytes) bytes")])
                status = 2
            case .line(let bytes):
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let (value, failed) = verdict(String(decoding: bytes, as: UTF8.self))
                output = value
                if failed { status = 2 } else if case .object(let fields) = value, fields["block"] == .bool(true), status == 0 { status = 1 }
            }
            FileHandle.standardOutput.write(Data((output.canonical + "\n").utf8))
        }
        return status
    }

    private func verdict(_ line: String) -> (JSONValue, failed: Bool) {
        guard case .object(let fields)? = JSONParser.parse(line) else {
            return (.object(["id": .null, "error": .string("not a JSON object")]), true)
        }
        let id = fields["id"] ?? .null
        guard case .string(let text)? = fields["text"] else {
            return (.object(["id": id, "error": .string("\"text\" must be a string")]), true)
        }
        let verdict = judge.judge(text)
        return (
            .object([
                "id": id, "block": .bool(!verdict.blocking.isEmpty),
                "findings": .array(verdict.findings.map { ScanOutput.json($0, judge: judge) }),
            ]), false
        )
    }
}

/// Reads a handle line by line in bounded memory; an over-long line is skipped to its end.
struct LineReader {
    enum Line {
        case line([UInt8])
        case tooLong
    }

    let handle: FileHandle
    let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var skipping = false

    init(handle: FileHandle, maximumLineBytes: Int) {
        self.handle = handle
        self.maximumLineBytes = maximumLineBytes
    }

    mutating func next() -> Line? {
        var current: [UInt8] = []
        while true {
            if position == buffer.count {
                if finished { return current.isEmpty && !skipping ? nil : finish(current) }
                let chunk = handle.availableData
                if chunk.isEmpty {
                    finished = true
                    continue
                }
                buffer = [UInt8](chunk)
                position = 0
            }
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                if !skipping { current.append(contentsOf: buffer[position..<newline]) }
                position = newline + 1
                return finish(current)
            }
            if !skipping { current.append(contentsOf: buffer[position...]) }
            position = buffer.count
            if current.count > maximumLineBytes {
                skipping = true
                current = []
            }
        }
    }

    private mutating func finish(_ line: [UInt8]) -> Line {
        defer { skipping = false }
        return skipping || line.count > maximumLineBytes ? .tooLong : .line(line)
    }
}
