/// What files an agent may send: where they may live, how big they may be, which kinds.
public struct FilePolicy: Sendable, Equatable {
    /// Absolute, symlink-resolved directories a file must lie under. Empty means no file may be sent.
    public var roots: [String]
    /// The largest file, in bytes, counted on the bytes actually read.
    public var maxBytes: Int
    /// Allowed extensions, lower-cased with a leading dot (".pdf").
    public var allowedExtensions: [String]

    public init(roots: [String], maxBytes: Int, allowedExtensions: [String]) {
        self.roots = roots
        self.maxBytes = maxBytes
        self.allowedExtensions = allowedExtensions
    }
}
