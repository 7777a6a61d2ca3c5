/// The stable codes of the file check (docs/interface.md, "Reason codes").
extension DenialCode {
    /// `files.roots` is empty, so no file may be sent.
    public static let fileNoRoots = DenialCode("file.no_roots")
    /// The file (as named, or once resolved) is not below any configured root.
    public static let fileOutsideRoots = DenialCode("file.outside_roots")
    /// The file, or a directory on the way to it, is a symbolic link.
    public static let fileSymlink = DenialCode("file.symlink")
    /// Nothing exists at the path, or it vanished or was replaced before it could be read.
    public static let fileNotFound = DenialCode("file.not_found")
    /// The path names a directory, FIFO, socket or device instead of a regular file.
    public static let fileNotRegular = DenialCode("file.not_regular")
    /// The extension is not in `files.allowed_ext`, or Gatehouse has no content check for it.
    public static let fileExtensionNotAllowed = DenialCode("file.extension_not_allowed")
    /// The bytes are not what the extension claims (or are an executable).
    public static let fileContentMismatch = DenialCode("file.content_mismatch")
    /// The file is larger than `files.max_size_mb`.
    public static let fileTooLarge = DenialCode("file.too_large")
    /// The file has more than one hard link, so it may really live outside the roots.
    public static let fileHardLink = DenialCode("file.hard_link")
    /// The file could not be read safely (an I/O fault, not a policy refusal).
    public static let fileUnreadable = DenialCode("file.unreadable")
    /// The file's content cannot be scanned (an image, a PDF) and `files.unscannable` is `block`.
    public static let fileUnscannable = DenialCode("file.unscannable")
    /// The path is empty, relative, too long or contains NUL or control characters.
    public static let filePathInvalid = DenialCode("file.path_invalid")
}
