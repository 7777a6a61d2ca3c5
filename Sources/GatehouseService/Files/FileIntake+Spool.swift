import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open, exclusively created spool file being written.
final class SpoolCopy {
    let path: String
    private var fd: Int32

    init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { if fd >= 0 { _ = systemClose(fd) } }

    func write(_ bytes: ArraySlice<UInt8>) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw FileIntakeError(.spoolWriteFailed, "writing the spool copy '\(path)' failed", errno: code)
                }
                offset += n
            }
        }
    }

    func close() throws {
        guard fd >= 0 else { return }
        let result = systemClose(fd)
        let code = errno
        fd = -1
        if result != 0 && code != EINTR {
            throw FileIntakeError(.spoolWriteFailed, "closing the spool copy '\(path)' failed", errno: code)
        }
    }
}

extension FileIntake {
    /// Removes a spool copy made by ``spool(_:policy:)`` and its private directory.
    ///
    /// Refuses any path that is not `<spoolDirectory>/<dir>/<name>`, so a mistaken caller cannot delete
    /// other files. A copy that is already gone is not an error.
    public func removeSpoolCopy(at path: String) throws {
        let normalized = FilePathRules.lexicallyNormalized(path)
        let spool = FilePathRules.lexicallyNormalized(spoolDirectory)
        let depth = normalized.split(separator: "/").count - spool.split(separator: "/").count
        guard path.hasPrefix("/"), FilePathRules.isInside(normalized, root: spool), depth == 2 else {
            throw FileIntakeError(
                .removeFailed,
                "'\(FilePathRules.shown(path))' is not a spool copy under '\(FilePathRules.shown(spoolDirectory))'"
            )
        }
        if unlink(normalized) != 0 && errno != ENOENT {
            throw FileIntakeError(.removeFailed, "cannot remove the spool copy '\(normalized)'", errno: errno)
        }
        let directory = String(normalized[..<(normalized.lastIndex(of: "/") ?? normalized.endIndex)])
        if rmdir(directory) != 0 && errno != ENOENT {
            throw FileIntakeError(.removeFailed, "cannot remove the spool directory '\(directory)'", errno: errno)
        }
    }

    /// Creates `<spoolDirectory>/<random>/<name>` exclusively: directory 0700, file 0600.
    func makeSpoolCopy(named name: String) throws -> SpoolCopy {
        try ensureSpoolDirectory()
        var directory = ""
        for attempt in 0..<4 {
            directory = spoolDirectory + "/" + Self.randomHex()
            if mkdir(directory, 0o700) == 0 { break }
            let code = errno
            if code != EEXIST || attempt == 3 {
                throw FileIntakeError(
                    .spoolUnavailable,
                    "cannot create a directory in the spool '\(spoolDirectory)'",
                    errno: code
                )
            }
        }
        _ = chmod(directory, 0o700)
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            _ = rmdir(directory)
            throw FileIntakeError(.spoolUnavailable, "cannot create the spool copy '\(path)'", errno: code)
        }
        _ = fchmod(fd, 0o600)
        return SpoolCopy(path: path, fd: fd)
    }

    /// Creates the spool directory (and missing parents) 0700, then insists it is a real directory owned
    /// by this user that nobody else may enter: another user who could list it could read the copies.
    func ensureSpoolDirectory() throws {
        guard spoolDirectory.hasPrefix("/"), FilePathRules.problem(with: spoolDirectory) == nil else {
            throw FileIntakeError(
                .spoolUnavailable,
                "the spool directory '\(FilePathRules.shown(spoolDirectory))' must be an absolute path"
            )
        }
        var prefix = ""
        for part in spoolDirectory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw FileIntakeError(.spoolUnavailable, "cannot create the spool directory '\(prefix)'", errno: errno)
            }
        }
        switch POSIX.lstat(spoolDirectory) {
        case .failure(let failure):
            throw FileIntakeError(
                .spoolUnavailable,
                "cannot inspect the spool directory '\(spoolDirectory)'",
                errno: failure.errno
            )
        case .success(let status):
            guard status.type == .directory else {
                throw FileIntakeError(
                    .spoolUnavailable,
                    "the spool directory '\(spoolDirectory)' is not a directory (a symlink is refused)"
                )
            }
            guard status.owner == UInt32(geteuid()) else {
                throw FileIntakeError(
                    .spoolUnavailable,
                    "the spool directory '\(spoolDirectory)' is owned by another user; give it to the gatehouse user"
                )
            }
            guard status.permissions & 0o077 == 0 else {
                throw FileIntakeError(
                    .spoolUnavailable,
                    "the spool directory '\(spoolDirectory)' is open to other users; run chmod 700 on it"
                )
            }
        }
    }

    static func randomHex() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
private let systemClose = Glibc.close
#elseif canImport(Musl)
private let systemWrite = Musl.write
private let systemClose = Musl.close
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
private let systemClose = Darwin.close
#endif
