import GatehouseCore
import GatehouseTesting

/// Generates real-format test secrets at run time, from a fixed seed, so no credential-shaped literal
/// sits in the source (and no real credential is ever used).
struct ScannerFixtures {
    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let base62 = digits + upper + lower
    static let base32 = upper + "234567"
    static let base64 = upper + lower + digits + "+/"
    static let base64URL = upper + lower + digits + "-_"
    static let hex = "0123456789abcdef"

    private var generator: SeededGenerator

    init(seed: UInt64 = 0x6761_7465_686F_7573) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func string(_ alphabet: String, _ count: Int) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters[Int(next() % UInt64(characters.count))] })
    }

    /// Random characters from `alphabet` containing at least one upper, one lower and one digit when
    /// the alphabet allows, as real random tokens of this length do.
    mutating func mixed(_ alphabet: String, _ count: Int) -> String {
        while true {
            let s = string(alphabet, count)
            let hasUpper = s.contains(where: \.isUppercase) || !alphabet.contains(where: \.isUppercase)
            let hasLower = s.contains(where: \.isLowercase) || !alphabet.contains(where: \.isLowercase)
            let hasDigit = s.contains(where: \.isNumber) || !alphabet.contains(where: \.isNumber)
            if hasUpper && hasLower && hasDigit { return s }
        }
    }

    // MARK: GitHub

    mutating func githubToken(prefix: String = "ghp_") -> String {
        let random = string(Self.base62, 30)
        return prefix + random + Self.githubChecksum(random)
    }

    /// A token whose last character is changed, so its checksum is wrong.
    mutating func githubTokenWithBadChecksum(prefix: String = "ghp_") -> String {
        var token = Array(githubToken(prefix: prefix))
        let alphabet = Array(Self.base62)
        let index = alphabet.firstIndex(of: token[token.count - 1])!
        token[token.count - 1] = alphabet[(index + 1) % alphabet.count]
        return String(token)
    }

    static func githubChecksum(_ random: String) -> String {
        var value = crc32(Array(random.utf8))
        let alphabet = Array(base62)
        var out: [Character] = []
        for _ in 0..<6 {
            out.append(alphabet[Int(value % 62)])
            value /= 62
        }
        return String(out.reversed())
    }

    /// Bitwise CRC-32 (IEEE), independent of the table-driven one under test.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    // MARK: Cards

    /// `prefix` + random digits + the Luhn check digit, `length` digits in all.
    mutating func card(prefix: String, length: Int) -> String {
        let body = prefix + string(Self.digits, length - prefix.count - 1)
        return body + String(Self.luhnCheckDigit(body))
    }

    static func luhnCheckDigit(_ body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            var d = character.wholeNumberValue!
            if offset % 2 == 0 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return (10 - sum % 10) % 10
    }

    /// The same number with its check digit off by one, so Luhn fails.
    static func breakLuhn(_ number: String) -> String {
        let last = number.last!.wholeNumberValue!
        return String(number.dropLast()) + String((last + 1) % 10)
    }

    static func grouped(_ number: String, _ sizes: [Int], separator: String) -> String {
        var groups: [String] = []
        var rest = Substring(number)
        for size in sizes {
            groups.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return groups.joined(separator: separator)
    }

    // MARK: Others

    mutating func awsAccessKeyID(prefix: String = "AKIA") -> String { prefix + string(Self.base32, 16) }

    mutating func slackBotToken() -> String {
        "xoxb-" + string(Self.digits, 12) + "-" + string(Self.digits, 13) + "-" + mixed(Self.base62, 24)
    }

    mutating func slackUserToken(prefix: String = "xoxp-") -> String {
        prefix + string(Self.digits, 12) + "-" + string(Self.digits, 12) + "-" + string(Self.digits, 12) + "-"
            + mixed(Self.hex, 32)
    }

    mutating func openAILegacyKey() -> String { "sk-" + mixed(Self.base62, 20) + "T3BlbkFJ" + mixed(Self.base62, 20) }

    mutating func openAIProjectKey(kind: String = "proj", half: Int = 74) -> String {
        "sk-\(kind)-" + mixed(Self.base64URL, half) + "T3BlbkFJ" + mixed(Self.base64URL, half)
    }

    mutating func jwt(header: String = #"{"alg":"HS256","typ":"JWT"}"#, signatureLength: Int = 43) -> String {
        let payload = #"{"sub":"1234567890","name":"Test","iat":1516239022}"#
        return Self.base64URL(header) + "." + Self.base64URL(payload) + "." + string(Self.base64URL, signatureLength)
    }

    static func base64URL(_ text: String) -> String { base64(Array(text.utf8), url: true) }

    mutating func pemBlock(label: String, bodyLength: Int = 256, end: Bool = true, newline: String = "\n") -> String {
        let body = string(Self.base64, bodyLength)
        var lines: [String] = []
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        var block = "-----BEGIN \(label)-----" + newline + lines.joined(separator: newline)
        if end { block += newline + "-----END \(label)-----" }
        return block
    }

    /// The byte range of `needle`'s first occurrence in `haystack`, as findings report it.
    static func byteRange(of needle: String, in haystack: String) -> Range<Int>? {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= h.count else { return nil }
        for start in 0...(h.count - n.count) where h[start..<(start + n.count)].elementsEqual(n) {
            return start..<(start + n.count)
        }
        return nil
    }
}
