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
    /// The bytes read, kept for the content scan; nil when there were more than ``scanLimit``.
    public var bytes: [UInt8]?

    /// The most bytes kept in memory for the content scan; a larger file is unscannable.
    public static let scanLimit = 64 << 20

    public init(
        byteCount: Int, sha256: String, kind: FileKind, exceededCap: Bool, spoolPath: String? = nil, bytes: [UInt8]? = nil
    ) {
        self.byteCount = byteCount
        self.sha256 = sha256
        self.kind = kind
        self.exceededCap = exceededCap
        self.spoolPath = spoolPath
        self.bytes = bytes
    }
}

extension FileContent {
    /// The text the content scan reads: the file's own text, or why there is none.
    public func text(extension ext: String) -> FileText {
        guard let bytes else {
            return .unscannable(reason: "larger than the \(Self.scanLimit >> 20) MiB that are scanned")
        }
        return FileTextExtractor.extract(bytes: bytes, kind: kind, extension: ext)
    }
}
