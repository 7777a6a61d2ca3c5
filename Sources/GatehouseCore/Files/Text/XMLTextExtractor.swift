/// Pulls the text out of one Office XML part in a single forward pass, with no XML library and no regex.
///
/// It is a lexer, not a parser: it tells markup from character data, keeps the character data of the
/// elements its ``XMLTextProfile`` names, turns paragraph, cell and row boundaries into newlines and tabs,
/// decodes the five predefined entities and character references, and passes CDATA through. Attribute
/// values are skipped (they hold styles, ids and sizes), except the one `t="s"` check worksheets need.
/// DOCTYPEs and their entity declarations are skipped, never expanded, so "billion laughs" costs nothing.
///
/// Each byte is examined a bounded number of times, so time is linear in the part's size, and the output
/// is never longer than the input. Unterminated markup throws ``XMLTextError``: a part that passed its
/// CRC yet is cut short was made that way, and the gate should not guess what a reader would show.
enum XMLTextExtractor {
    static func text(of xml: [UInt8], profile: XMLTextProfile) throws -> [UInt8] {
        try xml.withUnsafeBufferPointer { buffer in
            var lexer = Lexer(x: buffer, profile: profile)
            try lexer.run()
            return lexer.output
        }
    }
}

/// Markup that never ends: an open tag, comment, CDATA section, processing instruction or DOCTYPE.
struct XMLTextError: Error, Equatable, CustomStringConvertible {
    var description: String { "its XML is malformed (unterminated markup)" }
}

private struct Lexer {
    let x: UnsafeBufferPointer<UInt8>
    let profile: XMLTextProfile
    var output: [UInt8] = []
    /// Open text elements (normally 0 or 1); character data is kept while positive.
    var textDepth = 0
    /// Inside a worksheet cell whose `t` attribute is `s`.
    var inSharedStringCell = false
    /// Inside a `v` whose content is skipped because it is a shared-string index.
    var skippingValue = false

    init(x: UnsafeBufferPointer<UInt8>, profile: XMLTextProfile) {
        self.x = x
        self.profile = profile
        output.reserveCapacity(x.count / 4)
    }

    var keeping: Bool { profile.keepsAllText || (textDepth > 0 && !skippingValue) }

    mutating func run() throws {
        let n = x.count
        var i = 0
        while i < n {
            if x[i] != 0x3C {  // character data up to the next '<'
                let start = i
                while i < n && x[i] != 0x3C { i += 1 }
                if keeping { appendDecoding(start..<i) }
                continue
            }
            if has("<!--", at: i) {
                i = try end(of: "-->", from: i + 4)
            } else if has("<![CDATA[", at: i) {
                let close = try find("]]>", from: i + 9)
                if keeping { output.append(contentsOf: x[(i + 9)..<close]) }
                i = close + 3
            } else if has("<?", at: i) {
                i = try end(of: "?>", from: i + 2)
            } else if has("<!", at: i) {
                i = try endOfDeclaration(from: i + 2)
            } else if i + 1 < n && x[i + 1] == 0x2F {
                i = try endTag(from: i + 2)
            } else {
                i = try startTag(from: i + 1)
            }
        }
    }

    // MARK: Tags

    /// `</name>`: returns the offset after `>`.
    private mutating func endTag(from start: Int) throws -> Int {
        let nameEnd = endOfName(from: start)
        let close = try find(">", from: nameEnd)
        let local = localName(start..<nameEnd)
        if profile.keepsAllText {
            output.append(0x0A)
        } else if let role = profile.role(of: local) {
            switch role {
            case .text:
                if skippingValue && isValue(local) {
                    skippingValue = false
                } else if textDepth > 0 {
                    textDepth -= 1
                }
            case .newlineAfter: output.append(0x0A)
            case .tabAfter:
                output.append(0x09)
                if isCell(local) { inSharedStringCell = false }
            case .newline, .tab: break
            }
        }
        return close + 1
    }

    /// `<name attributes>` or `<name attributes/>`: returns the offset after `>`.
    private mutating func startTag(from start: Int) throws -> Int {
        let nameEnd = endOfName(from: start)
        let local = localName(start..<nameEnd)
        let role = profile.keepsAllText ? nil : profile.role(of: local)
        let wantsType = profile.skipsSharedStringIndices && role == .tabAfter && isCell(local)
        let (close, typeIsS) = try scanAttributes(from: nameEnd, wantsType: wantsType)
        let selfClosing = x[close - 1] == 0x2F
        switch role {
        case .text?:
            if selfClosing { break }
            if profile.skipsSharedStringIndices && inSharedStringCell && isValue(local) {
                skippingValue = true
            } else {
                textDepth += 1
            }
        case .newline?: output.append(0x0A)
        case .tab?: output.append(0x09)
        case .tabAfter?:
            if selfClosing {
                output.append(0x09)
            } else if wantsType {
                inSharedStringCell = typeIsS
            }
        case .newlineAfter?: if selfClosing { output.append(0x0A) }
        case nil: if profile.keepsAllText && selfClosing { output.append(0x0A) }
        }
        return close + 1
    }

    /// Skips attributes to the tag's `>` (quotes respected, since values may contain `>`), noting
    /// whether an attribute with local name `t` has the value `s` when `wantsType` is set.
    private func scanAttributes(from start: Int, wantsType: Bool) throws -> (close: Int, typeIsS: Bool) {
        var i = start
        var typeIsS = false
        var attributeNameStart = -1
        var attributeNameEnd = -1
        while i < x.count {
            let b = x[i]
            if b == 0x3E { return (i, typeIsS) }
            if b == 0x22 || b == 0x27 {
                let close = try find(b, from: i + 1)
                if wantsType && attributeNameStart >= 0 {
                    let name = localName(attributeNameStart..<attributeNameEnd)
                    if name.count == 1 && name.first == 0x74 && close == i + 2 && x[i + 1] == 0x73 { typeIsS = true }
                }
                attributeNameStart = -1
                i = close + 1
                continue
            }
            if wantsType && b != 0x3D && !isSpace(b) && b != 0x2F {
                if attributeNameStart < 0 || attributeNameEnd < i {
                    attributeNameStart = i
                }
                attributeNameEnd = i + 1
            }
            i += 1
        }
        throw XMLTextError()
    }

    private func endOfName(from start: Int) -> Int {
        var i = start
        while i < x.count {
            let b = x[i]
            if isSpace(b) || b == 0x3E || b == 0x2F { break }
            i += 1
        }
        return i
    }

    /// The part of a qualified name after its last `:`.
    private func localName(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8>.SubSequence {
        var start = range.lowerBound
        for i in range where x[i] == 0x3A { start = i + 1 }
        return x[start..<range.upperBound]
    }

    private func isValue(_ local: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        local.count == 1 && local.first == 0x76  // v
    }

    private func isCell(_ local: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        local.count == 1 && local.first == 0x63  // c
    }

    @inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    // MARK: Character data

    /// Appends `x[range]` with `&…;` references decoded; an unknown or invalid reference stays as written.
    private mutating func appendDecoding(_ range: Range<Int>) {
        var i = range.lowerBound
        var copied = i
        while i < range.upperBound {
            guard x[i] == 0x26 else {
                i += 1
                continue
            }
            // References are short; looking at most 12 bytes ahead keeps this linear.
            var semicolon = i + 1
            while semicolon < range.upperBound && semicolon - i <= 12 && x[semicolon] != 0x3B { semicolon += 1 }
            guard semicolon < range.upperBound, x[semicolon] == 0x3B,
                let scalar = Self.reference(x[(i + 1)..<semicolon])
            else {
                i += 1
                continue
            }
            output.append(contentsOf: x[copied..<i])
            UTF8.encode(scalar) { output.append($0) }
            i = semicolon + 1
            copied = i
        }
        output.append(contentsOf: x[copied..<range.upperBound])
    }

    /// The scalar named by the body of a reference (`amp`, `#65`, `#x41`), if it is predefined or valid.
    private static func reference(_ body: UnsafeBufferPointer<UInt8>.SubSequence) -> Unicode.Scalar? {
        switch String(decoding: body, as: UTF8.self) {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard body.first == 0x23 else { return nil }
        var digits = body.dropFirst()
        var radix: UInt32 = 10
        if digits.first == 0x78 || digits.first == 0x58 {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for b in digits {
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x61...0x66 where radix == 16: digit = UInt32(b - 0x61 + 10)
            case 0x41...0x46 where radix == 16: digit = UInt32(b - 0x41 + 10)
            default: return nil
            }
            value = value * radix + digit
        }
        // NUL is not an XML character; Unicode.Scalar refuses surrogates and values past U+10FFFF.
        guard value != 0 else { return nil }
        return Unicode.Scalar(value)
    }

    // MARK: Searching

    private func has(_ literal: StaticString, at offset: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= x.count else { return false }
        let base = literal.utf8Start
        for k in 0..<count where x[offset + k] != base[k] { return false }
        return true
    }

    /// The offset of the next `literal` at or after `offset`.
    private func find(_ literal: StaticString, from offset: Int) throws -> Int {
        let first = literal.utf8Start[0]
        var i = offset
        while i < x.count {
            if x[i] == first && has(literal, at: i) { return i }
            i += 1
        }
        throw XMLTextError()
    }

    private func find(_ byte: UInt8, from offset: Int) throws -> Int {
        var i = offset
        while i < x.count {
            if x[i] == byte { return i }
            i += 1
        }
        throw XMLTextError()
    }

    /// The offset just after the next `literal`.
    private func end(of literal: StaticString, from offset: Int) throws -> Int {
        try find(literal, from: offset) + literal.utf8CodeUnitCount
    }

    /// After `<!` (DOCTYPE and the like): the offset past the matching `>`, skipping a `[…]` internal
    /// subset and quoted strings. Its declarations are never acted on.
    private func endOfDeclaration(from offset: Int) throws -> Int {
        var i = offset
        var bracketDepth = 0
        while i < x.count {
            switch x[i] {
            case 0x22, 0x27: i = try find(x[i], from: i + 1)
            case 0x5B: bracketDepth += 1
            case 0x5D: bracketDepth = max(0, bracketDepth - 1)
            case 0x3E where bracketDepth == 0: return i + 1
            default: break
            }
            i += 1
        }
        throw XMLTextError()
    }
}
