import Foundation

/// Reads the times sources write: ISO-8601 (`2026-11-29T12:00:00Z`, `…T12:00:00.123+01:00`) and
/// go-sqlite3's `2025-04-06 17:39:40.123456789+01:00` (the bridge's `messages.db`, CONTRACTS.md §1).
/// A time with no offset is refused: local time on some machine is not a time. So is one outside
/// 1970 to 9999, which no message has and which the record format cannot hold.
public enum Timestamp {
    /// 10000-01-01T00:00:00Z.
    public static let end: Double = 253_402_300_800

    /// Unix seconds as a sender gives them, if within the range a record can hold.
    public static func unix(_ seconds: Int) -> Date? {
        guard seconds >= 0, Double(seconds) < end else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= s.count else { return nil }
            var value = 0
            for byte in s[i..<(i + width)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            i += width
            return value
        }
        func expect(_ allowed: String) -> Bool {
            guard i < s.count, allowed.utf8.contains(s[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("T "),
            let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < s.count, (48...57).contains(s[i]) {
                fraction += Double(s[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start, i - start <= 9 else { return nil }
        }
        var offset = 0
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "Z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard let hours = number(2) else { return nil }
            _ = expect(":")
            guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Double(timegm(&parts) - offset) + fraction
        guard seconds >= 0, seconds < end else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

extension AuditTime {
    /// The form ``format(_:)`` writes (UTC, `Z`), read back.
    public static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        return Timestamp.parse(text)
    }
}
