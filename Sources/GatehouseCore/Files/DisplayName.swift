import Foundation  // NFKD only (`decomposedStringWithCompatibilityMapping`); the stdlib has no normaliser.

/// The name a recipient sees for a sent file: ASCII-safe, without directories, never empty.
///
/// The name comes from the agent (or from an inbound sender), so it is treated as hostile: directories
/// are stripped (both `/` and `\`), the text is decomposed (NFKD) so accented Latin keeps its base letters,
/// and anything outside `[A-Za-z0-9 ._()-]` becomes `_`. A name with no letter or digit left (Thai,
/// "..", "") becomes `file_<first 8 hex of SHA-256 of the name>`. The extension is kept, lower-cased,
/// because transports route media by it; the whole name is at most ``maxLength`` characters.
public enum DisplayName {
    public static let maxLength = 100
    /// Longest extension kept, without the dot; a longer "extension" is just part of the name.
    static let maxExtensionLength = 10

    public static func sanitize(_ name: String) -> String {
        let base = lastComponent(name)
        var stem = base
        var ext = ""
        if let dot = base.lastIndex(of: "."), dot != base.startIndex {
            let candidate = asciiFolded(String(base[base.index(after: dot)...]))
            if (1...maxExtensionLength).contains(candidate.count),
                candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                ext = "." + candidate.lowercased()
                stem = String(base[..<dot])
            }
        }

        var safe = ""
        for ch in asciiFolded(stem) {
            let keep = ch.isASCII && (ch.isLetter || ch.isNumber || " ._()-".contains(ch))
            let out: Character = keep ? ch : "_"
            if out == "_" && safe.last == "_" { continue }
            safe.append(out)
        }
        safe = trimmed(safe)
        if !safe.contains(where: { $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            let digest = _SHA256.hash(Array(base.utf8)).prefix(4).map { hex($0) }.joined()
            safe = "file_" + digest
        }
        let room = maxLength - ext.count
        if safe.count > room { safe = trimmed(String(safe.prefix(room))) }
        return safe + ext
    }

    /// The text after the last `/` or `\`, so "../../etc/passwd" and "..\\evil.exe" lose their directories.
    private static func lastComponent(_ name: String) -> String {
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return parts.last.map(String.init) ?? ""
    }

    /// NFKD, then drop combining marks: "Café" → "Cafe", "ﬁ" → "fi". Other non-ASCII stays, to be replaced.
    private static func asciiFolded(_ text: String) -> String {
        let scalars = text.decomposedStringWithCompatibilityMapping.unicodeScalars.filter {
            switch $0.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: false
            default: true
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// No leading dot (hidden file), dash (option-like) or space; no trailing dot or space.
    private static func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, " .-_".contains(c) { s = s.dropFirst() }
        while let c = s.last, " ._".contains(c) { s = s.dropLast() }
        return String(s)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
