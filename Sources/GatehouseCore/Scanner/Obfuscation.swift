/// The ways a secret can be disguised that ``NormalizingScanner`` undoes, recorded per byte of a derived view
/// (``MappedText``) so a finding says how its secret was hidden: `AKIA…[20 chars] (zero-width, split)`.
///
/// Two kinds of step: a *substitution* marks the bytes it produced (a fullwidth letter folded, a byte decoded);
/// a *removal* (an invisible character, a formatting marker, a whitespace gap) leaves no byte, so it marks the
/// byte that follows it.
struct Obfuscation: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    /// Zero-width spaces and joiners, word joiners, BOMs, variation selectors, tags, other default-ignorables.
    static let zeroWidth = Obfuscation(rawValue: 1 << 0)
    /// Bidirectional controls (U+200E/200F, U+202A–202E, U+2066–2069, U+061C).
    static let bidi = Obfuscation(rawValue: 1 << 1)
    /// U+00AD SOFT HYPHEN.
    static let softHyphen = Obfuscation(rawValue: 1 << 2)
    /// Combining diacritics stacked on letters (strike-through `A̶`, underline, accents).
    static let combiningMark = Obfuscation(rawValue: 1 << 3)
    /// Compatibility forms NFKC folds to ASCII: fullwidth `Ａ`, mathematical `𝐀`, circled `Ⓐ`, superscripts.
    static let compatibility = Obfuscation(rawValue: 1 << 4)
    /// Cyrillic, Greek and other look-alikes of Latin letters and digits inside a Latin token.
    static let homoglyph = Obfuscation(rawValue: 1 << 5)
    /// WhatsApp formatting markers (`*`, `~`, backticks, italic `_`) inside or around a token.
    static let formatting = Obfuscation(rawValue: 1 << 6)
    /// Whitespace inside a token: spaced out, or broken over lines.
    static let split = Obfuscation(rawValue: 1 << 7)
    /// Percent-encoding (`%41%4B…`).
    static let urlEncoded = Obfuscation(rawValue: 1 << 8)
    /// Base64 or base64url.
    static let base64 = Obfuscation(rawValue: 1 << 9)
    /// Hexadecimal.
    static let hex = Obfuscation(rawValue: 1 << 10)

    private static let names: [(Obfuscation, String)] = [
        (.zeroWidth, "zero-width"), (.bidi, "bidi"), (.softHyphen, "soft-hyphen"), (.combiningMark, "combining-mark"),
        (.compatibility, "compatibility-form"), (.homoglyph, "homoglyph"), (.formatting, "formatting"),
        (.split, "split"), (.base64, "base64"), (.hex, "hex"), (.urlEncoded, "url-encoded"),
    ]

    /// The step names in a fixed order, e.g. `["zero-width", "split"]`; public words, never text.
    var labels: [String] { Self.names.compactMap { contains($0.0) ? $0.1 : nil } }
}
