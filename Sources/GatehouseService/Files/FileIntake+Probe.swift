import GatehouseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIntake {
    /// Gathers the facts ``FileCheck/precheck(_:policy:)`` needs, without opening the file.
    ///
    /// Every directory on the way is `lstat`ed as written (before `..` is folded), which is the walk the
    /// kernel would make, so a symlinked parent is seen even when `..` steps back out of it. The walk stops
    /// at the first symlink or missing component. A malformed path is reported in
    /// ``FileProbe/pathProblem``, not thrown.
    ///
    /// - Throws: ``FileIntakeError`` with code `probeFailed` when `lstat` fails other than with "not there"
    ///   (for example `EACCES` on a directory the server may not search).
    public func probe(path: String) throws -> FileProbe {
        var probe = FileProbe(requestedPath: path)
        if let problem = FilePathRules.problem(with: path) {
            probe.pathProblem = problem
            return probe
        }
        guard let expanded = FilePathRules.expandingTilde(path, home: home) else {
            probe.pathProblem =
                path == "~" || path.hasPrefix("~/")
                ? "~ cannot be expanded because HOME is not set to an absolute path; give an absolute path"
                : "~user paths are not supported; give an absolute path"
            return probe
        }
        if expanded != path, let problem = FilePathRules.problem(with: expanded) {
            probe.pathProblem = "after expanding ~, " + problem
            return probe
        }
        probe.absolutePath = expanded

        let parts = expanded.split(separator: "/", omittingEmptySubsequences: true)
        var prefix = ""
        for part in parts.dropLast() {
            prefix += "/" + part
            switch POSIX.lstat(prefix) {
            case .success(let status) where status.type == .symlink:
                probe.symlinkInPath = prefix
                return probe
            case .success:
                continue
            case .failure(let failure):
                return try absent(probe, failure, at: prefix)
            }
        }

        let status: POSIX.Status
        switch POSIX.lstat(expanded) {
        case .success(let found): status = found
        case .failure(let failure): return try absent(probe, failure, at: expanded)
        }
        probe.nodeType = status.type
        probe.isSymlink = status.type == .symlink
        probe.size = status.size
        probe.identity = status.identity
        probe.linkCount = status.linkCount
        probe.resolvedPath = POSIX.realpath(expanded)
        return probe
    }

    /// Turns an `lstat` failure into "not found" (or a path problem) where that is what it means.
    private func absent(_ probe: FileProbe, _ failure: POSIX.Failure, at path: String) throws -> FileProbe {
        var probe = probe
        switch failure.errno {
        case ENOENT, ENOTDIR:
            return probe
        case ELOOP:
            probe.symlinkInPath = path
            return probe
        case ENAMETOOLONG:
            probe.pathProblem = "the path is too long for the file system"
            probe.absolutePath = nil
            return probe
        default:
            throw FileIntakeError(
                .probeFailed,
                "cannot inspect '\(FilePathRules.shown(path))'; the gatehouse process must be able to search "
                    + "every directory up to the file",
                errno: failure.errno
            )
        }
    }
}
