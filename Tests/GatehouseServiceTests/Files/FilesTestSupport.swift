import Foundation
import GatehouseCore
import GatehouseService

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real, symlink-resolved temporary directory laid out as `<base>/share` (the root),
/// `<base>/outside` and `<base>/state/spool`, removed when the value is released.
final class FilesSandbox {
    let base: String
    var root: String { base + "/share" }
    var outside: String { base + "/outside" }
    var spool: String { base + "/state/spool" }

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/gatehouse-files-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        // realpath: on macOS the temporary directory sits behind the /var → /private/var symlink.
        base = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func policy(maxBytes: Int = 4_096, extensions: [String] = [".pdf", ".png", ".txt", ".jpg"]) -> FilePolicy {
        FilePolicy(roots: [root], maxBytes: maxBytes, allowedExtensions: extensions)
    }

    func intake(home: String? = nil) -> FileIntake {
        FileIntake(spoolDirectory: spool, home: home)
    }

    @discardableResult
    func write(_ path: String, _ bytes: [UInt8]) throws -> String {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return path
    }

    func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// Every regular file under the spool, so tests can prove nothing was (or was left) copied.
    func spoolFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: spool) else { return [] }
        return walker.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: spool + "/" + $0, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

enum FileSamples {
    static let pdf = Array("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
    static let exe: [UInt8] = Array("MZ".utf8) + [0x90, 0, 3, 0, 0, 0, 4, 0] + Array("This program cannot be run".utf8)
    static let text = Array("meeting notes\n".utf8)
}

/// Runs `body` on its own thread and waits at most `seconds`; nil means it did not return in time.
/// Used to prove that opening a FIFO does not block, without hanging the suite if it does.
func runWithFileDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
    let box = FileDeadlineBox<T>()
    let done = DispatchSemaphore(value: 0)
    Thread {
        let value = body()
        box.lock.withLock { box.value = value }
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.lock.withLock { box.value }
}

private final class FileDeadlineBox<T: Sendable>: @unchecked Sendable {
    let lock = NSLock()
    var value: T?
}
