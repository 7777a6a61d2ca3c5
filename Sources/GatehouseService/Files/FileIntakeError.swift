/// A genuine I/O fault while probing, reading or spooling a file: not a denial, which is a normal answer.
///
/// Thrown, for example, when the spool directory cannot be created or a read fails with `EIO`. The caller
/// should refuse the send and report "internal error"; `message` is for the operator's log and says what
/// to fix. It never contains file contents.
public struct FileIntakeError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String {
            case probeFailed = "probe_failed"
            case openFailed = "open_failed"
            case readFailed = "read_failed"
            case spoolUnavailable = "spool_unavailable"
            case spoolWriteFailed = "spool_write_failed"
            case removeFailed = "remove_failed"
            case rootUnavailable = "root_unavailable"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `lstat` failed for a reason other than "not there" (typically `EACCES` on a directory).
        public static let probeFailed = Code(.probeFailed)
        /// The file passed the checks but could not be opened (typically `EACCES`).
        public static let openFailed = Code(.openFailed)
        /// `read` or `fstat` failed on the open file.
        public static let readFailed = Code(.readFailed)
        /// The spool directory is missing and cannot be created, or is unsafe (not 0700, not ours, a symlink).
        public static let spoolUnavailable = Code(.spoolUnavailable)
        /// Writing the private copy failed (disk full, quota).
        public static let spoolWriteFailed = Code(.spoolWriteFailed)
        /// A spool copy could not be removed, or the path given is not a spool copy.
        public static let removeFailed = Code(.removeFailed)
        /// A configured root is relative, missing or not a directory (``FileIntake/resolveRoot(_:home:)``).
        public static let rootUnavailable = Code(.rootUnavailable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What went wrong and how it may be remedied.
    public let message: String
    /// The `errno` behind the fault, if any.
    public let errno: Int32?
    public let file: String
    public let line: Int

    init(_ code: Code, _ message: String, errno: Int32? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.errno = errno
        self.file = file
        self.line = line
    }

    public var description: String {
        let cause = errno.map { " (\(POSIX.describe($0)))" } ?? ""
        return "FileIntakeError.\(code): \(message)\(cause) [\(file):\(line)]"
    }
}
