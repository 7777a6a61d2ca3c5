extension Detector {
    /// Key=value connection strings with a password: ADO.NET / ODBC / JDBC properties
    /// (`Server=db;User Id=app;Password=…;`, `Pwd={…}`) and libpq keyword strings
    /// (`host=db user=app password=… dbname=shop`).
    ///
    /// The `password`/`pwd` key must start a field (after `;`, whitespace, a quote or the line start) and be
    /// followed by `=`; another field within 160 bytes on the same line must name a server or database
    /// (`server`, `data source`, `host`, `hostname`, `address`, `addr`, `database`, `dbname`,
    /// `initial catalog`), which tells a connection string from a bare `password=` (left to `generic-secret`).
    /// Values end at `;` (ADO.NET; `;;` escapes nothing, so none is read), or at whitespace in libpq style;
    /// `'…'`, `"…"` and ODBC `{…}` quoting is honoured. Stand-ins are refused as in `url-credentials`.
    public static let connectionString = Detector(
        id: "connection-string",
        summary: "A database connection string with its password; it opens the data store to whoever reads it.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: ["password", "pwd"],
        validator: .atKeyword(ConnectionStringValidator.validate)
    )
}

enum ConnectionStringValidator {
    static let companionWindow = 160
    static let maximumValue = 256

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        let before = text[hit.range.lowerBound - 1]
        guard before == 0 || before == 0x3B || before == 0x20 || before == 0x09 || ScanBytes.isQuote(before) || before == 0x0A
        else { return .noMatch }
        var i = hit.range.upperBound
        while text[i] == 0x20 && i - hit.range.upperBound < 4 { i += 1 }
        guard text[i] == 0x3D, text[i + 1] != 0x3D else { return .noMatch }
        i += 1
        while text[i] == 0x20 && i - hit.range.upperBound < 8 { i += 1 }

        // ADO.NET fields end at `;`; libpq's at whitespace. The separator before the key tells which.
        let semicolonStyle = before == 0x3B || hasSemicolonField(text, after: i)
        guard let (value, examined) = readValue(text, from: i, semicolonStyle: semicolonStyle) else { return .noMatch }
        // ODBC braces are covered with the value: `generic-secret` reads `{…` as the value of the same
        // `Pwd=`, and the two findings must merge to one range. The check is on what the braces hold.
        let braced = text[value.lowerBound] == 0x7B
        let password = braced ? (value.lowerBound + 1)..<(value.upperBound - 1) : value
        guard URLCredentialsValidator.isRealPassword(text, password, user: password.lowerBound..<password.lowerBound),
            !ValueHeuristics.isCodeReference(text, password)
        else { return .noMatchBefore(examined) }
        guard hasServerField(text, around: hit.range) else { return .noMatchBefore(examined) }
        return .match(DetectorMatch(range: value, mask: .prefixAndLength("")))
    }

    /// The value (with its braces, for ODBC) and the offset reading stopped at.
    private static func readValue(_ text: ScanText, from start: Int, semicolonStyle: Bool) -> (Range<Int>, Int)? {
        let open = text[start]
        let close: UInt8? = open == 0x7B ? 0x7D : (open == 0x22 || open == 0x27) ? open : nil
        if let close {
            var end = start + 1
            while text[end] != close && text[end] != 0x0A && end < text.count && end - start <= maximumValue { end += 1 }
            guard text[end] == close, end < text.count, end > start + 1 else { return nil }
            return open == 0x7B ? (start..<(end + 1), end + 1) : ((start + 1)..<end, end + 1)
        }
        var end = start
        while end - start <= maximumValue {
            let c = text[end]
            if c == 0 && end >= text.count || c == 0x3B || c == 0x0A || c == 0x0D || c == 0x22 || c == 0x60 { break }
            if !semicolonStyle && (c == 0x20 || c == 0x09 || c == 0x27) { break }
            end += 1
        }
        // Trailing spaces before `;` are not part of an ADO.NET value.
        var valueEnd = end
        while valueEnd > start && text[valueEnd - 1] == 0x20 { valueEnd -= 1 }
        return valueEnd > start ? (start..<valueEnd, end) : nil
    }

    /// Whether a `;` field (`…;Key=`) follows the value on the same line, within the window.
    private static func hasSemicolonField(_ text: ScanText, after start: Int) -> Bool {
        var i = start
        while i - start < companionWindow {
            let c = text[i]
            if c == 0 || c == 0x0A { return false }
            if c == 0x3B { return ScanBytes.isLetter(text[skipSpaces(text, i + 1)]) }
            if c == 0x20 && text[i + 1] != 0x20 {
                // `Password=a b;` is possible, but a `key=` after a space is libpq.
                if isKeyThenEquals(text, i + 1) { return false }
            }
            i += 1
        }
        return false
    }

    private static func skipSpaces(_ text: ScanText, _ start: Int) -> Int {
        var i = start
        while text[i] == 0x20 && i - start < 4 { i += 1 }
        return i
    }

    private static func isKeyThenEquals(_ text: ScanText, _ start: Int) -> Bool {
        var i = start
        while (ScanBytes.isAlnum(text[i]) || text[i] == 0x5F) && i - start < 24 { i += 1 }
        return i > start && text[i] == 0x3D
    }

    /// Whether a server or database field starts within the window before or after the key, on its line.
    private static func hasServerField(_ text: ScanText, around key: Range<Int>) -> Bool {
        var i = key.lowerBound - 1
        while i >= 0 && key.lowerBound - i <= companionWindow && text[i] != 0x0A {
            if isFieldStart(text, i), isServerKey(text, at: i) { return true }
            i -= 1
        }
        i = key.upperBound
        while i < text.count && i - key.upperBound <= companionWindow && text[i] != 0x0A {
            if isFieldStart(text, i), isServerKey(text, at: i) { return true }
            i += 1
        }
        return false
    }

    private static func isFieldStart(_ text: ScanText, _ i: Int) -> Bool {
        guard ScanBytes.isLetter(text[i]) else { return false }
        let b = text[i - 1]
        return b == 0 || b == 0x3B || b == 0x20 || b == 0x09 || ScanBytes.isQuote(b) || b == 0x7B
    }

    private static func isServerKey(_ text: ScanText, at i: Int) -> Bool {
        for key in serverKeys where text.lowered.count >= i + key.count {
            var k = 0
            while k < key.count && text.lowered[i + k] == key[k] { k += 1 }
            guard k == key.count else { continue }
            let j = skipSpaces(text, i + k)
            if text[j] == 0x3D { return true }
        }
        return false
    }

    private static let serverKeys: [[UInt8]] = [
        "server", "data source", "host", "hostname", "hostaddr", "address", "addr", "database", "dbname",
        "initial catalog",
    ].map { Array($0.utf8) }
}
