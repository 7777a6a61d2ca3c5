/// Visible text of a .docx, .xlsx or .pptx: the archive is opened, each text-bearing part inflated within
/// one shared budget, and the parts' text joined with newlines, main content first and metadata last.
///
/// Any failure (corrupt archive, bomb, bad part) makes the whole file unscannable: text from the parts
/// that did decode would look like a complete scan while the rest of the file went out unread.
enum OfficeText {
    static func extract(_ bytes: [UInt8], format: OfficeFormat, inflateLimit: Int, maximumEntries: Int) -> FileText {
        do {
            let archive = try ZipArchive(bytes: bytes, maximumEntries: maximumEntries)
            guard archive.entry(named: format.mainPart) != nil else {
                return .unscannable(reason: "the file is named as a \(format.name) but has no \(format.mainPart)")
            }
            var budget = InflateBudget(limit: inflateLimit)
            var text: [UInt8] = []
            var sources: [String] = []
            var unnamedSources = 0
            for (entry, profile) in format.partsToRead(in: archive) {
                var xml = try archive.contents(of: entry, budget: &budget)
                if PlainText.hasUTF16ByteOrderMark(xml) {
                    guard case .success(let (utf8, _)) = PlainText.utf8(xml) else {
                        return .unscannable(reason: "ZIP entry \(entry.number) is not valid UTF-16 XML")
                    }
                    xml = utf8
                }
                let partText: [UInt8]
                do {
                    partText = try XMLTextExtractor.text(of: xml, profile: profile)
                } catch {
                    return .unscannable(reason: "ZIP entry \(entry.number): \(error)")
                }
                guard partText.contains(where: { !isBlank($0) }) else { continue }
                if !text.isEmpty { text.append(0x0A) }
                text.append(contentsOf: partText)
                if isShowable(entry.name) { sources.append(entry.name) } else { unnamedSources += 1 }
            }
            guard ContentSniffer.isText(text[...], isWholeFile: true) || text.isEmpty else {
                return .unscannable(reason: "the \(format.name)'s text is not valid UTF-8")
            }
            if unnamedSources > 0 { sources.append("\(unnamedSources) other part\(unnamedSources == 1 ? "" : "s")") }
            let source = sources.isEmpty ? format.mainPart : sources.joined(separator: ", ")
            return .text(String(decoding: text, as: UTF8.self), source: source)
        } catch let error as ZipError {
            return .unscannable(reason: error.description)
        } catch {
            return .unscannable(reason: "the \(format.name) cannot be read")
        }
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Whether a part name may be shown in `source`. Names are chosen by the file's author, so only
    /// names that cannot carry a secret are shown: short, `[A-Za-z0-9/._-]`, no word longer than
    /// 20 characters and no number longer than 4 digits (no token, no card number). Others are counted.
    static func isShowable(_ name: String) -> Bool {
        guard name.utf8.count <= 64 else { return false }
        var word = 0
        var digits = 0
        for b in name.utf8 {
            if ScanBytes.isAlnum(b) {
                word += 1
                digits = ScanBytes.isDigit(b) ? digits + 1 : 0
                if word > 20 || digits > 4 { return false }
            } else if b == 0x2F || b == 0x2E || b == 0x5F || b == 0x2D {
                word = 0
                digits = 0
            } else {
                return false
            }
        }
        return true
    }
}
