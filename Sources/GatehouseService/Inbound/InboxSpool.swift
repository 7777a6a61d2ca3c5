import Crypto
import Foundation
import GatehouseCore
import GatehouseTransports

/// The one-way spool between ingest and the MCP server: `<state>/inbox/<id>.json`, one record per
/// file, each written atomically; and `<state>/quarantine/` for what failed validation.
///
/// Ingest only writes here and the server only reads, re-validating every record against the
/// schema, so a record that was tampered with on disk is skipped rather than handed to the agent.
public struct InboxSpool: Sendable {
    public let inbox: String
    public let quarantine: String
    public let maxTextCharacters: Int

    public init(state: StateDirectory, maxTextCharacters: Int) {
        self.inbox = state.inboxPath
        self.quarantine = state.quarantinePath
        self.maxTextCharacters = maxTextCharacters
    }

    /// Writes the record unless one with its id is already there (a record handled twice).
    /// The record is validated first: ingest never writes what the server would refuse.
    public func write(_ record: InboxRecord) throws {
        let text = record.json.canonical
        if case .failure(let problem) = InboxRecord.validate(text, maxTextCharacters: maxTextCharacters) {
            throw SchemaError("the record ingest built fails its own schema: \(problem.description)")
        }
        try StateDirectory.makePrivateDirectory(inbox)
        let path = inbox + "/" + record.id + ".json"
        if FileManager.default.fileExists(atPath: path) { return }
        // Group-readable, so a server running as another user in ingest's group can read it
        // (docs/inbound.md); the state directory itself stays private unless the owner opens it.
        try AtomicFile.write(Data(text.utf8), to: path, mode: 0o640)
    }

    /// Keeps what failed, for a person to look at: the reason, a hash and a sanitised prefix of the raw bytes.
    public func quarantine(name: String, raw: [UInt8], reason: String, source: String, now: Date) throws {
        try StateDirectory.makePrivateDirectory(quarantine)
        let prefix = InboundText.sanitize(String(decoding: raw.prefix(4096), as: UTF8.self), maxCharacters: 4096).text
        let body = JSONValue.object([
            "reason": .string(reason), "source": .string(source), "quarantined_at": .string(AuditTime.format(now)),
            "raw_sha256": .string(Self.sha256(raw)), "raw": .string(prefix), "raw_size": .int(raw.count),
        ])
        let safeName = String(name.prefix(80).map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        let stamp = String(Int64(now.timeIntervalSince1970 * 1_000_000))
        try AtomicFile.write(Data(body.canonical.utf8), to: quarantine + "/\(stamp)-\(safeName).reason.json")
    }

    static func sha256(_ bytes: [UInt8]) -> String { Array(SHA256.hash(data: bytes)).hexString }

    /// Every valid record, oldest first (by `received_at`, then id), and how many files were skipped as invalid.
    public func read() -> (records: [InboxRecord], invalid: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: inbox) else { return ([], 0) }
        var records: [InboxRecord] = []
        var invalid = 0
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: inbox + "/" + name), data.count <= 1 << 20,
                let text = String(data: data, encoding: .utf8),
                case .success(let record) = InboxRecord.validate(text, maxTextCharacters: max(maxTextCharacters, 65_536)),
                name == record.id + ".json"
            else {
                invalid += 1
                continue
            }
            records.append(record)
        }
        records.sort { ($0.receivedAt, $0.id) < ($1.receivedAt, $1.id) }
        return (records, invalid)
    }
}
