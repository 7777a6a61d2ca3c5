import Foundation

/// Inbound text made safe to hand to an agent as data: NFC, no control, bidi or zero-width
/// characters, and a length cap. It is still untrusted; this only removes what could hide or
/// reorder what a reader sees.
public enum InboundText {
    public struct Sanitized: Sendable, Equatable {
        public let text: String
        public let truncated: Bool
    }

    /// `maxCharacters`: characters (grapheme clusters) kept; the rest is cut.
    public static func sanitize(_ raw: String, maxCharacters: Int) -> Sanitized {
        // Characters are removed before normalising, so what is left is NFC. Scalars past a generous
        // bound are cut first, so a hostile run of combining marks cannot make normalising slow.
        let bound = maxCharacters * 4 + 64
        var scalars = String.UnicodeScalarView()
        var kept = 0
        var cut = false
        for scalar in raw.unicodeScalars where keeps(scalar) {
            if kept == bound {
                cut = true
                break
            }
            scalars.append(scalar)
            kept += 1
        }
        let clean = String(scalars).precomposedStringWithCanonicalMapping
        if cut { return Sanitized(text: String(clean.prefix(maxCharacters)), truncated: true) }
        guard clean.count > maxCharacters else { return Sanitized(text: clean, truncated: false) }
        return Sanitized(text: String(clean.prefix(maxCharacters)), truncated: true)
    }

    /// A name or label: one line, at most 64 characters.
    public static func label(_ raw: String) -> String {
        let oneLine = raw.map { $0.isNewline || $0 == "\t" ? " " : $0 }
        return sanitize(String(oneLine), maxCharacters: 64).text.trimmingWhitespace()
    }

    static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return true
        case 0x00...0x1F, 0x7F...0x9F: return false  // C0 and C1 controls
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return false  // bidi controls
        case 0x200B...0x200D, 0x2060, 0xFEFF: return false  // zero-width
        case 0xE0000...0xE007F, 0xFFF9...0xFFFB: return false  // tag characters, interlinear annotations
        default:
            // Anything else a reader would not see (variation selectors, fillers, invisible operators).
            return !scalar.properties.isDefaultIgnorableCodePoint
        }
    }
}
