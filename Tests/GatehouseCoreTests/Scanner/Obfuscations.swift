import Foundation

/// Ways people (and agents told to get a secret past a filter) disguise a secret in a chat message.
///
/// Each one rewrites only the secret; ``apply(to:secret:)`` puts the rewritten secret back into its message and
/// says where it sits, so a recall test can ask whether a finding covers it. Deterministic: no randomness.
enum Obfuscation: String, CaseIterable, Sendable, CustomStringConvertible {
    case plain
    /// U+200B ZERO WIDTH SPACE after every 3 characters.
    case zeroWidth = "zero-width"
    /// ASCII `!`…`~` as their fullwidth forms U+FF01…U+FF5E (what an IME or a "fancy text" site produces).
    case fullwidth
    /// Latin letters swapped for the Cyrillic or Greek letter drawn the same (`a`→`а`, `K`→`К`, `N`→`Ν`);
    /// letters and digits without a look-alike stay as they are.
    case homoglyph
    /// A space after every 4 characters, as people read keys out or as some apps wrap them.
    case spacedEvery4 = "spaced-4"
    /// Broken over two lines in the middle.
    case splitLines = "split-lines"
    /// Wrapped in WhatsApp bold markers: `*secret*`.
    case insideBold = "inside-bold"
    /// Bold markers around the middle third: `AKIA*XXXXXX*XXXXXX`.
    case boldInside = "bold-inside"
    /// Every byte percent-encoded (`%41%4B%49%41…`); encoding only reserved characters would leave most
    /// tokens unchanged, which tests nothing.
    case urlEncoded = "url-encoded"
    /// Standard base64 of the UTF-8 bytes, with padding.
    case base64
    /// Lower-case hex of the UTF-8 bytes.
    case hex

    var description: String { rawValue }

    /// The secret as this obfuscation writes it.
    func transform(_ secret: String) -> String {
        switch self {
        case .plain:
            return secret
        case .zeroWidth:
            return Self.inserting("\u{200B}", every: 3, into: secret)
        case .fullwidth:
            return String(
                String.UnicodeScalarView(
                    secret.unicodeScalars.map {
                        (0x21...0x7E).contains($0.value) ? Unicode.Scalar($0.value + 0xFEE0)! : $0
                    }
                )
            )
        case .homoglyph:
            return String(String.UnicodeScalarView(secret.unicodeScalars.map { Self.homoglyphs[$0] ?? $0 }))
        case .spacedEvery4:
            return Self.inserting(" ", every: 4, into: secret)
        case .splitLines:
            let characters = Array(secret)
            let middle = characters.count / 2
            return String(characters[..<middle]) + "\n" + String(characters[middle...])
        case .insideBold:
            return "*" + secret + "*"
        case .boldInside:
            let characters = Array(secret)
            let third = characters.count / 3
            return String(characters[..<third]) + "*" + String(characters[third..<(2 * third)]) + "*"
                + String(characters[(2 * third)...])
        case .urlEncoded:
            return secret.utf8.map { "%" + Self.hexByte($0, upper: true) }.joined()
        case .base64:
            return Data(secret.utf8).base64EncodedString()
        case .hex:
            return secret.utf8.map { Self.hexByte($0, upper: false) }.joined()
        }
    }

    /// `message` with the first occurrence of `secret` replaced by its obfuscated form, and the UTF-8 byte
    /// range that form occupies in the result; nil when `secret` is not in `message`.
    func apply(to message: String, secret: String) -> (message: String, span: Range<Int>)? {
        let bytes = Array(message.utf8)
        let needle = Array(secret.utf8)
        guard !needle.isEmpty, needle.count <= bytes.count,
            let start = (0...(bytes.count - needle.count)).first(where: {
                bytes[$0..<($0 + needle.count)].elementsEqual(needle)
            })
        else { return nil }
        let replacement = Array(transform(secret).utf8)
        let result = Array(bytes[..<start]) + replacement + Array(bytes[(start + needle.count)...])
        return (String(decoding: result, as: UTF8.self), start..<(start + replacement.count))
    }

    private static func inserting(_ separator: String, every n: Int, into text: String) -> String {
        var out = ""
        for (i, character) in text.enumerated() {
            if i > 0 && i % n == 0 { out += separator }
            out.append(character)
        }
        return out
    }

    private static func hexByte(_ byte: UInt8, upper: Bool) -> String {
        let digits = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Latin letter → the Cyrillic (or, where Cyrillic has none, Greek) letter that renders the same.
    static let homoglyphs: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(Character, Character)] = [
            // Lower case: Cyrillic а с е о р х у і ј ѕ ԁ һ ӏ, Greek ν.
            ("a", "а"), ("c", "с"), ("e", "е"), ("o", "о"), ("p", "р"), ("x", "х"), ("y", "у"), ("i", "і"),
            ("j", "ј"), ("s", "ѕ"), ("d", "ԁ"), ("h", "һ"), ("l", "ӏ"), ("v", "ν"),
            // Upper case: Cyrillic А В С Е Н І Ј К М О Р Ѕ Т Х У, Greek Ζ Ν.
            ("A", "А"), ("B", "В"), ("C", "С"), ("E", "Е"), ("H", "Н"), ("I", "І"), ("J", "Ј"), ("K", "К"),
            ("M", "М"), ("O", "О"), ("P", "Р"), ("S", "Ѕ"), ("T", "Т"), ("X", "Х"), ("Y", "У"), ("Z", "Ζ"),
            ("N", "Ν"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (latin, lookalike) in pairs { table[latin.unicodeScalars.first!] = lookalike.unicodeScalars.first! }
        return table
    }()
}
