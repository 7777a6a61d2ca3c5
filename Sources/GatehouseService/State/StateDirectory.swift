import Crypto
import Foundation
import GatehouseCore

/// The state directory: store, keys, default outbox, file spool. Created 0700, key files 0600.
public struct StateDirectory: Sendable {
    public let path: String

    public var databasePath: String { path + "/gatehouse.sqlite" }
    public var keysPath: String { path + "/keys" }
    public var defaultOutbox: String { path + "/outbox" }
    public var spoolPath: String { path + "/spool" }
    /// Inbound records ingest delivered, one JSON file each (``InboxSpool``).
    public var inboxPath: String { path + "/inbox" }
    public var quarantinePath: String { path + "/quarantine" }
    /// The default drop folder (`inbound.drop_dir`).
    public var dropPath: String { path + "/drop" }

    /// `--state-dir`, else `GATEHOUSE_HOME`, else `~/.gatehouse`.
    public static func resolve(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let home = environment["GATEHOUSE_HOME"], !home.isEmpty { return home }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.gatehouse"
    }

    /// Names a directory without creating anything (to report on one, or to serve refusals from one
    /// that cannot be opened).
    public init(unchecked path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Opens the directory, creating it and its private subfolders as needed.
    public init(path: String) throws {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        for folder in [self.path, keysPath, spoolPath] {
            try Self.makePrivateDirectory(folder)
        }
    }

    public static func makePrivateDirectory(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StateError("\(folder) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            // Another process may have made it first.
            guard FileManager.default.fileExists(atPath: folder) else {
                throw StateError("cannot create the state directory \(folder): \(error.localizedDescription)")
            }
        }
    }

    /// The audit key. It is made only with a new store: a store whose key is lost cannot be
    /// extended or verified with a new one, and making one silently would hide that.
    public func auditKey() throws -> AuditChainKey {
        let storeExists = FileManager.default.fileExists(atPath: databasePath)
        return AuditChainKey(bytes: try key(named: "audit.key", create: !storeExists))
    }
    public func confirmationKey() throws -> ConfirmationTokenKey { ConfirmationTokenKey(bytes: try key(named: "confirm.key")) }

    /// The Ed25519 key that signs audit checkpoints; made on first use when `create` is true.
    public func checkpointKey(create: Bool) throws -> Curve25519.Signing.PrivateKey {
        let bytes = try key(named: "checkpoint.ed25519", create: create)
        return try Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
    }

    /// Reads a 32-byte key, creating it once if absent. Creation uses O_EXCL and a rename, so
    /// processes starting together agree on one key and never read a half-written file.
    func key(named name: String, create: Bool = true) throws -> [UInt8] {
        let file = keysPath + "/" + name
        if let existing = try readKey(file) { return existing }
        guard create else {
            throw StateError("\(file) is missing but the store \(databasePath) exists; restore the key from a backup")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let temporary = file + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StateError("cannot create key file \(temporary): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
        fsync(fd)
        close(fd)
        guard written == 32 else {
            unlink(temporary)
            throw StateError("cannot write key file \(file)")
        }
        // link() fails if another process won the race; then its key is the key.
        if link(temporary, file) != 0 && errno != EEXIST {
            unlink(temporary)
            throw StateError("cannot install key file \(file): \(String(cString: strerror(errno)))")
        }
        unlink(temporary)
        guard let key = try readKey(file) else { throw StateError("key file \(file) vanished") }
        return key
    }

    func readKey(_ file: String) throws -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: file) else {
            if FileManager.default.fileExists(atPath: file) { throw StateError("key file \(file) cannot be read") }
            return nil
        }
        guard data.count == 32 else { throw StateError("key file \(file) is damaged (expected 32 bytes, found \(data.count))") }
        return Array(data)
    }
}

public struct StateError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
