/// The three Office Open XML formats (ECMA-376), told apart by extension, and where each keeps its text.
///
/// Every `.xml` part under the format's folder is read, not only the conventional ones: the main part
/// may be renamed (the package's relationships, not the name, make it the main part), and text also
/// lives in glossary documents, charts, SmartArt, text boxes and slide masters. Parts without text
/// elements (styles, themes, settings) simply yield nothing. Known parts are read first, in document
/// order (`slide2` before `slide10`), so the extracted text reads like the file.
enum OfficeFormat: Sendable {
    case word
    case spreadsheet
    case presentation

    /// From an extension such as `docx`, `.DOCM` or `potx`; binary `.xlsb` and legacy formats are not here.
    init?(extension ext: String) {
        var bare = Substring(ext.lowercased())
        if bare.hasPrefix(".") { bare = bare.dropFirst() }
        switch bare {
        case "docx", "docm", "dotx", "dotm": self = .word
        case "xlsx", "xlsm", "xltx", "xltm", "xlam": self = .spreadsheet
        case "pptx", "pptm", "potx", "potm", "ppsx", "ppsm", "ppam": self = .presentation
        default: return nil
        }
    }

    /// The folder holding the format's parts.
    var folder: String {
        switch self {
        case .word: "word/"
        case .spreadsheet: "xl/"
        case .presentation: "ppt/"
        }
    }

    /// The part every file of this format has; its absence means the file is not what its name says.
    var mainPart: String {
        switch self {
        case .word: "word/document.xml"
        case .spreadsheet: "xl/workbook.xml"
        case .presentation: "ppt/presentation.xml"
        }
    }

    var name: String {
        switch self {
        case .word: "Word document"
        case .spreadsheet: "Excel workbook"
        case .presentation: "PowerPoint presentation"
        }
    }

    var profile: XMLTextProfile {
        switch self {
        case .word: .wordprocessing
        case .spreadsheet: .spreadsheet
        case .presentation: .presentation
        }
    }

    /// Name prefixes (lower case) of the parts read first, in this order; other parts follow by name.
    var leadingParts: [String] {
        switch self {
        case .word:
            ["word/document.xml", "word/header", "word/footer", "word/footnotes", "word/endnotes", "word/comments"]
        case .spreadsheet: ["xl/sharedstrings.xml", "xl/worksheets/sheet"]
        case .presentation: ["ppt/slides/slide", "ppt/notesslides/notesslide"]
        }
    }

    /// Document properties (author, title, company, custom fields), read last with the metadata profile.
    static let metadataParts = ["docprops/core.xml", "docprops/app.xml", "docprops/custom.xml"]

    /// The names of the parts to read, in reading order, with the profile for each.
    func partsToRead(in archive: ZipArchive) -> [(entry: ZipArchive.Entry, profile: XMLTextProfile)] {
        let folder = self.folder
        let leading = leadingParts
        var ranked: [(rank: Int, key: SortKey, entry: ZipArchive.Entry)] = []
        for entry in archive.entries {
            let name = entry.name.lowercased()
            guard name.hasPrefix(folder), name.hasSuffix(".xml") else { continue }
            let rank = leading.firstIndex { name.hasPrefix($0) } ?? leading.count
            ranked.append((rank, SortKey(name), entry))
        }
        ranked.sort { ($0.rank, $0.key) < ($1.rank, $1.key) }
        var parts = ranked.map { ($0.entry, profile) }
        for name in Self.metadataParts {
            if let entry = archive.entry(named: name) { parts.append((entry, XMLTextProfile.metadata)) }
        }
        return parts
    }
}

/// Orders `slide2.xml` before `slide10.xml`: the name with its last run of digits compared as a number.
struct SortKey: Comparable {
    let head: String
    let number: Int
    let tail: String

    init(_ name: String) {
        let scalars = Array(name.unicodeScalars)
        var end = scalars.count
        while end > 0 && !("0"..."9").contains(scalars[end - 1]) { end -= 1 }
        var start = end
        while start > 0 && ("0"..."9").contains(scalars[start - 1]) && end - start < 9 { start -= 1 }
        var head = String.UnicodeScalarView()
        head.append(contentsOf: scalars[0..<start])
        var tail = String.UnicodeScalarView()
        tail.append(contentsOf: scalars[end...])
        self.head = String(head)
        self.tail = String(tail)
        self.number = scalars[start..<end].reduce(0) { $0 * 10 + Int($1.value - 0x30) }
    }

    static func < (a: SortKey, b: SortKey) -> Bool { (a.head, a.number, a.tail) < (b.head, b.number, b.tail) }
}
