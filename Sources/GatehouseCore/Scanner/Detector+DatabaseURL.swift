extension Detector {
    /// Database and message-broker URLs with a password: `postgres://`, `postgresql://`, `mysql://`,
    /// `mariadb://`, `mongodb://`, `mongodb+srv://`, `redis://`, `rediss://`, `amqp://`, `amqps://`,
    /// `mssql://`, `sqlserver://`, `cockroachdb://`, `clickhouse://`, `neo4j://`, `neo4j+s://` (also after
    /// `jdbc:`), with `user:password@` userinfo or a `password=` query parameter (libpq URIs, JDBC).
    ///
    /// The same stand-ins as `url-credentials` are refused. The finding covers the password only.
    public static let databaseURL = Detector(
        id: "database-url",
        summary: "A database or broker connection URL with its password; it opens the data store to whoever reads it.",
        category: .secret,
        family: .credential,
        severity: .high,
        keywords: [
            "postgres://", "postgresql://", "mysql://", "mariadb://", "mongodb://", "mongodb+srv://", "redis://",
            "rediss://", "amqp://", "amqps://", "mssql://", "sqlserver://", "cockroachdb://", "clickhouse://",
            "neo4j://", "neo4j+s://",
        ],
        validator: .atKeyword(DatabaseURLValidator.validate)
    )
}

enum DatabaseURLValidator {
    static let maximumURL = 2048

    static func validate(_ text: ScanText, _ hit: KeywordHit) -> DetectorVerdict {
        // Not the tail of another scheme (`xredis://`); `jdbc:` and `+` prefixes are fine.
        let before = text[hit.range.lowerBound - 1]
        guard !ScanBytes.isAlnum(before) && before != 0x2B && before != 0x2D && before != 0x2E else { return .noMatch }
        let start = hit.range.upperBound
        switch URLCredentialsValidator.password(text, authorityStart: start) {
        case .some(.some(let range)): return .match(DetectorMatch(range: range, mask: .prefixAndLength("")))
        case .some(.none): return .noMatchBefore(start)
        case .none: return queryPassword(text, from: start)
        }
    }

    /// `?password=…` or `&password=…` (also `pwd`), as libpq and JDBC URLs carry it.
    private static func queryPassword(_ text: ScanText, from start: Int) -> DetectorVerdict {
        var i = start
        var inQuery = false
        while i - start < maximumURL {
            let c = text[i]
            if c <= 0x20 || c == 0x22 || c == 0x27 || c == 0x60 || c == 0x3C || c == 0x3E { break }
            if c == 0x3F { inQuery = true }
            if inQuery && (c == 0x3F || c == 0x26) {
                let keyLength = text.lowerHasPrefix("password=", at: i + 1) ? 9 : text.lowerHasPrefix("pwd=", at: i + 1) ? 4 : 0
                if keyLength > 0 {
                    let valueStart = i + 1 + keyLength
                    var end = valueStart
                    while end - valueStart < 256 {
                        let v = text[end]
                        if v <= 0x20 || v == 0x26 || v == 0x23 || v == 0x22 || v == 0x27 || v == 0x60 || v == 0x3C || v == 0x3E {
                            break
                        }
                        end += 1
                    }
                    let value = valueStart..<end
                    if URLCredentialsValidator.isRealPassword(text, value, user: valueStart..<valueStart) {
                        return .match(DetectorMatch(range: value, mask: .prefixAndLength("")))
                    }
                    return .noMatchBefore(end)
                }
            }
            i += 1
        }
        return .noMatchBefore(i)
    }
}
