/// Pure rules for the path an agent names: what is well-formed, how `~` expands, what "inside a root" means.
///
/// Paths are compared as UTF-8 bytes, never as Swift `String`s: `String ==` applies Unicode canonical
/// equivalence, so "café" in NFC and NFD would compare equal although they are two different directories.
public enum FilePathRules {
    /// Longest accepted path in bytes; Linux's PATH_MAX (4096) counts the terminating NUL.
    public static let maxPathBytes = 4095
    /// Longest accepted component in bytes (NAME_MAX on Linux and macOS).
    public static let maxComponentBytes = 255

    /// Why `path` cannot be used as written, or nil if it is well-formed. Checks the text only.
    ///
    /// Control characters are refused as well as NUL, because the path is echoed in details and the audit.
    public static func problem(with path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        let bytes = Array(path.utf8)
        if bytes.contains(0) { return "the path contains a NUL byte" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "the path contains a control character" }
        if bytes.count > maxPathBytes { return "the path is longer than \(maxPathBytes) bytes" }
        if bytes.split(separator: UInt8(ascii: "/")).contains(where: { $0.count > maxComponentBytes }) {
            return "a path component is longer than \(maxComponentBytes) bytes"
        }
        if path.count > 1 && path.hasSuffix("/") { return "the path ends with '/'; name a file, not a directory" }
        if !path.hasPrefix("/") && !path.hasPrefix("~") {
            return "the path is relative; give an absolute path (or one starting with ~/)"
        }
        return nil
    }

    /// Expands a leading `~` or `~/` with `home`; other paths are returned unchanged.
    ///
    /// Returns nil when the path needs `home` and it is missing or not absolute, and for `~user/…`,
    /// which would need a user database lookup.
    public static func expandingTilde(_ path: String, home: String?) -> String? {
        guard path.hasPrefix("~") else { return path }
        guard path == "~" || path.hasPrefix("~/") else { return nil }
        guard let home, home.hasPrefix("/") else { return nil }
        let base = home.count > 1 && home.hasSuffix("/") ? String(home.dropLast()) : home
        let rest = path.dropFirst()  // "" or "/…"
        return base == "/" && rest.hasPrefix("/") ? String(rest) : base + rest
    }

    /// Removes `.`, empty components and `..` (with its parent) without consulting the file system.
    ///
    /// Equal to the real path only when no component is a symlink, which the file check separately requires.
    public static func lexicallyNormalized(_ absolutePath: String) -> String {
        var parts: [Substring] = []
        for part in absolutePath.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// True if `path` lies strictly below `root`, comparing whole components: `/a/bc` is not inside `/a/b`.
    ///
    /// A root that is not absolute contains nothing (fail closed). Both sides are normalised lexically first.
    public static func isInside(_ path: String, root: String) -> Bool {
        guard path.hasPrefix("/"), root.hasPrefix("/") else { return false }
        let rootParts = components(lexicallyNormalized(root))
        let pathParts = components(lexicallyNormalized(path))
        return pathParts.count > rootParts.count && zip(rootParts, pathParts).allSatisfy { $0 == $1 }
    }

    /// The first root that contains `path`, if any.
    public static func containingRoot(of path: String, roots: [String]) -> String? {
        roots.first { isInside(path, root: $0) }
    }

    /// A path made safe to echo in a detail: control characters become `?`, and long paths keep their ends.
    public static func shown(_ path: String, limit: Int = 160) -> String {
        let clean = String(
            String.UnicodeScalarView(
                path.unicodeScalars.map { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) ? "?" : $0 }
            )
        )
        guard clean.count > limit else { return clean }
        let half = (limit - 1) / 2
        return String(clean.prefix(half)) + "…" + String(clean.suffix(half))
    }

    private static func components(_ path: String) -> [[UInt8]] {
        Array(path.utf8).split(separator: UInt8(ascii: "/")).map(Array.init)
    }
}
