/// What folding does with one non-ASCII scalar: the per-scalar half of ``ScalarFolder``.
///
/// One table lookup per scalar (a 128 KB table for the Basic Multilingual Plane, built once from the ranges
/// below in well under a millisecond, and a few range checks above it), so folding a megabyte of CJK or emoji
/// costs about as much as reading it. No Foundation call at run time: NFKC comes from ``CompatibilityFolds``.
enum ScalarFold {
    /// A scalar's entry: the action in the top 4 bits, its operand in the low 12.
    typealias Entry = UInt16

    enum Action: UInt16 {
        /// Not folded (letters of other scripts, CJK, emoji, punctuation).
        case keep = 0
        /// Invisible: removed next to ASCII text. The operand is the ``Obfuscation`` raw value.
        case ignorable = 1
        /// A Unicode space: a gap between chunks, kept as written.
        case space = 2
        /// A combining diacritic: removed after an ASCII letter or digit.
        case mark = 3
        /// NFKC gives one ASCII byte, the operand.
        case compatibilityByte = 4
        /// NFKC gives several ASCII bytes: the operand indexes ``strings``.
        case compatibilityString = 5
        /// A look-alike of the ASCII byte in the operand; folded only inside a chunk that has ASCII letters or digits.
        case homoglyph = 6
    }

    @inline(__always) static func action(_ entry: Entry) -> Action { Action(rawValue: entry >> 12) ?? .keep }
    @inline(__always) static func operand(_ entry: Entry) -> UInt16 { entry & 0x0FFF }

    @inline(__always) private static func make(_ action: Action, _ operand: UInt16 = 0) -> Entry {
        action.rawValue << 12 | operand
    }

    /// The entry for a non-ASCII scalar.
    @inline(__always) static func entry(_ scalar: UInt32) -> Entry {
        scalar < 0x10000 ? basicPlane[Int(scalar)] : supplementaryEntry(scalar)
    }

    private static func supplementaryEntry(_ scalar: UInt32) -> Entry {
        switch scalar {
        case 0x107A5, 0x1D400...0x1D7FF, 0x1F100...0x1F1FF, 0x1FBF0...0x1FBF9:
            return supplementaryCompatibility[scalar] ?? 0
        case 0x110BD, 0x110CD, 0x13430...0x1343F, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return make(.ignorable, Obfuscation.zeroWidth.rawValue)
        default:
            return 0
        }
    }

    /// The ASCII bytes of each multi-byte compatibility fold.
    static let strings: [[UInt8]] = CompatibilityFolds.strings.map { Array($0.ascii.utf8) }

    // MARK: Ranges

    /// Default-ignorable code points and format characters (general category Cf), except the soft hyphen and
    /// bidi controls, which are listed apart for their labels.
    static let zeroWidthRanges: [ClosedRange<UInt32>] = [
        0x034F...0x034F, 0x0600...0x0605, 0x06DD...0x06DD, 0x070F...0x070F, 0x0890...0x0891, 0x08E2...0x08E2,
        0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F, 0x200B...0x200D, 0x2060...0x2065, 0x206A...0x206F,
        0x3164...0x3164, 0xFE00...0xFE0F, 0xFEFF...0xFEFF, 0xFFA0...0xFFA0, 0xFFF0...0xFFFB,
    ]
    static let bidiRanges: [ClosedRange<UInt32>] = [
        0x061C...0x061C, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069,
    ]
    /// Spaces that end a chunk as ASCII whitespace does (the ones ``ScanText/whitespaceLength(at:)`` knows, plus
    /// NEL and the Ogham space mark). U+200B is not among them: it is invisible, so it is removed instead.
    static let spaceRanges: [ClosedRange<UInt32>] = [
        0x0085...0x0085, 0x00A0...0x00A0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
        0x205F...0x205F, 0x3000...0x3000,
    ]
    /// The combining-diacritics blocks used to strike through, underline or decorate Latin text.
    static let markRanges: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F,
    ]

    /// Look-alikes of ASCII letters and digits from Cyrillic, Greek, Armenian and IPA, folded case for case
    /// (a small-capital look-alike such as `н` folds to the lower-case letter, `h`).
    static let homoglyphs: [(scalar: UInt32, ascii: Character)] = [
        // Cyrillic capitals.
        (0x0405, "S"), (0x0406, "I"), (0x0408, "J"), (0x0410, "A"), (0x0412, "B"), (0x0415, "E"), (0x0417, "3"),
        (0x041A, "K"), (0x041C, "M"), (0x041D, "H"), (0x041E, "O"), (0x0420, "P"), (0x0421, "C"), (0x0422, "T"),
        (0x0423, "Y"), (0x0425, "X"), (0x04AE, "Y"), (0x04BA, "H"), (0x04C0, "I"), (0x0500, "D"), (0x051A, "Q"),
        (0x051C, "W"),
        // Cyrillic small letters.
        (0x0430, "a"), (0x0431, "6"), (0x0432, "b"), (0x0435, "e"), (0x043A, "k"), (0x043C, "m"), (0x043D, "h"),
        (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0442, "t"), (0x0443, "y"), (0x0445, "x"), (0x0455, "s"),
        (0x0456, "i"), (0x0458, "j"), (0x04AF, "y"), (0x04BB, "h"), (0x04CF, "l"), (0x0501, "d"), (0x051B, "q"),
        (0x051D, "w"),
        // Greek capitals and small letters.
        (0x037F, "J"), (0x0391, "A"), (0x0392, "B"), (0x0395, "E"), (0x0396, "Z"), (0x0397, "H"), (0x0399, "I"),
        (0x039A, "K"), (0x039C, "M"), (0x039D, "N"), (0x039F, "O"), (0x03A1, "P"), (0x03A4, "T"), (0x03A5, "Y"),
        (0x03A7, "X"), (0x03F9, "C"), (0x03B1, "a"), (0x03B3, "y"), (0x03B9, "i"), (0x03BA, "k"), (0x03BD, "v"),
        (0x03BF, "o"), (0x03C1, "p"), (0x03C5, "u"), (0x03C7, "x"), (0x03F2, "c"), (0x03F3, "j"),
        // Armenian and Latin IPA.
        (0x0555, "O"), (0x0585, "o"), (0x0131, "i"), (0x0237, "j"), (0x0251, "a"), (0x0261, "g"),
    ]

    // MARK: Tables

    private static let basicPlane: [Entry] = {
        var table = [Entry](repeating: 0, count: 0x10000)
        func fill(_ ranges: [ClosedRange<UInt32>], _ entry: Entry) {
            for range in ranges { for scalar in range { table[Int(scalar)] = entry } }
        }
        fill(markRanges, make(.mark))  // first: U+034F, inside a mark block, is ignorable
        fill(zeroWidthRanges, make(.ignorable, Obfuscation.zeroWidth.rawValue))
        fill(bidiRanges, make(.ignorable, Obfuscation.bidi.rawValue))
        table[0xAD] = make(.ignorable, Obfuscation.softHyphen.rawValue)
        fill(spaceRanges, make(.space))
        for (scalar, ascii) in homoglyphs { table[Int(scalar)] = make(.homoglyph, UInt16(ascii.asciiValue!)) }
        for run in CompatibilityFolds.runs where run.first < 0x10000 {
            for scalar in run.first...run.last {
                table[Int(scalar)] = make(.compatibilityByte, UInt16(run.ascii) + UInt16(scalar - run.first))
            }
        }
        for (index, fold) in CompatibilityFolds.strings.enumerated() where fold.scalar < 0x10000 {
            table[Int(fold.scalar)] = make(.compatibilityString, UInt16(index))
        }
        return table
    }()

    private static let supplementaryCompatibility: [UInt32: Entry] = {
        var table: [UInt32: Entry] = [:]
        for run in CompatibilityFolds.runs where run.first >= 0x10000 {
            for scalar in run.first...run.last {
                table[scalar] = make(.compatibilityByte, UInt16(run.ascii) + UInt16(scalar - run.first))
            }
        }
        for (index, fold) in CompatibilityFolds.strings.enumerated() where fold.scalar >= 0x10000 {
            table[fold.scalar] = make(.compatibilityString, UInt16(index))
        }
        return table
    }()
}
