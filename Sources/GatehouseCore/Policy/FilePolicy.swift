/// What files an agent may send: where they may live, how big they may be, which kinds.
public struct FilePolicy: Sendable, Equatable {
    /// Absolute, symlink-resolved directories a file must lie under. Empty means no file may be sent.
    public var roots: [String]
    /// The largest file, in bytes, counted on the bytes actually read.
    public var maxBytes: Int
    /// Allowed extensions, lower-cased with a leading dot (".pdf").
    public var allowedExtensions: [String]
    /// `files.unscannable`: what happens to a file whose content cannot be scanned (an image, a PDF).
    public var unscannable: SecretAction

    public init(roots: [String], maxBytes: Int, allowedExtensions: [String], unscannable: SecretAction = .warn) {
        self.roots = roots
        self.maxBytes = maxBytes
        self.allowedExtensions = allowedExtensions
        self.unscannable = unscannable
    }
}
