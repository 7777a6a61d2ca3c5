import Foundation
import GatehouseCore
import Testing

/// Disguised secrets are found, as their own kind, at exactly the disguised span of the message, and the mask
/// says how they were hidden without showing them.
@Suite("Obfuscated secrets")
struct ObfuscationTests {
    let scanner = NormalizingScanner()

    struct Secret: CustomStringConvertible, Sendable {
        var kind: String
        var value: String
        var description: String { kind }
    }

    static let secrets: [Secret] = {
        var f = ScannerFixtures(seed: 0x6F62_6675)
        return [
            Secret(kind: "aws-access-key-id", value: f.awsAccessKeyID()),
            Secret(kind: "github-token", value: f.githubToken()),
            Secret(kind: "openai-api-key", value: f.openAIProjectKey(half: 58)),
            Secret(kind: "slack-token", value: f.slackBotToken()),
            Secret(kind: "jwt", value: f.jwt()),
            Secret(kind: "pem-private-key", value: f.pemBlock(label: "RSA PRIVATE KEY", bodyLength: 128)),
            Secret(kind: "payment-card", value: f.card(prefix: "4", length: 16)),
        ]
    }()

    /// One way of hiding a secret: the text to send and the part of it the finding must cover.
    enum Disguise: String, CaseIterable, CustomStringConvertible, Sendable {
        case zeroWidth, bidiControls, softHyphens, fullwidth, homoglyphs, mathematicalBold
        case spacedEvery4, spacedEvery1, twoLines, threeLines
        case bold, italic, strike, code, boldMarkersInside
        case urlEncoded, partlyURLEncoded, base64, base64URL, hex, base64OfURLEncoded

        var description: String { rawValue }

        /// Whitespace is part of a PEM block and digit groups are the card detector's own business, so
        /// splitting does not apply to them (a card spelled one digit at a time is left as written).
        func applies(to kind: String) -> Bool {
            switch self {
            case .spacedEvery4, .spacedEvery1, .twoLines, .threeLines:
                return kind != "pem-private-key" && kind != "payment-card"
            case .homoglyphs:
                return kind != "payment-card"
            case .boldMarkersInside:
                return kind != "pem-private-key"
            default:
                return true
            }
        }

        /// The disguised secret and the substring of it a finding must cover.
        func apply(_ secret: String) -> (text: String, covered: String) {
            switch self {
            case .zeroWidth: return whole(Self.insert(["\u{200B}", "\u{200D}", "\u{2060}", "\u{FEFF}"], into: secret))
            case .bidiControls: return whole(Self.insert(["\u{202E}", "\u{2066}", "\u{202C}", "\u{200F}"], into: secret))
            case .softHyphens: return whole(Self.insert(["\u{00AD}"], into: secret))
            case .fullwidth:
                return whole(Self.mapScalars(secret) { (0x21...0x7E).contains($0.value) ? $0.value + 0xFEE0 : nil })
            case .homoglyphs: return whole(Self.homoglyphs(secret))
            case .mathematicalBold:
                return whole(
                    Self.mapScalars(secret) { s in
                        switch s.value {
                        case 0x41...0x5A: s.value - 0x41 + 0x1D400
                        case 0x61...0x7A: s.value - 0x61 + 0x1D41A
                        case 0x30...0x39: s.value - 0x30 + 0x1D7CE
                        default: nil
                        }
                    }
                )
            case .spacedEvery4: return whole(Self.chunked(secret, 4).joined(separator: " "))
            case .spacedEvery1: return whole(Self.chunked(secret, 1).joined(separator: " "))
            case .twoLines: return whole(Self.chunked(secret, (secret.count + 1) / 2).joined(separator: "\n"))
            case .threeLines: return whole(Self.chunked(secret, (secret.count + 2) / 3).joined(separator: "\r\n"))
            case .bold: return ("*\(secret)*", secret)
            case .italic: return ("_\(secret)_", secret)
            case .strike: return ("~\(secret)~", secret)
            case .code: return ("```\(secret)```", secret)
            case .boldMarkersInside:
                var characters = Array(secret)
                characters.insert("*", at: characters.count * 2 / 3)
                characters.insert("*", at: characters.count / 3)
                return whole(String(characters))
            case .urlEncoded: return whole(Self.percentEncoded(secret) { _ in true })
            case .partlyURLEncoded: return whole(Self.percentEncoded(secret) { $0 % 3 == 1 })
            case .base64: return whole(Data(secret.utf8).base64EncodedString())
            case .base64URL: return whole(Self.base64URL(secret))
            case .hex: return whole(secret.utf8.map { String(format: "%02x", $0) }.joined())
            case .base64OfURLEncoded: return whole(Data(Self.percentEncoded(secret) { _ in true }.utf8).base64EncodedString())
            }
        }

        private func whole(_ text: String) -> (text: String, covered: String) { (text, text) }

        /// Inserts the marks, in turn, at about every seventh position, never at either end.
        static func insert(_ marks: [String], into secret: String) -> String {
            var out = ""
            for (i, character) in secret.enumerated() {
                // Between two visible characters only: a mark next to a line break guards nothing.
                if i > 0 && i % 7 == 0 && !character.isWhitespace && !out.last!.isWhitespace {
                    out += marks[(i / 7) % marks.count]
                }
                out.append(character)
            }
            return out
        }

        static func mapScalars(_ text: String, _ transform: (Unicode.Scalar) -> UInt32?) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { transform($0).flatMap(Unicode.Scalar.init) ?? $0 }))
        }

        /// Every other letter that has a Cyrillic or Greek look-alike, alternating scripts.
        static func homoglyphs(_ text: String) -> String {
            let cyrillic: [Character: Character] = [
                "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "K": "К", "M": "М", "T": "Т", "H": "Н",
                "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "j": "ј", "s": "ѕ",
            ]
            let greek: [Character: Character] = [
                "A": "Α", "B": "Β", "E": "Ε", "Z": "Ζ", "H": "Η", "I": "Ι", "K": "Κ", "M": "Μ", "N": "Ν", "O": "Ο",
                "P": "Ρ", "T": "Τ", "X": "Χ", "Y": "Υ", "o": "ο", "v": "ν",
            ]
            var out = ""
            var count = 0
            for character in text {
                let table = count % 4 == 0 ? cyrillic : greek
                if let replacement = table[character], count % 2 == 0 {
                    out.append(replacement)
                } else {
                    out.append(character)
                }
                if cyrillic[character] != nil || greek[character] != nil { count += 1 }
            }
            return out
        }

        static func chunked(_ text: String, _ size: Int) -> [String] {
            var pieces: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                pieces.append(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            return pieces
        }

        /// Percent-encodes the UTF-8 bytes whose index passes `encode`, and every byte a URL cannot hold as is.
        static func percentEncoded(_ text: String, _ encode: (Int) -> Bool) -> String {
            var out = ""
            for (i, byte) in text.utf8.enumerated() {
                let plain = byte > 0x20 && byte < 0x7F && !"\"<>\\^`{|}%".utf8.contains(byte)
                out += plain && !encode(i) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
            }
            return out
        }

        static func base64URL(_ text: String) -> String {
            Data(text.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    static let cases: [(Secret, Disguise)] = secrets.flatMap { secret in
        Disguise.allCases.filter { $0.applies(to: secret.kind) }.map { (secret, $0) }
    }

    @Test(arguments: cases)
    func disguisedSecretIsFoundAtItsExactSpan(secret: Secret, disguise: Disguise) throws {
        // Given: a disguised secret in a chat message
        let (text, covered) = disguise.apply(secret.value)
        let message = "ok here it is: \(text) thanks"
        // When
        let findings = scanner.scan(message)
        // Then: one finding of the secret's kind covers exactly the disguised span
        let expected = try #require(ScannerFixtures.byteRange(of: covered, in: message))
        #expect(findings.map(\.kind) == [secret.kind], "\(message.debugDescription)")
        #expect(findings.first?.range == expected, "\(findings) in \(message.debugDescription)")
        #expect(findings.first?.severity == .high)
        // And: redaction leaves nothing of it
        let redacted = Redactor.redact(message, findings: findings)
        #expect(redacted == message.replacingOccurrences(of: covered, with: "[REDACTED:\(secret.kind)]"))
    }

    @Test(arguments: cases)
    func maskSaysHowItWasHiddenAndNeverShowsTheSecret(secret: Secret, disguise: Disguise) throws {
        let (text, _) = disguise.apply(secret.value)
        let finding = try #require(scanner.scan("key: \(text) end").first)
        // Nothing of the secret beyond a public prefix: no 6-character window of it appears in the mask.
        let characters = Array(secret.value)
        let publicPrefix = finding.masked.split(separator: "…").first.map(String.init) ?? ""
        for start in 0...(characters.count - 6) {
            let window = String(characters[start..<(start + 6)])
            #expect(!finding.masked.contains(window) || publicPrefix.contains(window), "\(finding.masked)")
        }
        let expectedNote: String? =
            switch disguise {
            case .zeroWidth: "zero-width"
            case .bidiControls: "bidi"
            case .softHyphens: "soft-hyphen"
            case .fullwidth, .mathematicalBold: "compatibility-form"
            case .homoglyphs: "homoglyph"
            case .spacedEvery4, .spacedEvery1, .twoLines, .threeLines: "split"
            case .boldMarkersInside: "formatting"
            case .urlEncoded, .partlyURLEncoded: "url-encoded"
            case .base64, .base64URL: "base64"
            case .hex: "hex"
            case .base64OfURLEncoded: "base64, url-encoded"
            // Wrapped in markers the secret is usually found as written; the mask is then the plain one.
            case .bold, .italic, .strike, .code: nil
            }
        if let expectedNote {
            // The steps undone, e.g. `(zero-width, split)`: a PEM body's lines are also rejoined.
            let notes = finding.masked.split(separator: "(").last.map { $0.dropLast().components(separatedBy: ", ") }
            for note in expectedNote.components(separatedBy: ", ") {
                #expect(notes?.contains(note) == true, "\(finding.masked)")
            }
        }
    }

    @Test func italicUnderscoresAroundATokenAreMarkersNotPartOfIt() throws {
        // `_ghp_…_`: the token alphabet includes `_`, so only the italic pair is dropped.
        let token = Self.secrets[1].value
        let message = "_\(token)_"
        let findings = scanner.scan(message)
        #expect(findings.map(\.kind) == ["github-token"])
        #expect(findings.first?.range == 1..<(1 + token.utf8.count))
        #expect(findings.first?.masked == "ghp_…[40 chars] (formatting)")
    }

    @Test func base64OfALineMapsToTheCharactersEncodingTheSecretOnly() throws {
        // Given: base64 of a config line; the key's bytes start at 18, so its bits start in character 24
        let key = Self.secrets[0].value
        let line = "aws_access_key_id=\(key)\nregion=eu-west-1\n"
        let encoded = Data(line.utf8).base64EncodedString()
        let message = "config: \(encoded)"
        // When
        let findings = scanner.scan(message)
        // Then: bytes 18..<38 hold bits of characters 24..<51 (18 * 8 / 6 = 24, ceil(38 * 8 / 6) = 51)
        let start = "config: ".utf8.count
        #expect(findings.map(\.kind) == ["aws-access-key-id"])
        #expect(findings.first?.range == (start + 24)..<(start + 51))
        #expect(findings.first?.masked == "AKIA…[20 chars] (base64)")
    }

    @Test func aDerivedFindingThatContainsTheDirectOneDescribesIt() throws {
        // The first piece of a spaced password is a password as written; the folded view sees all of it.
        var f = ScannerFixtures(seed: 3)
        let password = f.mixed(ScannerFixtures.base62, 12)
        let tail = f.mixed(ScannerFixtures.base62, 8)
        let message = "password: \(password) \(tail)"
        let findings = scanner.scan(message)
        try #require(findings.count == 1)
        #expect(findings[0].kind == "generic-secret")
        #expect(findings[0].range == ScannerFixtures.byteRange(of: "\(password) \(tail)", in: message))
        #expect(findings[0].masked == "…[20 chars] (split)")
    }

    @Test func severalDisguisedSecretsInOneMessageAreSortedAndSeparate() throws {
        let key = Self.secrets[0].value
        let token = Self.secrets[1].value
        let card = Self.secrets[6].value
        let zw = Disguise.zeroWidth.apply(key).text
        let b64 = Disguise.base64.apply(token).text
        let spaced = Disguise.spacedEvery4.apply(key).text
        let message = "a \(zw) b \(b64) c \(card) d \(spaced) e"
        let findings = scanner.scan(message)
        #expect(findings.map(\.kind) == ["aws-access-key-id", "github-token", "payment-card", "aws-access-key-id"])
        #expect(
            findings.map(\.range) == [zw, b64, card, spaced].map { ScannerFixtures.byteRange(of: $0, in: message)! }
        )
    }
}
