/// Which elements of an Office XML part hold visible text, and which mark boundaries between pieces of it.
///
/// Elements are matched on their local name (after any `prefix:`), since prefixes are only conventions.
/// Runs (`w:r`, `a:r`) deliberately have no boundary, so a token Word split across two runs of one
/// paragraph comes out whole; paragraphs, cells and rows do, so tokens in neighbouring ones stay apart.
struct XMLTextProfile: Sendable {
    enum Role: Sendable {
        /// Character data inside is kept.
        case text
        /// Emits a newline where the element ends (paragraphs, rows, shared strings).
        case newlineAfter
        /// Emits a tab where the element ends (table and sheet cells).
        case tabAfter
        /// Emits a newline where the element appears (line breaks, usually empty elements).
        case newline
        /// Emits a tab where the element appears (`w:tab`).
        case tab
    }

    /// Local names and their roles; short lists, compared by length first, so lookup costs little.
    let roles: [(name: [UInt8], role: Role)]
    /// Keep all character data and end every element with a newline: for metadata parts, whose
    /// elements each hold one value (`dc:creator`, `dc:title`, `Company`).
    let keepsAllText: Bool
    /// In worksheets, `<c t="s"><v>3</v></c>` holds an index into the shared strings, not cell text;
    /// the strings themselves are read from `xl/sharedStrings.xml`.
    let skipsSharedStringIndices: Bool

    init(_ roles: [(String, Role)], keepsAllText: Bool = false, skipsSharedStringIndices: Bool = false) {
        self.roles = roles.map { (Array($0.0.utf8), $0.1) }
        self.keepsAllText = keepsAllText
        self.skipsSharedStringIndices = skipsSharedStringIndices
    }

    func role(of name: UnsafeBufferPointer<UInt8>.SubSequence) -> Role? {
        for entry in roles where entry.name.count == name.count && entry.name.elementsEqual(name) {
            return entry.role
        }
        return nil
    }

    /// Boundaries shared by WordprocessingML and DrawingML (text boxes, slides, charts).
    private static let common: [(String, Role)] = [
        ("t", .text), ("p", .newlineAfter), ("br", .newline), ("cr", .newline), ("tab", .tab),
        ("tc", .tabAfter), ("tr", .newlineAfter), ("txBody", .newlineAfter),
    ]

    /// Word: `w:t`, plus tracked deletions (`w:delText`) and field codes (`w:instrText`), which travel
    /// with the file and show up on a click.
    static let wordprocessing = XMLTextProfile(
        common + [("delText", .text), ("instrText", .text), ("delInstrText", .text)])

    /// Excel: shared strings (`si`/`t`), inline strings (`is`/`t`) and cell values (`v`, numbers included,
    /// since a card number typed into a cell is stored as one). Formulas (`f`) are not read: a formula's
    /// cached result is its `v`, and formula syntax would only add noise.
    static let spreadsheet = XMLTextProfile(
        common + [("v", .text), ("si", .newlineAfter), ("c", .tabAfter), ("row", .newlineAfter)],
        skipsSharedStringIndices: true)

    /// PowerPoint: `a:t` in slides, notes, layouts and masters.
    static let presentation = XMLTextProfile(common + [("v", .text)])

    /// `docProps/core.xml`, `app.xml`, `custom.xml`: author, title, company and custom properties.
    static let metadata = XMLTextProfile([], keepsAllText: true)
}
