/// What the I/O layer learned by reading a file once, for ``FileCheck/contentCheck(_:extension:policy:)``.
///
/// Everything here describes one pass over one open descriptor, so the digest, the sniffed kind and the
/// spool copy all describe the same bytes even if the source file changes afterwards.
public struct FileContent: Sendable, Equatable {
    /// Bytes read. When ``exceededCap`` is set, reading stopped one byte past the cap.
    public var byteCount: Int
    /// Lower-case hex SHA-256 of the bytes read; the whole file's digest only when ``exceededCap`` is false.
    public var sha256: String
    /// What the first ``ContentSniffer/prefixLength`` bytes say the file is.
    public var kind: FileKind
    /// The file had more bytes than `FilePolicy.maxBytes`.
    public var exceededCap: Bool
    /// The private copy that was written while reading (send mode); nil in preview mode.
    public var spoolPath: String?

    public init(byteCount: Int, sha256: String, kind: FileKind, exceededCap: Bool, spoolPath: String? = nil) {
        self.byteCount = byteCount
        self.sha256 = sha256
        self.kind = kind
        self.exceededCap = exceededCap
        self.spoolPath = spoolPath
    }
}
