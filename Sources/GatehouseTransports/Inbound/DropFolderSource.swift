import Foundation
import GatehouseCore

/// The drop folder: any receiver writes one JSON file per event (`gatehouse.drop/1`), atomically
/// (a dot-prefixed temporary name, then a rename to `*.json`). Files are taken in name order and
/// removed once handled.
public struct DropFolderSource: InboundSource {
    public let directory: String
    public var name: String { "drop" }

    public init(directory: String) { self.directory = directory }

    public func poll(limit: Int) throws -> (items: [SourceItem], commit: SourceCommit) {
        // Directories are left alone: only what can be removed once handled is taken.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") && !Self.isDirectory(directory + "/" + $0) }
            .sorted()
            .prefix(limit)
        var items: [SourceItem] = []
        for fileName in names {
            let path = directory + "/" + fileName
            switch Self.readFile(path) {
            case .failure(let reason):
                items.append(SourceItem(.malformed(name: fileName, raw: [], reason: reason.description), file: path))
            case .success(let bytes):
                switch DropEvent.parse(String(decoding: bytes, as: UTF8.self)) {
                case .success(let event) where String(validating: bytes, as: UTF8.self) != nil:
                    items.append(SourceItem(.event(event), file: path, raw: bytes))
                case .success:
                    items.append(SourceItem(.malformed(name: fileName, raw: bytes, reason: "not valid UTF-8"), file: path))
                case .failure(let problem):
                    items.append(SourceItem(.malformed(name: fileName, raw: bytes, reason: problem.description), file: path))
                }
            }
        }
        return (items, .nothing)
    }

    /// The file's bytes if it is a regular file (not a link) within the size limit.
    static func readFile(_ path: String) -> Result<[UInt8], SchemaError> {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(SchemaError("cannot be opened (a link, or unreadable)")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .failure(SchemaError("not a regular file")) }
        guard info.st_size <= DropEvent.maximumBytes else {
            return .failure(SchemaError("larger than \(DropEvent.maximumBytes) bytes; not read"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + total, $0.count - total) }
            if count < 0 { return .failure(SchemaError("read failed")) }
            if count == 0 { break }
            total += count
        }
        guard total <= DropEvent.maximumBytes else { return .failure(SchemaError("larger than \(DropEvent.maximumBytes) bytes; not read")) }
        return .success(Array(bytes[..<total]))
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes a handled file. False when it is still there (no permission): the caller stops
    /// rather than handle it again and again. A file already gone is fine (another ingest took it).
    public static func remove(_ path: String) -> Bool {
        unlink(path) == 0 || errno == ENOENT
    }
}
