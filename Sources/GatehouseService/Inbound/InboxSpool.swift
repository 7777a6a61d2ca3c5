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

    /// Writes the records, each unless one with its id is already there (a record handled twice),
    /// and returns those its own schema refuses (ingest never writes what the server would refuse).
    ///
    /// Durable as one: every file is written under a temporary name, the file system is synced once,
    /// then each is renamed into place and the folder synced. A crash leaves whole records or none.
    public func write(_ records: [InboxRecord]) throws -> [(InboxRecord, SchemaError)] {
        guard !records.isEmpty else { return [] }
        try StateDirectory.makePrivateDirectory(inbox)
        var refused: [(InboxRecord, SchemaError)] = []
        var staged: [(temporary: String, path: String)] = []
        defer { for entry in staged { unlink(entry.temporary) } }
        for record in records {
            let text = record.json.canonical
            if case .failure(let problem) = InboxRecord.validate(text, maxTextCharacters: maxTextCharacters) {
                refused.append((record, SchemaError("the record ingest built fails its own schema: \(problem.description)")))
                continue
            }
            let path = inbox + "/" + record.id + ".json"
            if FileManager.default.fileExists(atPath: path) || staged.contains(where: { $0.path == path }) { continue }
            let temporary = inbox + "/.tmp-\(getpid())-" + record.id
            // Group-readable, so a server running as another user in ingest's group can read it
            // (docs/inbound.md); the state directory itself stays private unless the owner opens it.
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o640)
            guard fd >= 0 else { throw InboundError("cannot write the spool file \(temporary): \(String(cString: strerror(errno)))") }
            staged.append((temporary, path))
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    close(fd)
                    throw InboundError("cannot write the spool file \(temporary): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
            // Not synced one by one: one sync of the file system below covers the whole batch.
            close(fd)
        }
        guard !staged.isEmpty else { return refused }
        let folder = open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw InboundError("cannot open the spool folder \(inbox)") }
        defer { close(folder) }
        guard Self.syncFileSystem(folder, staged.map(\.temporary)) else {
            throw InboundError("cannot sync the spool: \(String(cString: strerror(errno)))")
        }
        for entry in staged {
            guard rename(entry.temporary, entry.path) == 0 else {
                throw InboundError("cannot place the spool file \(entry.path): \(String(cString: strerror(errno)))")
            }
        }
        staged = []
        guard fsync(folder) == 0 else { throw InboundError("cannot sync the spool folder: \(String(cString: strerror(errno)))") }
        return refused
    }

    /// Linux's `syncfs` (one journal commit for the whole batch), looked up at run time because
    /// Glibc's module map hides it; where it is missing, each file is synced on its own.
    private static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    static func syncFileSystem(_ folder: Int32, _ files: [String]) -> Bool {
        if let syncfs = syncfsFunction { return syncfs(folder) == 0 }
        for file in files {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            guard fsync(fd) == 0 else { return false }
        }
        return true
    }

    /// Keeps what failed, for a person to look at: the reason, a hash and a sanitised prefix of the raw bytes.
    public func quarantine(name: String, raw: [UInt8], reason: String, source: String, now: Date) throws {
        try StateDirectory.makePrivateDirectory(quarantine)
        let prefix = InboundText.sanitize(String(decoding: raw.prefix(4096), as: UTF8.self), maxCharacters: 4096).text
        let body = JSONValue.object([
            "reason": .string(reason), "source": .string(source), "quarantined_at": .string(AuditTime.format(now)),
            "raw_sha256": .string(SHA256.hash(data: raw).hexString), "raw": .string(prefix), "raw_size": .int(raw.count),
        ])
        let safeName = String(name.prefix(80).map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        let stamp = String(Int64(now.timeIntervalSince1970 * 1_000_000))
        try AtomicFile.write(Data(body.canonical.utf8), to: quarantine + "/\(stamp)-\(safeName).reason.json")
    }

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
