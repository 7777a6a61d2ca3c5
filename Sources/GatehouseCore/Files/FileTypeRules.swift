/// Which content kinds each file extension may carry.
///
/// An extension is only worth allowing if Gatehouse can check that the bytes agree with it, so this
/// table is also the list of extensions a config may name: ``expectedKinds(forExtension:)`` returning nil
/// means "no content check known", and the config layer rejects such an extension. Active formats
/// (.html, .svg, .js) and executables are deliberately absent.
public enum FileTypeRules {
    private static let table: [String: Set<FileKind>] = [
        ".pdf": [.pdf],
        ".png": [.png],
        ".jpg": [.jpeg], ".jpeg": [.jpeg],
        ".gif": [.gif],
        ".webp": [.webp],
        ".zip": [.zip],
        ".docx": [.zip], ".xlsx": [.zip], ".pptx": [.zip],
        ".odt": [.zip], ".ods": [.zip], ".odp": [.zip],
        ".doc": [.ole], ".xls": [.ole], ".ppt": [.ole],
        ".txt": [.text], ".csv": [.text], ".tsv": [.text], ".md": [.text], ".json": [.text], ".log": [.text],
        ".mp3": [.mp3],
        ".ogg": [.ogg], ".oga": [.ogg], ".opus": [.ogg],
        ".mp4": [.isoMedia], ".m4a": [.isoMedia], ".mov": [.isoMedia], ".3gp": [.isoMedia],
    ]

    /// Every extension with a content check, sorted, for help texts and `gatehouse check`.
    public static var knownExtensions: [String] { table.keys.sorted() }

    /// The kinds a file with this extension may contain, or nil if Gatehouse knows no check for it.
    /// Accepts ".pdf", "pdf" or ".PDF".
    public static func expectedKinds(forExtension ext: String) -> Set<FileKind>? {
        guard let key = normalizedExtension(ext) else { return nil }
        return table[key]
    }

    /// Lower-cases and adds the leading dot; nil for an empty extension.
    public static func normalizedExtension(_ ext: String) -> String? {
        let bare = ext.hasPrefix(".") ? String(ext.dropFirst()) : ext
        guard !bare.isEmpty, !bare.contains(".") else { return nil }
        return "." + bare.lowercased()
    }

    /// The extension of a path's last component, as ".pdf", or nil when it has none.
    ///
    /// A leading dot names a hidden file, not an extension (".pdf" alone has none), and only the last
    /// dot counts (`a.pdf.exe` is ".exe").
    public static func fileExtension(ofPath path: String) -> String? {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        guard !ext.isEmpty else { return nil }
        return "." + ext.lowercased()
    }
}
