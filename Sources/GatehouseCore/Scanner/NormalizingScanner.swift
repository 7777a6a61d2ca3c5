import Foundation

/// Scans the text as written and, when it differs, a folded copy: format characters (zero-width,
/// bidi controls, soft hyphens) removed and NFKC applied, so `AKIA\u{200B}…` or a fullwidth key
/// is still a key.
///
/// Findings in the folded copy cannot be mapped back to offsets in the original yet (the full
/// mapping comes with the scanner issue), so such a finding covers the whole text: redaction then
/// hides all of it, which errs on the safe side.
public struct NormalizingScanner: ContentScanner {
    let base: any ContentScanner

    public init(_ base: any ContentScanner = SecretScanner()) { self.base = base }

    public func scan(_ text: String) -> [Finding] {
        let direct = base.scan(text)
        // ASCII is its own NFKC form and holds no format characters: nothing to fold.
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return direct }
        let folded = Self.fold(text)
        guard folded != text else { return direct }
        let known = Set(direct.map(\.kind))
        let hidden = base.scan(folded).filter { !known.contains($0.kind) }
        let whole = 0..<text.utf8.count
        return direct + hidden.map {
            Finding(kind: $0.kind, category: $0.category, severity: $0.severity, range: whole, masked: $0.masked + " (obfuscated)")
        }
    }

    static func fold(_ text: String) -> String {
        let kept = text.unicodeScalars.filter {
            !($0.properties.generalCategory == .format || $0.properties.isDefaultIgnorableCodePoint)
        }
        return String(String.UnicodeScalarView(kept)).precomposedStringWithCompatibilityMapping
    }
}
