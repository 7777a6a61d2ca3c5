import Foundation

/// The form in which recipient names are compared: NFKC, case-folded, inner white space collapsed.
///
/// Names match exactly in this form, never by substring, so "Al" never reaches "Alice" and a
/// fullwidth "Ａｌｉｃｅ" is the same name as "alice".
public struct NameKey: Hashable, Sendable {
    public let value: String

    public init(_ name: String) {
        let folded = name.precomposedStringWithCompatibilityMapping.lowercased()
        value = folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
