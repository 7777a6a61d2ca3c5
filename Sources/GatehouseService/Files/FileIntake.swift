import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files for sending, once, under the rules of a ``FilePolicy``.
///
/// The steps, each usable alone and all run by ``vet(path:policy:mode:)``:
/// 1. ``probe(path:)``: `lstat` every component and `realpath`, without opening anything.
/// 2. ``FileCheck/precheck(_:policy:)``: path, roots, extension, symlinks, type, `lstat` size.
/// 3. ``inspect(_:policy:)`` (preview) or ``spool(_:policy:)`` (send): open with `O_NOFOLLOW | O_NONBLOCK`,
///    confirm by `fstat` that it is the same regular file that was probed, then read it once, at most
///    `maxBytes + 1` bytes, hashing, sniffing and (send) copying to a private spool file as it goes.
/// 4. ``FileCheck/contentCheck(_:extension:policy:)``: size on the bytes read, magic bytes vs extension.
///
/// All calls block on file I/O; they are bounded by `maxBytes`. A denial is returned, never thrown;
/// ``FileIntakeError`` is thrown only for I/O faults.
public struct FileIntake: Sendable {
    /// Preview reads and hashes without keeping a copy; send keeps the copy the transport must use.
    public enum Mode: Sendable {
        case preview
        case send
    }

    /// The directory private copies go in (`<state-dir>/spool`); created 0700 on first use.
    public let spoolDirectory: String
    /// Expands a leading `~/` in requested paths; nil refuses such paths.
    public let home: String?

    static let chunkSize = 64 * 1024

    /// - Parameters:
    ///   - spoolDirectory: An absolute path that only this process's user may enter. It must not lie
    ///     inside a file root, or one send's copy could be named by the next.
    ///   - home: Defaults to the process's `HOME`.
    public init(spoolDirectory: String, home: String? = FileIntake.processHome()) {
        self.spoolDirectory =
            spoolDirectory.hasPrefix("/") ? FilePathRules.lexicallyNormalized(spoolDirectory) : spoolDirectory
        self.home = home
    }

    /// Turns a configured root (`files.roots`) into the form ``FilePolicy/roots`` requires: `~` expanded,
    /// symlinks resolved, and an existing directory.
    ///
    /// Resolving matters because the file check refuses any symlink on the way to a file and compares real
    /// paths: an unresolved root such as macOS's `/tmp/share` (really `/private/tmp/share`) would match nothing.
    /// - Throws: ``FileIntakeError`` `rootUnavailable` if the root is relative, missing or not a directory;
    ///   treat that as a config error, never as "no restriction".
    public static func resolveRoot(_ root: String, home: String? = FileIntake.processHome()) throws -> String {
        let shown = "'\(FilePathRules.shown(root))'"
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard FilePathRules.problem(with: trimmed) == nil,
            let expanded = FilePathRules.expandingTilde(trimmed, home: home), expanded.hasPrefix("/")
        else {
            throw FileIntakeError(.rootUnavailable, "files.roots entry \(shown) must be an absolute path")
        }
        guard let real = POSIX.realpath(expanded) else {
            throw FileIntakeError(.rootUnavailable, "files.roots entry \(shown) does not exist", errno: errno)
        }
        guard case .success(let status) = POSIX.lstat(real), status.type == .directory else {
            throw FileIntakeError(.rootUnavailable, "files.roots entry \(shown) is not a directory")
        }
        return real
    }

    /// The process's `HOME`, if set.
    public static func processHome() -> String? {
        getenv("HOME").map { String(cString: $0) }
    }

    /// Probes, prechecks, reads once and checks the content: the one call a send or preview needs.
    ///
    /// In send mode an accepted file's ``VettedFile/spoolPath`` must be removed by the caller after the
    /// transport is done with it; on a denial no copy is left behind.
    public func vet(path: String, policy: FilePolicy, mode: Mode) throws -> FileVetting {
        let probe = try self.probe(path: path)
        let outcome = try mode == .send ? spool(probe, policy: policy) : inspect(probe, policy: policy)
        let content: FileContent
        switch outcome {
        case .denied(let denial): return .denied(denial)
        case .read(let read): content = read
        }
        // The read step ran the precheck, so the resolved path and its extension exist.
        let resolved = probe.resolvedPath ?? ""
        let ext = FileTypeRules.fileExtension(ofPath: resolved) ?? ""
        if let denial = FileCheck.contentCheck(content, extension: ext, policy: policy) {
            if let copy = content.spoolPath { try removeSpoolCopy(at: copy) }
            return .denied(denial)
        }
        return .accepted(
            VettedFile(
                requestedPath: path,
                resolvedPath: resolved,
                displayName: Self.displayName(forResolvedPath: resolved),
                fileExtension: ext,
                content: content
            )
        )
    }

    /// The recipient-facing name of a resolved path; also the spool copy's name, so transports that take
    /// the name from the file (the bridge does) show the safe one.
    static func displayName(forResolvedPath path: String) -> String {
        DisplayName.sanitize(String(path.split(separator: "/").last ?? ""))
    }
}
